/**
 * Alert routing: the `critical` (pages on-call) and `warning` (email/chat) SNS topics, encrypted with a
 * key of their own whose policy lets CloudWatch alarms, EventBridge rules and RDS event subscriptions
 * use it on this account's behalf only; a topic policy granting the same publishers; and the
 * subscriptions from config. A topic, its key and its alarms must share a region, so edge alarms
 * (us-east-1) get copies there when the stack lives elsewhere.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringSettings, Severity, SEVERITIES } from "../../config";
import { childName, NameScope, namePrefix } from "../naming";
import { policyDocument, PolicyStatement } from "../shared/iam";
import { createKey, ServiceKeyGrant } from "../shared/kms";
import { statefulOptions } from "../shared/protection";

/** The AWS services that publish alerts: CloudWatch alarms, EventBridge rules, RDS event subscriptions. */
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com"] as const;

export type Topics = Record<Severity, aws.sns.Topic>;

/** `events.rds.amazonaws.com` → `EventsRds`: a statement id per publisher. */
function sidOf(service: string): string {
    return service
        .split(".")
        .slice(0, -2)
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join("");
}

/**
 * EventBridge cannot deliver to a KMS-encrypted topic whose key policy puts aws:SourceAccount or
 * aws:SourceArn on its grant (SNS Developer Guide, "Encrypting messages published to Amazon SNS with
 * AWS KMS": not supported for EventBridge-to-encrypted topics). Its grant is unconditioned; the topic
 * policy still admits it only with aws:SourceAccount = this account.
 */
export const EVENTBRIDGE_KEY_GRANT_REASON = "EventBridge rejects source conditions on a KMS key policy for encrypted SNS targets; the topic policy carries aws:SourceAccount";

/** Key-policy grants: each publisher may encrypt messages for the topics, only for this account (EventBridge: see above). */
export function publisherKeyGrants(accountId: pulumi.Input<string>): ServiceKeyGrant[] {
    return ALERT_PUBLISHERS.map((service) => ({
        sid: `Publish${sidOf(service)}`,
        service,
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        when: [service === "events.amazonaws.com" ? { unconditioned: EVENTBRIDGE_KEY_GRANT_REASON } : { sourceAccount: accountId }],
    }));
}

/** Topic policy: the account administers the topic; the alert publishers may publish on its behalf only (FSBP SNS.4: no public principal). */
export function topicPolicyStatements(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>): PolicyStatement[] {
    return [
        {
            Sid: "AccountAdministersTopic",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
            Resource: topicArn,
        },
        ...ALERT_PUBLISHERS.map(
            (service): PolicyStatement => ({
                Sid: `Publish${sidOf(service)}`,
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            }),
        ),
    ];
}

export interface TopicArgs {
    scope: NameScope;
    accountId: pulumi.Input<string>;
    settings: MonitoringSettings;
    /** Where the topics live. @default - the stack's region */
    region?: string;
    /** Suffix of logical and physical names (`-us-east-1` for the edge copies). @default "" */
    suffix?: string;
    /** Pulumi `protect` + retain-on-delete on the key, like every key (prod; FSBP KMS.3). */
    protectData: boolean;
}

/** The key, both topics with their policies, and the configured email and HTTPS subscriptions. */
export function createTopics(name: string, args: TopicArgs, parent: pulumi.Resource): Topics {
    const suffix = args.suffix ?? "";
    const region = args.region ? { region: args.region } : {};
    const key = createKey(
        childName(name, `alerts${suffix}`),
        { description: `${namePrefix(args.scope)} alert topics${suffix}`, accountId: args.accountId, grants: publisherKeyGrants(args.accountId), region: args.region },
        { parent, ...statefulOptions(args.protectData) },
    );
    const topics = {} as Topics;
    for (const severity of SEVERITIES) {
        const role = `${severity}${suffix}`;
        const topic = new aws.sns.Topic(childName(name, role), { ...region, name: `${namePrefix(args.scope)}-alerts-${role}`, kmsMasterKeyId: key.arn }, { parent });
        new aws.sns.TopicPolicy(childName(name, role), { ...region, arn: topic.arn, policy: policyDocument(topicPolicyStatements(topic.arn, args.accountId)) }, { parent });
        const endpoints = [
            ...args.settings.emails[severity].map((endpoint) => ({ protocol: "email", endpoint })),
            ...args.settings.httpsEndpoints[severity].map((endpoint) => ({ protocol: "https", endpoint })),
        ];
        endpoints.forEach((e, i) =>
            new aws.sns.TopicSubscription(childName(name, `${role}-${e.protocol}-${i + 1}`), { ...region, topic: topic.arn, protocol: e.protocol, endpoint: e.endpoint }, { parent }),
        );
        topics[severity] = topic;
    }
    return topics;
}
