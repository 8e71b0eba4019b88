/**
 * The web ACL in front of the distribution: CLOUDFRONT scope, so it lives in us-east-1 (per-resource
 * `region`, through the program's one provider and its default tags), with AWS managed rule groups,
 * a per-IP rate limit, metrics and sampled requests on every rule, and logs to an encrypted
 * `aws-waf-logs-…` log group in us-east-1.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, NameScope, namePrefix } from "../naming";
import { createKey } from "../shared/kms";
import { statefulOptions } from "../shared/protection";

/** CloudFront-scope WAF, its logs and CloudFront certificates live here whatever the stack's region. */
export const EDGE_REGION = "us-east-1";

/**
 * AWS managed rule groups, in evaluation order after the rate rule (WCU: IP reputation 25, common 700,
 * known bad inputs 200, SQL database 200 — 1,125 + 2 for the rate rule, within the 1,500 WCU a web ACL
 * gets at the base price).
 */
export const MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
    { name: "AWSManagedRulesAmazonIpReputationList", metric: "ip-reputation" },
    // SizeRestrictions_BODY blocks every request body over 8 KB (AWS managed rule groups list): API
    // uploads and larger JSON posts would get 403s. It counts instead (visible in metrics and logs).
    { name: "AWSManagedRulesCommonRuleSet", metric: "common", countOnly: ["SizeRestrictions_BODY"] },
    { name: "AWSManagedRulesKnownBadInputsRuleSet", metric: "known-bad-inputs" },
];
/** Added where the stack has a database. */
export const SQL_RULE_GROUP: ManagedRuleGroup = { name: "AWSManagedRulesSQLiRuleSet", metric: "sqli" };

export interface ManagedRuleGroup {
    name: string;
    metric: string;
    /** Rules of the group that only count (ruleActionOverrides → count) instead of blocking. */
    countOnly?: readonly string[];
}

/** Rate-based rules count requests over this window (seconds); WAF allows 60, 120, 300, 600. */
export const RATE_WINDOW_SECONDS = 300;

/** Request fields replaced by "REDACTED" in WAF logs. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/** `aws-waf-logs-<project>-<stack>`: WAF logs only to groups with this prefix, and the name is unique per account and region (two stacks share us-east-1). */
export function wafLogGroupName(scope: NameScope): string {
    return `aws-waf-logs-${namePrefix(scope)}`;
}

export interface WafArgs {
    scope: NameScope;
    rateLimitPerIp: number;
    /** Add the SQL-injection rule group. */
    database: boolean;
    logRetentionDays: number;
    protectData: boolean;
}

export interface Waf {
    webAcl: aws.wafv2.WebAcl;
    logGroup: aws.cloudwatch.LogGroup;
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

export function createWaf(name: string, args: WafArgs, parent: pulumi.Resource): Waf {
    const prefix = namePrefix(args.scope);
    const groups = [...MANAGED_RULE_GROUPS, ...(args.database ? [SQL_RULE_GROUP] : [])];
    const webAcl = new aws.wafv2.WebAcl(
        childName(name, "waf"),
        {
            region: EDGE_REGION,
            scope: "CLOUDFRONT",
            description: `${prefix}: managed rules and a per-IP rate limit in front of CloudFront`,
            defaultAction: { allow: {} },
            rules: [
                {
                    name: "rate-limit-per-ip",
                    priority: 0,
                    action: { block: {} },
                    statement: { rateBasedStatement: { limit: args.rateLimitPerIp, aggregateKeyType: "IP", evaluationWindowSec: RATE_WINDOW_SECONDS } },
                    visibilityConfig: visibility(`${prefix}-rate-limit`),
                },
                ...groups.map((g, i) => ({
                    name: g.name,
                    priority: i + 1,
                    overrideAction: { none: {} },
                    statement: {
                        managedRuleGroupStatement: {
                            vendorName: "AWS",
                            name: g.name,
                            ...(g.countOnly ? { ruleActionOverrides: g.countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
                        },
                    },
                    visibilityConfig: visibility(`${prefix}-${g.metric}`),
                })),
            ],
            visibilityConfig: visibility(`${prefix}-web-acl`),
        },
        { parent },
    );

    const logGroupName = wafLogGroupName(args.scope);
    const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
    // The log group's key must live in the log group's region (us-east-1); CloudWatch Logs may use it
    // for this log group only (encryption context aws:logs:arn).
    const key = createKey(
        childName(name, "waf-log-key"),
        {
            region: EDGE_REGION,
            description: `${prefix}: WAF logs (CloudFront scope, ${EDGE_REGION})`,
            accountId: account,
            grants: [
                {
                    sid: "CloudWatchLogsForWafLogGroup",
                    service: `logs.${EDGE_REGION}.amazonaws.com`,
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    when: [{ encryptionContext: { key: "aws:logs:arn", arnLike: pulumi.interpolate`arn:aws:logs:${EDGE_REGION}:${account}:log-group:${logGroupName}` } }],
                },
            ],
        },
        { parent, ...statefulOptions(args.protectData) },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
        childName(name, "waf-logs"),
        { region: EDGE_REGION, name: logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: key.arn },
        { parent },
    );
    new aws.wafv2.WebAclLoggingConfiguration(
        childName(name, "waf-logs"),
        {
            region: EDGE_REGION,
            resourceArn: webAcl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
        },
        { parent },
    );
    return { webAcl, logGroup };
}
