/**
 * Physical-name limits, checked before any resource exists. Pulumi auto-names a resource
 * `<logical name>-<7 random characters>` (8 characters added) and fails at `pulumi up` when that is
 * longer than the provider allows; AWS refuses explicit names over its limits. The logical names
 * come from the stack and service names, so a long stack or service name is refused here, with the
 * names it would produce, instead of half-way through a deploy.
 *
 * `physicalNames()` mirrors the logical names the components use; tests/naming.spec.ts runs the
 * program at the edge and checks every recorded resource against NAME_LIMITS, so a new component
 * (or a renamed one) cannot slip past this table unnoticed.
 */
import type { ConfigIssue } from "./errors";

/** Characters Pulumi's auto-naming appends: "-" and 7 random characters. */
export const AUTO_NAME_SUFFIX = 8;

export interface NameLimit {
    /** Input property that carries the physical name. */
    property: string;
    /** Longest name AWS (or the provider) accepts. */
    max: number;
    source: string;
}

/**
 * Physical-name limits per Pulumi resource type, for every type this program creates that has a
 * name. Checked 2026-11-30 against pulumi-aws provider/resource_overrides.go (auto-name maximums) and
 * the AWS API references / hashicorp/terraform-provider-aws validators named below.
 */
export const NAME_LIMITS: Readonly<Record<string, NameLimit>> = {
    "aws:iam/role:Role": { property: "name", max: 64, source: "IAM quotas (role name 64); pulumi-aws AutoName(name, 64)" },
    "aws:iam/rolePolicy:RolePolicy": { property: "name", max: 128, source: "IAM quotas (inline policy name 128)" },
    "aws:lb/loadBalancer:LoadBalancer": { property: "name", max: 32, source: "ELBv2 CreateLoadBalancer: Name, at most 32 characters" },
    "aws:lb/targetGroup:TargetGroup": { property: "name", max: 32, source: "ELBv2 CreateTargetGroup: Name, at most 32 characters" },
    "aws:rds/instance:Instance": { property: "identifier", max: 63, source: "RDS CreateDBInstance: DBInstanceIdentifier 1-63 characters" },
    "aws:rds/parameterGroup:ParameterGroup": { property: "name", max: 255, source: "RDS CreateDBParameterGroup: 1-255 characters" },
    "aws:rds/subnetGroup:SubnetGroup": { property: "name", max: 255, source: "RDS CreateDBSubnetGroup: at most 255 characters" },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        property: "replicationGroupId",
        max: 40,
        source: "ElastiCache CreateReplicationGroup: ReplicationGroupId 1-40 characters; pulumi-aws AutoNameTransform(replicationGroupId, 40)",
    },
    "aws:elasticache/subnetGroup:SubnetGroup": { property: "name", max: 255, source: "ElastiCache CreateCacheSubnetGroup: at most 255 characters" },
    "aws:s3/bucket:Bucket": { property: "bucket", max: 63, source: "S3 bucket naming rules: 3-63 lowercase characters; pulumi-aws AutoNameTransform(bucket, 63, lower)" },
    "aws:cloudwatch/logGroup:LogGroup": { property: "name", max: 512, source: "CloudWatch Logs CreateLogGroup: logGroupName 1-512 characters" },
    "aws:ecr/repository:Repository": { property: "name", max: 256, source: "ECR CreateRepository: repositoryName 2-256 characters" },
    "aws:ecs/taskDefinition:TaskDefinition": { property: "family", max: 255, source: "ECS RegisterTaskDefinition: family up to 255 characters" },
    "aws:ecs/service:Service": { property: "name", max: 255, source: "ECS CreateService: serviceName up to 255 characters" },
    "aws:ecs/cluster:Cluster": { property: "name", max: 255, source: "ECS CreateCluster: clusterName up to 255 characters" },
    "aws:ec2/securityGroup:SecurityGroup": { property: "name", max: 255, source: "EC2 CreateSecurityGroup: GroupName up to 255 characters" },
    "aws:kms/alias:Alias": { property: "name", max: 256, source: "KMS CreateAlias: AliasName 1-256 characters" },
    "aws:secretsmanager/secret:Secret": { property: "name", max: 512, source: "Secrets Manager CreateSecret: Name 1-512 characters" },
    "aws:backup/vault:Vault": { property: "name", max: 50, source: "terraform-provider-aws aws_backup_vault: name StringLenBetween(2, 50)" },
    "aws:backup/plan:Plan": { property: "name", max: 50, source: "AWS Backup CreateBackupPlan: BackupPlanName, at most 50 characters" },
    "aws:backup/selection:Selection": { property: "name", max: 50, source: "terraform-provider-aws aws_backup_selection: name StringLenBetween(1, 50)" },
    "aws:servicediscovery/httpNamespace:HttpNamespace": { property: "name", max: 1024, source: "Cloud Map CreateHttpNamespace: Name up to 1024 characters" },
    "aws:appautoscaling/policy:Policy": { property: "name", max: 255, source: "Application Auto Scaling PutScalingPolicy: PolicyName 1-256 characters" },
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": {
        property: "name",
        max: 113,
        source: 'CloudFormation stack names: at most 128 characters; the Serverless Application Repository prefixes "serverlessrepo-" (15)',
    },
    // The rotation application's template names its function by a parameter; workers' functions are auto-named (pulumi-aws AutoName(name, 64)).
    "aws:lambda/function:Function": { property: "name", max: 64, source: "Lambda CreateFunction: FunctionName 1-64 characters; pulumi-aws AutoName(name, 64)" },
    "aws:lambda/alias:Alias": { property: "name", max: 128, source: "Lambda CreateAlias: Name 1-128 characters" },
    "aws:sqs/queue:Queue": { property: "name", max: 80, source: "SQS CreateQueue: QueueName up to 80 characters; pulumi-aws AutoName(name, 80)" },
    "aws:apigatewayv2/api:Api": { property: "name", max: 128, source: "API Gateway v2 CreateApi: Name up to 128 characters" },
    "aws:apigatewayv2/stage:Stage": { property: "name", max: 128, source: "API Gateway v2 CreateStage: StageName up to 128 characters ($default here)" },
    "aws:scheduler/schedule:Schedule": {
        property: "name",
        max: 64,
        source: "EventBridge Scheduler CreateSchedule: Name 1-64 characters of [0-9a-zA-Z-_.]; terraform-provider-aws aws_scheduler_schedule validateName",
    },
    "aws:sns/topic:Topic": { property: "name", max: 256, source: "SNS CreateTopic: Name 1-256 characters" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", max: 255, source: "CloudWatch PutMetricAlarm: AlarmName 1-255 characters" },
    "aws:cloudwatch/dashboard:Dashboard": { property: "dashboardName", max: 255, source: "CloudWatch PutDashboard: DashboardName up to 255 characters (letters, digits, - and _)" },
    "aws:cloudwatch/eventRule:EventRule": { property: "name", max: 64, source: "EventBridge PutRule: Name 1-64 characters; pulumi-aws AutoName(name, 64)" },
    "aws:rds/eventSubscription:EventSubscription": { property: "name", max: 255, source: "RDS CreateEventSubscription: SubscriptionName up to 255 characters" },
    // Edge (components/edge/): auto-named from `<stack>-edge-<role>`.
    "aws:cloudfront/function:Function": { property: "name", max: 64, source: "CloudFront CreateFunction: Name 1-64 characters [a-zA-Z0-9-_]" },
    "aws:cloudfront/cachePolicy:CachePolicy": { property: "name", max: 128, source: "CloudFront CreateCachePolicy: Name, at most 128 characters" },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": { property: "name", max: 128, source: "CloudFront CreateResponseHeadersPolicy: Name, at most 128 characters" },
    "aws:cloudfront/originAccessControl:OriginAccessControl": { property: "name", max: 64, source: "CloudFront CreateOriginAccessControl: Name, at most 64 characters" },
    "aws:wafv2/webAcl:WebAcl": { property: "name", max: 128, source: "WAFV2 CreateWebACL: Name 1-128 characters [\\w-]" },
};

