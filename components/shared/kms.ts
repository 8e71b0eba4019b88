/**
 * Customer-managed KMS keys. A key policy keeps the account in charge (IAM decides who in it may use
 * the key) and can grant AWS service principals, which IAM alone cannot: CloudWatch Logs, SNS
 * publishers such as CloudWatch alarms, EventBridge and RDS events, CloudFront reading encrypted
 * objects. Every service grant carries at least one source condition, so the service may use the key
 * only on this account's behalf (aws:SourceAccount), for a given resource (aws:SourceArn) or a given
 * encryption context — except where AWS rejects them (EventBridge → encrypted SNS), stated per grant.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyCondition, policyDocument, PolicyStatement } from "./iam";

/** What limits a service's use of a key. */
export type SourceCondition =
    /** `StringEquals aws:SourceAccount`: only requests made on behalf of this account. */
    | { sourceAccount: pulumi.Input<string> }
    /** `ArnLike aws:SourceArn`: only for this resource (an alarm, a rule, a distribution; wildcards allowed). */
    | { sourceArn: pulumi.Input<string> }
    /** `ArnLike kms:EncryptionContext:<key>`: only for this encryption context (e.g. `aws:logs:arn`). */
    | { encryptionContext: { key: string; arnLike: pulumi.Input<string> } }
    /**
     * No condition, stated with its reason: only where AWS rejects source conditions for that service in
     * a key policy (EventBridge delivering to a KMS-encrypted SNS topic). The resource's own policy
     * (e.g. the topic policy) must then carry the source condition.
     */
    | { unconditioned: string };

/** A service principal allowed to use the key, and under which conditions (at least one, or an explicit, reasoned `unconditioned`). */
export interface ServiceKeyGrant {
    sid: string;
    /** Service principal, e.g. `logs.us-east-1.amazonaws.com`, `cloudwatch.amazonaws.com`. */
    service: string;
    actions: string[];
    when: [SourceCondition, ...SourceCondition[]];
}

/** Key-policy statement that keeps the account (and IAM policies in it) in charge of the key; without it a key can lock everyone out. */
export function accountRootStatement(accountId: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    };
}

/** The condition block of a service grant: conditions with the same operator are merged (all must hold). */
export function grantCondition(when: readonly SourceCondition[]): PolicyCondition {
    const condition: PolicyCondition = {};
    const add = (operator: string, key: string, value: pulumi.Input<string>) => (condition[operator] = { ...condition[operator], [key]: value });
    for (const c of when) {
        if ("sourceAccount" in c) add("StringEquals", "aws:SourceAccount", c.sourceAccount);
        else if ("sourceArn" in c) add("ArnLike", "aws:SourceArn", c.sourceArn);
        else if ("encryptionContext" in c) add("ArnLike", `kms:EncryptionContext:${c.encryptionContext.key}`, c.encryptionContext.arnLike);
    }
    return condition;
}

/** The key policy: the account administers the key through IAM, plus one statement per service grant. */
export function keyPolicyStatements(accountId: pulumi.Input<string>, grants: readonly ServiceKeyGrant[] = []): PolicyStatement[] {
    return [
        accountRootStatement(accountId),
        ...grants.map(
            (g): PolicyStatement => {
                const condition = grantCondition(g.when);
                return { Sid: g.sid, Effect: "Allow", Principal: { Service: g.service }, Action: g.actions, Resource: "*", ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
            },
        ),
    ];
}

export interface KeyArgs {
    description: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /** Service principals that may use the key. @default - none (IAM grants only) */
    grants?: ServiceKeyGrant[];
    /** Region of the key (a resource's key must live in its region). @default - the provider's region */
    region?: string;
}

/** A key with yearly automatic rotation and a 30-day deletion window (FSBP KMS.3, KMS.4). Cost: $1/month plus requests. */
export function createKey(name: string, args: KeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    return new aws.kms.Key(
        name,
        {
            ...(args.region ? { region: args.region } : {}),
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: policyDocument(keyPolicyStatements(args.accountId, args.grants)),
        },
        opts,
    );
}
