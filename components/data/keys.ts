import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { backupOptions } from "./protection";

export interface Keys {
    /** RDS storage, Performance Insights, ElastiCache, S3 uploads, the Secrets Manager secrets (database credentials, cache AUTH), AWS Backup. */
    data: aws.kms.Key;
    /** CloudWatch Logs (service principal access, scoped to this account's log groups in the region). */
    logs: aws.kms.Key;
}

/** Key policy statement that keeps the account (and IAM policies in it) in charge of the key; without it a key can lock everyone out. */
export function accountRootStatement(accountId: pulumi.Input<string>) {
    return {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    };
}

/**
 * Two customer-managed keys with yearly automatic rotation and a 30-day deletion window (FSBP KMS.3,
 * KMS.4). The data key's policy delegates to IAM only: services act with the caller's grants (RDS,
 * ElastiCache, Backup create grants; Secrets Manager and S3 use the caller's permissions), so each
 * role must be granted the key explicitly. The logs key additionally lets CloudWatch Logs use it for
 * this account's log groups in this region, and nothing else.
 * Cost: $1/month per key plus requests.
 */
export function createKeys(
    name: string,
    aliasPrefix: string,
    region: string,
    accountId: pulumi.Input<string>,
    protection: { protectData: boolean; keepOnDestroy: boolean },
    parent: pulumi.Resource,
): Keys {
    const opts = { parent, ...backupOptions(protection) };
    const data = new aws.kms.Key(
        `${name}-data-key`,
        {
            description: `${name}: database, cache, uploads bucket, secrets and backups`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [accountRootStatement(accountId)] }),
        },
        opts,
    );
    const logs = new aws.kms.Key(
        `${name}-logs-key`,
        {
            description: `${name}: CloudWatch log groups`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    accountRootStatement(accountId),
                    {
                        Sid: "CloudWatchLogsForThisAccount",
                        Effect: "Allow",
                        Principal: { Service: `logs.${region}.amazonaws.com` },
                        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        Resource: "*",
                        Condition: {
                            ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:*` },
                        },
                    },
                ],
            }),
        },
        opts,
    );
    new aws.kms.Alias(`${name}-data-key`, { name: `alias/${aliasPrefix}/data`, targetKeyId: data.keyId }, { parent });
    new aws.kms.Alias(`${name}-logs-key`, { name: `alias/${aliasPrefix}/logs`, targetKeyId: logs.keyId }, { parent });
    return { data, logs };
}