/** Any 12-digit AWS account id: names that contain the account (the replicated uploads bucket) are checked with it. */
export const ACCOUNT_ID_PLACEHOLDER = "123456789012";

/** Most read replicas config allows (database.readReplicas); the longest RDS identifier uses it. */
const MAX_READ_REPLICAS = 5;

export interface PhysicalName {
    type: keyof typeof NAME_LIMITS;
    /** The name, or for auto-named resources the logical name Pulumi adds 8 characters to. */
    name: string;
    autoNamed: boolean;
    /** The service the name contains, when it contains one. */
    service?: string;
    /** The worker the name contains, when it contains one. */
    worker?: string;
}

/** Length AWS sees: the explicit name, or the logical name plus Pulumi's random suffix. */
export function physicalLength(n: Pick<PhysicalName, "name" | "autoNamed">): number {
    return n.name.length + (n.autoNamed ? AUTO_NAME_SUFFIX : 0);
}

/**
 * The longest physical names a stack can produce, from its project, stack and service names (the
 * logical names of components/: `<stack>-network-…`, `<stack>-data-…`, `<stack>-compute-<service>-…`).
 */
export function physicalNames(project: string, stack: string, services: readonly string[], workers: readonly string[] = []): PhysicalName[] {
    const auto = (type: keyof typeof NAME_LIMITS, name: string, service?: string): PhysicalName => ({ type, name, autoNamed: true, service });
    const fixed = (type: keyof typeof NAME_LIMITS, name: string, service?: string): PhysicalName => ({ type, name, autoNamed: false, service });
    const w = (n: PhysicalName, worker: string): PhysicalName => ({ ...n, worker });
    const db = `${project}-${stack}-postgres`;
    const longestDb = `${db}-replica-${MAX_READ_REPLICAS}`;
    return [
        auto("aws:iam/role:Role", `${stack}-network-flow-logs`),
        auto("aws:iam/role:Role", `${stack}-data-db-monitoring`),
        auto("aws:iam/role:Role", `${stack}-data-backup`),
        auto("aws:elasticache/replicationGroup:ReplicationGroup", `${stack}-data-cache`),
        auto("aws:s3/bucket:Bucket", `${stack}-data-logs`),
        // Every stack's uploads bucket: the fixed name a primary's replication derives (components/naming.ts uploadsBucketName).
        fixed("aws:s3/bucket:Bucket", `${project}-${stack}-uploads-${ACCOUNT_ID_PLACEHOLDER}`),
        auto("aws:backup/vault:Vault", `${stack}-data-backup-copy`),
        auto("aws:backup/plan:Plan", `${stack}-data-backup`),
        auto("aws:backup/selection:Selection", `${stack}-data-backup`),
        auto("aws:secretsmanager/secret:Secret", `${stack}-data-cache-auth`),
        fixed("aws:rds/instance:Instance", longestDb),
        fixed("aws:cloudwatch/logGroup:LogGroup", `/aws/rds/instance/${longestDb}/postgresql`),
        fixed("aws:kms/alias:Alias", `alias/${project}-${stack}/data`),
        fixed("aws:lb/loadBalancer:LoadBalancer", `${project}-${stack}-in`),
        auto("aws:serverlessrepository/cloudFormationStack:CloudFormationStack", `${stack}-data-db-rotation`),
        fixed("aws:lambda/function:Function", `${project}-${stack}-db-rotation`),
        auto("aws:cloudfront/function:Function", `${stack}-edge-spa-routing`),
        auto("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", `${stack}-edge-security-headers`),
        auto("aws:wafv2/webAcl:WebAcl", `${stack}-edge-waf`),
        fixed("aws:cloudwatch/logGroup:LogGroup", `aws-waf-logs-${project}-${stack}`),
        ...services.flatMap((svc) => [
            auto("aws:iam/role:Role", `${stack}-compute-${svc}-execution`, svc),
            auto("aws:iam/role:Role", `${stack}-compute-${svc}-task`, svc),
            auto("aws:iam/rolePolicy:RolePolicy", `${stack}-compute-${svc}-execution`, svc),
            auto("aws:appautoscaling/policy:Policy", `${stack}-compute-${svc}-requests`, svc),
            fixed("aws:ecr/repository:Repository", `${project}/${stack}/${svc}`, svc),
            fixed("aws:cloudwatch/logGroup:LogGroup", `/${project}/${stack}/services/${svc}`, svc),
            fixed("aws:ecs/taskDefinition:TaskDefinition", `${project}-${stack}-${svc}-migrate`, svc),
        ]),
        // Workers (components/workers/): `<stack>-workers-<worker>` (function, role, API, schedule; the
        // schedule's role `-sched`, the security group `-sg`) and
        // `<stack>-queues-<worker>-dlq` (queues), auto-named; ECR repository and log groups fixed.
        ...workers.flatMap((wk) =>
            [
                auto("aws:lambda/function:Function", `${stack}-workers-${wk}`),
                auto("aws:iam/role:Role", `${stack}-workers-${wk}`),
                auto("aws:iam/rolePolicy:RolePolicy", `${stack}-workers-${wk}`),
                auto("aws:apigatewayv2/api:Api", `${stack}-workers-${wk}`),
                auto("aws:scheduler/schedule:Schedule", `${stack}-workers-${wk}`),
                auto("aws:iam/role:Role", `${stack}-workers-${wk}-sched`),
                auto("aws:iam/rolePolicy:RolePolicy", `${stack}-workers-${wk}-sched`),
                auto("aws:ec2/securityGroup:SecurityGroup", `${stack}-workers-${wk}-sg`),
                auto("aws:sqs/queue:Queue", `${stack}-queues-${wk}-dlq`),
                fixed("aws:ecr/repository:Repository", `${project}/${stack}/${wk}`),
                fixed("aws:cloudwatch/logGroup:LogGroup", `/${project}/${stack}/workers/${wk}/api-access`),
            ].map((n) => w(n, wk)),
        ),
    ];
}

