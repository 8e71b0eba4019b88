/**
 * One passing and one failing case per policy. Each case is a small stack (a provider with the
 * tier's default tags, the resource under test, the resources a stack policy joins) and the failing
 * case is the passing one with exactly one field changed (`field` → `bad`) on the subject resource.
 * Expected values come from the controls (reference: FSBP control pages, aws-controls.md), not from
 * the program's output.
 */
import type { Tier } from "../lib";

export interface Res {
    type: string;
    name: string;
    props: Record<string, any>;
    /** Options the program would pass (`protect`, `deleteBeforeReplace`). */
    opts?: { protect?: boolean; deleteBeforeReplace?: boolean };
}

export interface Case {
    policy: string;
    /** The resource whose field differs. */
    subject: Res;
    /** Dotted path into the subject (`props.x.y` or `opts.protect`) and the value that breaks the policy. */
    field: string;
    bad: unknown;
    /** Other resources of the small stack (side resources a stack policy joins). */
    others?: Res[];
    /** Tier on the provider's default tags (default prod). */
    tier?: Tier;
}

const DIGEST = `sha256:${"ab".repeat(32)}`;
const IMAGE = `111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/t/api@${DIGEST}`;
const DOC = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const TLS_ONLY = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } };

const RDS: Res = {
    type: "aws:rds/instance:Instance",
    name: "t-data-db",
    props: {
        publiclyAccessible: false,
        storageEncrypted: true,
        multiAz: true,
        monitoringInterval: 60,
        monitoringRoleArn: "arn:aws:iam::111111111111:role/monitoring",
        deletionProtection: true,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        iamDatabaseAuthenticationEnabled: true,
        backupRetentionPeriod: 7,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        port: 5433,
        username: "app_admin",
    },
};
const CACHE: Res = {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    name: "t-data-cache",
    props: {
        snapshotRetentionLimit: 1,
        autoMinorVersionUpgrade: true,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: "token",
        subnetGroupName: "t-data-cache-subnets",
    },
};
const BUCKET: Res = { type: "aws:s3/bucket:Bucket", name: "t-data-uploads", props: { forceDestroy: false } };
const side = (type: string, props: Record<string, any>): Res => ({ type: `aws:s3/${type}`, name: BUCKET.name, props: { bucket: "t-data-uploads-id", ...props } });
const KEY: Res = {
    type: "aws:kms/key:Key",
    name: "t-data-key",
    props: { enableKeyRotation: true, deletionWindowInDays: 30, policy: DOC({ Sid: "Account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }) },
};
const SECRET: Res = { type: "aws:secretsmanager/secret:Secret", name: "t-data-db-credentials", props: { recoveryWindowInDays: 7, kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/k" } };
const ROTATION: Res = { type: "aws:secretsmanager/secretRotation:SecretRotation", name: "t-data-db-credentials", props: { secretId: "t-data-db-credentials-id", rotationRules: { automaticallyAfterDays: 90 } } };
const LOG_GROUP: Res = { type: "aws:cloudwatch/logGroup:LogGroup", name: "t-compute-api", props: { retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/logs" } };
const REPO: Res = { type: "aws:ecr/repository:Repository", name: "t-releases-api", props: { name: "platform/t/api", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS" }] } };
const CONTAINER = { name: "api", image: IMAGE, privileged: false, readonlyRootFilesystem: true, environment: [{ name: "PORT", value: "8080" }], logConfiguration: { logDriver: "awslogs" } };
const TASK: Res = { type: "aws:ecs/taskDefinition:TaskDefinition", name: "t-compute-api", props: { networkMode: "awsvpc", containerDefinitions: [CONTAINER] } };
const SERVICE: Res = { type: "aws:ecs/service:Service", name: "t-compute-api", props: { networkConfiguration: { assignPublicIp: false, subnets: ["a", "b"] }, deploymentCircuitBreaker: { enable: true, rollback: true } } };
const LB: Res = {
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "t-compute-alb",
    props: { internal: true, loadBalancerType: "application", dropInvalidHeaderFields: true, accessLogs: { enabled: true, bucket: "logs" }, enableDeletionProtection: true, desyncMitigationMode: "defensive", subnets: ["a", "b"], securityGroups: ["t-network-lb-sg-id"] },
};
const HTTPS: Res = { type: "aws:lb/listener:Listener", name: "t-compute-https", props: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: [{ type: "fixed-response" }] } };
const REDIRECT: Res = { type: "aws:lb/listener:Listener", name: "t-compute-http-redirect", props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }] } };
const FUNCTION: Res = {
    type: "aws:lambda/function:Function",
    name: "t-workers-api-fn",
    props: { packageType: "Image", imageUri: IMAGE, publish: true, tracingConfig: { mode: "Active" }, vpcConfig: { subnetIds: ["a", "b"], securityGroupIds: ["sg"] } },
};
const FN_ARN = "arn:aws:lambda:us-east-1:111111111111:function:t-workers-api-fn";
const QUEUE: Res = { type: "aws:sqs/queue:Queue", name: "t-queues-inference", props: { sqsManagedSseEnabled: true, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:111111111111:t-dlq", maxReceiveCount: 5 }) } };
const DLQ: Res = { type: "aws:sqs/queue:Queue", name: "t-queues-inference-dlq", props: { sqsManagedSseEnabled: true, arn: "arn:aws:sqs:us-east-1:111111111111:t-dlq" } };
const ROLE_POLICY = (Action: string[], Resource: string): Res => ({ type: "aws:iam/rolePolicy:RolePolicy", name: "t-compute-api-task", props: { role: "r", policy: DOC({ Sid: "S", Effect: "Allow", Action, Resource }) } });
const LB_SG: Res = { type: "aws:ec2/securityGroup:SecurityGroup", name: "t-network-lb-sg", props: { vpcId: "vpc" } };
/** The load balancer's one ingress rule: CloudFront's VPC-origin security group (looked up, not created here) on 443. */
const INGRESS: Res = { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "t-edge-lb-from-cloudfront-443", props: { referencedSecurityGroupId: "sg-0cloudfront", ipProtocol: "tcp", fromPort: 443, toPort: 443, securityGroupId: "t-network-lb-sg-id" } };

const CF_BUCKET: Res = { type: "aws:s3/bucket:Bucket", name: "t-edge-frontend", props: { bucket: "t-edge-frontend-abc1234" } };
const DISTRIBUTION: Res = {
    type: "aws:cloudfront/distribution:Distribution",
    name: "t-edge-cdn",
    props: {
        enabled: true,
        defaultRootObject: "index.html",
        webAclId: "arn:aws:wafv2:us-east-1:111111111111:global/webacl/t/abc",
        origins: [
            { originId: "frontend", domainName: "t-edge-frontend-abc1234.s3.us-east-1.amazonaws.com", originAccessControlId: "t-edge-oac-id" },
            { originId: "api", domainName: "internal-t-alb.us-east-1.elb.amazonaws.com", vpcOriginConfig: { vpcOriginId: "t-edge-alb-origin-id" } },
            { originId: "legacy", domainName: "legacy.example.com", customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 } },
        ],
        defaultCacheBehavior: { targetOriginId: "frontend", viewerProtocolPolicy: "redirect-to-https" },
        orderedCacheBehaviors: [{ pathPattern: "/api/*", targetOriginId: "api", viewerProtocolPolicy: "https-only" }],
        viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        loggingConfig: { bucket: "t-data-logs.s3.amazonaws.com", prefix: "cloudfront/" },
    },
};
const VPC_ORIGIN: Res = { type: "aws:cloudfront/vpcOrigin:VpcOrigin", name: "t-edge-alb-origin", props: { vpcOriginEndpointConfig: { name: "t", arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/t/1", httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: { items: ["TLSv1.2"], quantity: 1 } } } };
const VISIBLE = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
const WEB_ACL: Res = {
    type: "aws:wafv2/webAcl:WebAcl",
    name: "t-edge-waf",
    props: { scope: "CLOUDFRONT", defaultAction: { allow: {} }, rules: [{ name: "common", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: VISIBLE("t-common") }], visibilityConfig: VISIBLE("t-web-acl") },
};
const WAF_LOGGING: Res = {
    type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    name: "t-edge-waf-logs",
    props: { resourceArn: "t-edge-waf-id", logDestinationConfigs: ["arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-platform-t"], redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }] },
};
const TOPIC_ARN = "arn:aws:sns:us-east-1:111111111111:platform-t-alerts-critical";
const ALARM: Res = {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "t-monitoring-inference-dlq",
    props: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: "t-queues-inference-dlq" }, statistic: "Maximum", comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 1, actionsEnabled: true, alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] },
};
const DB_EVENTS: Res = { type: "aws:rds/eventSubscription:EventSubscription", name: "t-monitoring-db-events", props: { snsTopic: TOPIC_ARN, sourceType: "db-instance", sourceIds: ["platform-t-postgres"], eventCategories: ["availability", "configuration change", "failover", "failure", "low storage", "maintenance"], enabled: true } };

export const CASES: Case[] = [
    // network
    { policy: "default-sg-closed", subject: { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "t-network-default-sg", props: { ingress: [], egress: [] } }, field: "props.ingress", bad: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] },
    { policy: "vpc-flow-log-settings", subject: { type: "aws:ec2/flowLog:FlowLog", name: "t-network-flow-logs", props: { trafficType: "ALL", logDestination: "arn:aws:logs:us-east-1:1:log-group:x", vpcId: "vpc" } }, field: "props.trafficType", bad: "ACCEPT" },
    { policy: "vpc-flow-logs", subject: { type: "aws:ec2/flowLog:FlowLog", name: "t-network-flow-logs", props: { trafficType: "ALL" } }, field: "type", bad: "aws:ec2/vpcEndpoint:VpcEndpoint", others: [{ type: "awsx:ec2:Vpc", name: "t-network-vpc", props: {} }] },
    { policy: "sg-no-internet-ingress", subject: { ...INGRESS, props: { ...INGRESS.props, referencedSecurityGroupId: undefined, cidrIpv4: "10.0.0.0/16" } }, field: "props.cidrIpv4", bad: "0.0.0.0/0" },
    { policy: "sg-no-internet-ingress", subject: { ...INGRESS, props: { ...INGRESS.props, referencedSecurityGroupId: undefined, cidrIpv6: "2001:db8::/32" } }, field: "props.cidrIpv6", bad: "::/0" },
    { policy: "lb-ingress-from-security-groups-only", subject: { ...INGRESS, props: { ...INGRESS.props, securityGroupId: "t-network-lb-sg-id" } }, field: "props.referencedSecurityGroupId", bad: undefined, others: [LB_SG, LB] },
    { policy: "subnet-no-public-ip-on-launch", subject: { type: "aws:ec2/subnet:Subnet", name: "t-subnet", props: { mapPublicIpOnLaunch: false } }, field: "props.mapPublicIpOnLaunch", bad: true },
    { policy: "internet-facing-entry-points", subject: { ...SERVICE }, field: "props.networkConfiguration.assignPublicIp", bad: true, others: [LB] },
    { policy: "internet-facing-entry-points", subject: LB, field: "props.internal", bad: false, others: [DISTRIBUTION] },
    // database
    { policy: "rds-not-public", subject: RDS, field: "props.publiclyAccessible", bad: true },
    { policy: "rds-storage-encrypted", subject: RDS, field: "props.storageEncrypted", bad: false },
    { policy: "rds-multi-az", subject: RDS, field: "props.multiAz", bad: false },
    { policy: "rds-enhanced-monitoring", subject: RDS, field: "props.monitoringInterval", bad: 0 },
    { policy: "rds-deletion-protection", subject: RDS, field: "props.deletionProtection", bad: false },
    { policy: "rds-log-exports", subject: RDS, field: "props.enabledCloudwatchLogsExports", bad: ["postgresql"] },
    { policy: "rds-iam-auth", subject: RDS, field: "props.iamDatabaseAuthenticationEnabled", bad: false },
    { policy: "rds-backups", subject: RDS, field: "props.backupRetentionPeriod", bad: 6 },
    { policy: "rds-minor-upgrades", subject: RDS, field: "props.autoMinorVersionUpgrade", bad: false },
    { policy: "rds-copy-tags-to-snapshot", subject: RDS, field: "props.copyTagsToSnapshot", bad: false },
    { policy: "rds-non-default-port", subject: RDS, field: "props.port", bad: 5432 },
    { policy: "rds-no-default-admin", subject: RDS, field: "props.username", bad: "postgres" },
    { policy: "rds-force-ssl", subject: { type: "aws:rds/parameterGroup:ParameterGroup", name: "t-data-db", props: { family: "postgres17", parameters: [{ name: "rds.force_ssl", value: "1" }] } }, field: "props.parameters.0.value", bad: "0" },
    // cache
    { policy: "elasticache-backups", subject: CACHE, field: "props.snapshotRetentionLimit", bad: 0 },
    { policy: "elasticache-minor-upgrades", subject: CACHE, field: "props.autoMinorVersionUpgrade", bad: false },
    { policy: "elasticache-failover", subject: CACHE, field: "props.automaticFailoverEnabled", bad: false },
    { policy: "elasticache-encrypted-at-rest", subject: CACHE, field: "props.atRestEncryptionEnabled", bad: false },
    { policy: "elasticache-encrypted-in-transit", subject: CACHE, field: "props.transitEncryptionMode", bad: "preferred" },
    { policy: "elasticache-auth", subject: CACHE, field: "props.authToken", bad: undefined },
    { policy: "elasticache-subnet-group", subject: CACHE, field: "props.subnetGroupName", bad: "default" },
    // buckets
    { policy: "s3-block-public-access", subject: side("bucketPublicAccessBlock:BucketPublicAccessBlock", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }), field: "props.restrictPublicBuckets", bad: false, others: [BUCKET] },
    { policy: "s3-tls-only", subject: side("bucketPolicy:BucketPolicy", { policy: DOC(TLS_ONLY) }), field: "props.policy", bad: DOC({ ...TLS_ONLY, Condition: { Bool: { "aws:SecureTransport": "true" } } }), others: [BUCKET] },
    { policy: "s3-no-public-access-grants", subject: side("bucketPolicy:BucketPolicy", { policy: DOC(TLS_ONLY, { Sid: "Read", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }), field: "props.policy", bad: DOC(TLS_ONLY, { Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) },
    { policy: "s3-no-public-access-grants", subject: side("bucketPolicy:BucketPolicy", { policy: DOC(TLS_ONLY, { Sid: "AlbLogs", Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/alb/*" }) }), field: "props.policy", bad: DOC(TLS_ONLY, { Sid: "AlbLogs", Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::b" }) },
    { policy: "s3-access-logging", subject: side("bucketLogging:BucketLogging", { targetBucket: "t-data-logs-id", targetPrefix: "s3/" }), field: "props.targetBucket", bad: undefined, others: [BUCKET] },
    { policy: "s3-ownership-enforced", subject: side("bucketOwnershipControls:BucketOwnershipControls", { rule: { objectOwnership: "BucketOwnerEnforced" } }), field: "props.rule.objectOwnership", bad: "ObjectWriter", others: [BUCKET] },
    { policy: "s3-lifecycle", subject: side("bucketLifecycleConfiguration:BucketLifecycleConfiguration", { rules: [{ id: "expire", status: "Enabled", expiration: { days: 30 } }] }), field: "props.rules.0.status", bad: "Disabled", others: [BUCKET] },
    { policy: "s3-kms-encryption", subject: side("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "k" } }] }), field: "props.rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", bad: "AES256", others: [BUCKET] },
    { policy: "s3-no-force-destroy", subject: BUCKET, field: "props.forceDestroy", bad: true },
    // keys, secrets, logs
    { policy: "kms-rotation", subject: KEY, field: "props.enableKeyRotation", bad: false },
    { policy: "kms-deletion-window", subject: KEY, field: "props.deletionWindowInDays", bad: 7 },
    { policy: "kms-explicit-policy", subject: KEY, field: "props.policy", bad: DOC({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) },
    { policy: "secrets-rotation", subject: ROTATION, field: "type", bad: "aws:secretsmanager/secretVersion:SecretVersion", others: [SECRET] },
    { policy: "secrets-rotation-interval", subject: ROTATION, field: "props.rotationRules.automaticallyAfterDays", bad: 91 },
    { policy: "secrets-recovery-window", subject: SECRET, field: "props.recoveryWindowInDays", bad: 0 },
    { policy: "log-group-retention", subject: LOG_GROUP, field: "props.retentionInDays", bad: undefined },
    { policy: "log-group-cmk", subject: LOG_GROUP, field: "props.kmsKeyId", bad: undefined },
    { policy: "backup-vault-cmk", subject: { type: "aws:backup/vault:Vault", name: "t-data-backup", props: { kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" } }, field: "props.kmsKeyArn", bad: undefined },
    { policy: "stateful-protected", subject: { ...RDS, opts: { protect: true } }, field: "opts.protect", bad: false },
    { policy: "stateful-no-delete-before-replace", subject: { ...BUCKET, opts: { protect: true } }, field: "opts.deleteBeforeReplace", bad: true },
    // releases
    { policy: "ecr-scan-on-push", subject: REPO, field: "props.imageScanningConfiguration.scanOnPush", bad: false },
    { policy: "ecr-immutable-tags", subject: REPO, field: "props.imageTagMutability", bad: "MUTABLE" },
    { policy: "ecr-lifecycle-policy", subject: { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", name: "t-releases-api", props: { repository: "platform/t/api", policy: "{}" } }, field: "type", bad: "aws:ecr/repositoryPolicy:RepositoryPolicy", others: [REPO] },
    { policy: "ecr-kms-encryption", subject: REPO, field: "props.encryptionConfigurations.0.encryptionType", bad: "AES256" },
    { policy: "ecr-no-public-policy", subject: { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", name: "t-releases-api", props: { policy: DOC({ Sid: "Pull", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "ecr:BatchGetImage", Condition: { StringLike: { "aws:sourceArn": "arn:aws:lambda:*:111111111111:function:*" } } }) } }, field: "props.policy", bad: DOC({ Sid: "Pull", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }) },
    // compute
    { policy: "ecs-no-public-ip", subject: SERVICE, field: "props.networkConfiguration.assignPublicIp", bad: true },
    { policy: "ecs-no-host-access", subject: TASK, field: "props.containerDefinitions.0.privileged", bad: true },
    { policy: "ecs-read-only-root", subject: TASK, field: "props.containerDefinitions.0.readonlyRootFilesystem", bad: false },
    { policy: "ecs-no-credentials-in-env", subject: TASK, field: "props.containerDefinitions.0.environment.0.name", bad: "AWS_SECRET_ACCESS_KEY" },
    { policy: "ecs-logging", subject: TASK, field: "props.containerDefinitions.0.logConfiguration", bad: undefined },
    { policy: "ecs-image-by-digest", subject: TASK, field: "props.containerDefinitions.0.image", bad: "111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/t/api:latest" },
    { policy: "ecs-platform-version", subject: SERVICE, field: "props.platformVersion", bad: "1.3.0" },
    { policy: "ecs-container-insights", subject: { type: "aws:ecs/cluster:Cluster", name: "t-compute-cluster", props: { settings: [{ name: "containerInsights", value: "enabled" }] } }, field: "props.settings.0.value", bad: "disabled" },
    { policy: "ecs-circuit-breaker", subject: SERVICE, field: "props.deploymentCircuitBreaker.rollback", bad: false },
    { policy: "elb-http-redirect", subject: REDIRECT, field: "props.defaultActions.0.type", bad: "forward" },
    { policy: "elb-https-only", subject: HTTPS, field: "props.protocol", bad: "HTTP" },
    { policy: "elb-tls-policy", subject: HTTPS, field: "props.sslPolicy", bad: "ELBSecurityPolicy-2016-08" },
    { policy: "elb-drop-invalid-headers", subject: LB, field: "props.dropInvalidHeaderFields", bad: false },
    { policy: "elb-access-logs", subject: LB, field: "props.accessLogs.enabled", bad: false },
    { policy: "elb-deletion-protection", subject: LB, field: "props.enableDeletionProtection", bad: false },
    { policy: "elb-desync-mitigation", subject: LB, field: "props.desyncMitigationMode", bad: "monitor" },
    { policy: "elb-multi-az", subject: LB, field: "props.subnets", bad: ["a"] },
    { policy: "acm-certificate", subject: { type: "aws:acm/certificate:Certificate", name: "t-compute-cert", props: { domainName: "api.example.com", validationMethod: "DNS", keyAlgorithm: "RSA_2048" } }, field: "props.validationMethod", bad: "EMAIL" },
    // workers
    { policy: "lambda-image-by-digest", subject: FUNCTION, field: "props.imageUri", bad: "111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/t/api:latest" },
    { policy: "lambda-publish-versions", subject: FUNCTION, field: "props.publish", bad: false },
    { policy: "lambda-has-alias", subject: { type: "aws:lambda/alias:Alias", name: "t-workers-api-fn", props: { name: "live", functionName: "t-workers-api-fn-fn-id", functionVersion: "7" } }, field: "props.functionName", bad: "other-function", others: [{ ...FUNCTION, name: "t-workers-api-fn-fn" }] },
    { policy: "lambda-triggers-use-alias", subject: { type: "aws:lambda/eventSourceMapping:EventSourceMapping", name: "t-workers-inference", props: { functionName: `${FN_ARN}:live`, eventSourceArn: "arn:aws:sqs:us-east-1:1:q" } }, field: "props.functionName", bad: `${FN_ARN}:$LATEST` },
    { policy: "lambda-triggers-use-alias", subject: { type: "aws:scheduler/schedule:Schedule", name: "t-workers-cleanup", props: { scheduleExpression: "cron(0 3 * * ? *)", target: { arn: `${FN_ARN}:live`, roleArn: "arn:r", deadLetterConfig: { arn: "arn:aws:sqs:us-east-1:1:dlq" } } } }, field: "props.target.arn", bad: FN_ARN },
    { policy: "lambda-permission-not-public", subject: { type: "aws:lambda/permission:Permission", name: "t-workers-api-fn", props: { action: "lambda:InvokeFunction", function: "t-workers-api-fn", qualifier: "live", principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:us-east-1:1:api/*/*" } }, field: "props.sourceArn", bad: undefined },
    { policy: "lambda-vpc-multi-az", subject: FUNCTION, field: "props.vpcConfig.subnetIds", bad: ["a"] },
    { policy: "lambda-tracing", subject: FUNCTION, field: "props.tracingConfig.mode", bad: "PassThrough" },
    { policy: "lambda-async-dlq", subject: { type: "aws:lambda/permission:Permission", name: "t-workers-api-fn", props: { function: "t-workers-api-fn-id", principal: "apigateway.amazonaws.com", sourceArn: "arn:x" } }, field: "props.principal", bad: "sns.amazonaws.com", others: [FUNCTION] },
    { policy: "scheduler-dlq", subject: { type: "aws:scheduler/schedule:Schedule", name: "t-workers-nightly", props: { scheduleExpression: "cron(0 3 * * ? *)", target: { arn: FN_ARN, roleArn: "arn:r", deadLetterConfig: { arn: "arn:aws:sqs:us-east-1:1:dlq" } } } }, field: "props.target.deadLetterConfig", bad: undefined },
    { policy: "sqs-encrypted", subject: QUEUE, field: "props.sqsManagedSseEnabled", bad: false },
    { policy: "sqs-no-public-policy", subject: { type: "aws:sqs/queuePolicy:QueuePolicy", name: "t-queues-inference", props: { policy: DOC({ Sid: "Send", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:x" } } }) } }, field: "props.policy", bad: DOC({ Sid: "Send", Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage" }) },
    { policy: "queue-has-dlq", subject: QUEUE, field: "props.redrivePolicy", bad: undefined, others: [DLQ] },
    { policy: "apigateway-access-logs", subject: { type: "aws:apigatewayv2/stage:Stage", name: "t-workers-api-fn", props: { name: "$default", accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:1:log-group:x", format: "{}" } } }, field: "props.accessLogSettings", bad: undefined },
    { policy: "apigateway-route-authorization", subject: { type: "aws:apigatewayv2/route:Route", name: "t-route", props: { routeKey: "GET /items", authorizationType: "JWT" } }, field: "props.authorizationType", bad: "NONE" },
    // iam
    { policy: "iam-no-admin", subject: ROLE_POLICY(["s3:GetObject"], "arn:aws:s3:::b/*"), field: "props.policy", bad: ROLE_POLICY(["*"], "arn:aws:s3:::b/*").props.policy },
    { policy: "iam-no-service-wildcard", subject: ROLE_POLICY(["s3:GetObject"], "arn:aws:s3:::b/*"), field: "props.policy", bad: ROLE_POLICY(["s3:*"], "arn:aws:s3:::b/*").props.policy },
    { policy: "iam-no-kms-decrypt-all-keys", subject: ROLE_POLICY(["kms:Decrypt"], "arn:aws:kms:us-east-1:1:key/k"), field: "props.policy", bad: ROLE_POLICY(["kms:Decrypt"], "*").props.policy },
    { policy: "iam-resource-wildcard", subject: ROLE_POLICY(["sqs:SendMessage"], "arn:aws:sqs:us-east-1:1:q"), field: "props.policy", bad: ROLE_POLICY(["sqs:SendMessage"], "*").props.policy },
    // edge
    { policy: "cloudfront-default-root-object", subject: DISTRIBUTION, field: "props.defaultRootObject", bad: undefined },
    { policy: "cloudfront-viewer-https", subject: DISTRIBUTION, field: "props.orderedCacheBehaviors.0.viewerProtocolPolicy", bad: "allow-all" },
    { policy: "cloudfront-logging", subject: DISTRIBUTION, field: "props.loggingConfig", bad: undefined },
    { policy: "cloudfront-waf", subject: DISTRIBUTION, field: "props.webAclId", bad: undefined },
    { policy: "cloudfront-custom-certificate", subject: DISTRIBUTION, field: "props.viewerCertificate", bad: { cloudfrontDefaultCertificate: true } },
    { policy: "cloudfront-viewer-tls", subject: DISTRIBUTION, field: "props.viewerCertificate.minimumProtocolVersion", bad: "TLSv1.1_2016" },
    { policy: "cloudfront-sni", subject: DISTRIBUTION, field: "props.viewerCertificate.sslSupportMethod", bad: "vip" },
    { policy: "cloudfront-origin-https", subject: VPC_ORIGIN, field: "props.vpcOriginEndpointConfig.originProtocolPolicy", bad: "http-only" },
    { policy: "cloudfront-origin-https", subject: DISTRIBUTION, field: "props.origins.2.customOriginConfig.originProtocolPolicy", bad: "match-viewer" },
    { policy: "cloudfront-origin-tls", subject: VPC_ORIGIN, field: "props.vpcOriginEndpointConfig.originSslProtocols.items", bad: ["TLSv1.2", "SSLv3"] },
    { policy: "cloudfront-origin-tls", subject: DISTRIBUTION, field: "props.origins.2.customOriginConfig.originSslProtocols", bad: ["TLSv1.1", "TLSv1.2"] },
    { policy: "cloudfront-s3-origin-exists", subject: DISTRIBUTION, field: "props.origins.0.domainName", bad: "someone-elses-bucket.s3.us-east-1.amazonaws.com", others: [CF_BUCKET] },
    { policy: "cloudfront-s3-origin-oac", subject: DISTRIBUTION, field: "props.origins.0.originAccessControlId", bad: undefined },
    { policy: "cloudfront-s3-origin-oac", subject: { type: "aws:cloudfront/originAccessControl:OriginAccessControl", name: "t-edge-oac", props: { originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" } }, field: "props.signingBehavior", bad: "no-override" },
    { policy: "waf-has-rules", subject: WEB_ACL, field: "props.rules", bad: [] },
    { policy: "waf-rule-metrics", subject: WEB_ACL, field: "props.rules.0.visibilityConfig.cloudwatchMetricsEnabled", bad: false },
    { policy: "waf-logging", subject: WAF_LOGGING, field: "props.resourceArn", bad: "arn:aws:wafv2:us-east-1:111111111111:global/webacl/other/def", others: [WEB_ACL] },
    { policy: "waf-logging", subject: WAF_LOGGING, field: "props.logDestinationConfigs", bad: ["arn:aws:logs:us-east-1:111111111111:log-group:platform-t-waf"], others: [WEB_ACL] },
    { policy: "waf-log-redaction", subject: WAF_LOGGING, field: "props.redactedFields", bad: [{ singleHeader: { name: "authorization" } }] },
    // monitoring
    { policy: "sns-kms-encryption", subject: { type: "aws:sns/topic:Topic", name: "t-monitoring-critical", props: { name: "platform-t-alerts-critical", kmsMasterKeyId: "arn:aws:kms:us-east-1:111111111111:key/alerts" } }, field: "props.kmsMasterKeyId", bad: undefined },
    { policy: "sns-no-public-policy", subject: { type: "aws:sns/topicPolicy:TopicPolicy", name: "t-monitoring-critical", props: { arn: TOPIC_ARN, policy: DOC({ Sid: "PublishCloudwatch", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) } }, field: "props.policy", bad: DOC({ Sid: "PublishCloudwatch", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN }) },
    { policy: "alarm-actions", subject: ALARM, field: "props.alarmActions", bad: [] },
    { policy: "alarm-actions-enabled", subject: ALARM, field: "props.actionsEnabled", bad: false },
    { policy: "alarm-ok-actions", subject: ALARM, field: "props.okActions", bad: undefined },
    { policy: "rds-event-subscriptions", subject: DB_EVENTS, field: "props.eventCategories", bad: ["availability", "failover", "failure", "low storage", "maintenance"], others: [{ ...RDS, props: { ...RDS.props, identifier: "platform-t-postgres" } }] },
    { policy: "rds-event-subscriptions", subject: DB_EVENTS, field: "props.enabled", bad: false, others: [{ ...RDS, props: { ...RDS.props, identifier: "platform-t-postgres" } }] },
    { policy: "dlq-has-alarm", subject: ALARM, field: "props.metricName", bad: "ApproximateAgeOfOldestMessage", others: [QUEUE, { ...DLQ, props: { ...DLQ.props, name: "t-queues-inference-dlq" } }] },
];
