import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, kmsAliasName } from "../naming";
import { createKey, ServiceKeyGrant } from "../shared/kms";
import { backupOptions } from "../shared/protection";


export interface Keys {
    /** RDS storage, Performance Insights, ElastiCache, S3 uploads, the Secrets Manager secrets (database credentials, cache AUTH), AWS Backup. */
    data: aws.kms.Key;
    /** CloudWatch Logs (service principal access, scoped to this account's log groups in the region). */
    logs: aws.kms.Key;
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
    /** Service principals the data key admits (CloudFront reading SSE-KMS uploads). @default - none */
    dataGrants: ServiceKeyGrant[] = [],
): Keys {
    const opts = { parent, ...backupOptions(protection) };
    const data = createKey(childName(name, "data-key"), { description: `${name}: database, cache, uploads bucket, secrets and backups`, accountId, grants: dataGrants }, opts);
    const logs = createKey(
        childName(name, "logs-key"),
        {
            description: `${name}: CloudWatch log groups`,
            accountId,
            grants: [
                {
                    sid: "CloudWatchLogsForThisAccount",
                    service: `logs.${region}.amazonaws.com`,
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    when: [{ encryptionContext: { key: "aws:logs:arn", arnLike: pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:*` } }],
                },
            ],
        },
        opts,
    );
    new aws.kms.Alias(childName(name, "data-key"), { name: kmsAliasName(aliasPrefix, "data"), targetKeyId: data.keyId }, { parent });
    new aws.kms.Alias(childName(name, "logs-key"), { name: kmsAliasName(aliasPrefix, "logs"), targetKeyId: logs.keyId }, { parent });
    return { data, logs };
}