/**
 * One issue per stack or service whose names would not fit: the service when a service-specific name
 * is too long (a shorter service name fixes it), else the stack name.
 */
export function namingIssues(project: string, stack: string, services: readonly string[], workers: readonly string[] = []): ConfigIssue[] {
    const issues = new Map<string, ConfigIssue>();
    for (const n of physicalNames(project, stack, services, workers)) {
        const limit = NAME_LIMITS[n.type];
        const length = physicalLength(n);
        if (length <= limit.max) continue;
        if (n.worker) {
            const key = `workers.${n.worker}`;
            if (!issues.has(key)) {
                const shown = n.autoNamed ? `${n.name}-xxxxxxx` : n.name;
                issues.set(key, {
                    key,
                    value: n.worker,
                    allowed: `a worker name that keeps every AWS name within its limit with stack "${stack}": ${n.type.split(":").pop()} name "${shown}" would be ${length} characters; AWS allows ${limit.max}`,
                    fix: `use a shorter worker name (at most ${n.worker.length - (length - limit.max)} characters here) or a shorter stack name`,
                });
            }
            continue;
        }
        const key = n.service ? `services.${n.service}` : "(stack name)";
        if (issues.has(key)) continue;
        const shown = n.autoNamed ? `${n.name}-xxxxxxx` : n.name;
        const what = `${n.type.split(":").pop()} name "${shown}" would be ${length} characters; AWS allows ${limit.max}`;
        issues.set(
            key,
            n.service
                ? {
                      key,
                      value: n.service,
                      allowed: `a service name that keeps every AWS name within its limit with stack "${stack}": ${what}`,
                      fix: `use a shorter service name (at most ${n.service.length - (length - limit.max)} characters here) or a shorter stack name`,
                  }
                : {
                      key,
                      value: stack,
                      allowed: `a stack name that keeps every AWS name within its limit: ${what}`,
                      fix: `use a shorter stack name (at most ${stack.length - (length - limit.max)} characters here): pulumi stack rename <shorter-name>`,
                  },
        );
    }
    return [...issues.values()];
}
