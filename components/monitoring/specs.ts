/**
 * Which alarms a stack gets: pure functions from what exists (services, database, cache, workers,
 * queues, edge) and the monitoring settings to alarm specs. Metrics and dimensions follow the AWS
 * CloudWatch metric references of each service (AWS/ApplicationELB, AWS/ECS, ECS/ContainerInsights,
 * AWS/RDS, AWS/ElastiCache, AWS/Lambda, AWS/SQS, AWS/CloudFront, AWS/WAFV2, AWS/Route53).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Levels, MonitoringSettings, Severity } from "../../config";
import { rdsMaxConnections } from "../../config/catalog";
import { DEPLOYMENT_ALARM_ROLES, deploymentAlarmNames, NameScope, namePrefix } from "../naming";
import type { AlarmKindId } from "./catalog";
import type { AlarmOwner, AlarmSpec, MetricRef } from "./alarms";

/** The edge's identifiers (components/edge): everything here is in us-east-1. */
export interface EdgeTargets {
    distributionId: pulumi.Input<string>;
    /** The CLOUDFRONT-scope web ACL's metric name (its visibility config's metricName: the `WebACL` dimension of AWS/WAFV2 metrics). */
    webAclMetricName: pulumi.Input<string>;
    /** The `Rule` dimension of the blocked-requests metric. @default "ALL" (every rule of the web ACL) */
    webAclMetricRule?: pulumi.Input<string>;
    /** Route 53 health check of the public endpoint (prod). @default - no health-check alarm */
    healthCheckId?: pulumi.Input<string>;
}

/** Where edge metrics and their alarms live, whatever the stack's region. */
export const EDGE_REGION = "us-east-1";

export interface ServiceTarget {
    name: string;
    minTasks: number;
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
    /** Public services: the load balancer and every target group the service may serve from (two with a canary). */
    routing?: { loadBalancerArnSuffix: pulumi.Input<string>; targetGroupArnSuffixes: pulumi.Input<string>[] };
}

export interface DatabaseTarget {
    identifier: pulumi.Input<string>;
    replicaIdentifiers: pulumi.Input<string>[];
    allocatedStorageGb: number;
    instanceClass: string;
    /** The instance itself is a cross-region read replica (a passive recovery stack's): its ReplicaLag is watched too. @default false */
    crossRegionReplica?: boolean;
}

export interface WorkerTarget {
    name: string;
    functionName: pulumi.Input<string>;
    /** The newest published version (the canary's, while one runs). */
    newestVersion: pulumi.Input<string>;
    timeoutSeconds: number;
    /** HTTP workers: the API Gateway HTTP API's id (the `ApiId` dimension of AWS/ApiGateway). */
    apiId?: pulumi.Input<string>;
}

export interface QueueTarget {
    /** The worker's name. */
    name: string;
    /** The queue a queue worker consumes; a schedule worker has only its dead-letter queue. */
    queueName?: pulumi.Input<string>;
    dlqName: pulumi.Input<string>;
}

export interface Targets {
    services: ServiceTarget[];
    /** The load balancer, when a public service is deployed (no traffic to watch otherwise). */
    loadBalancerArnSuffix?: pulumi.Input<string>;
    database: DatabaseTarget;
    /** `nodes` per shard; `shards` set in cluster mode (member ids then carry the shard number). */
    cache: { replicationGroupId: pulumi.Input<string>; nodes: number; shards?: number };
    workers: WorkerTarget[];
    queues: QueueTarget[];
    edge?: EdgeTargets;
    /** The NAT instance (`network.natGateways: instance`). @default - none: NAT gateways are managed by AWS */
    natInstanceId?: pulumi.Input<string>;
    /** The uploads' replication to the recovery stack (`platform:replicateTo`). @default - none */
    uploadsReplication?: { sourceBucket: pulumi.Input<string>; destinationBucket: pulumi.Input<string>; ruleId: string };
}

const MINUTE = 60;
const FIVE_MINUTES = 300;

/** Every alarm spec for the stack, in a stable order (the plan counts them). */
export function alarmSpecs(scope: NameScope, t: Targets, m: MonitoringSettings): AlarmSpec[] {
    const b = new SpecBuilder(scope, m);
    if (t.loadBalancerArnSuffix !== undefined) loadBalancerAlarms(b, t.loadBalancerArnSuffix);
    for (const svc of t.services) serviceAlarms(b, svc);
    databaseAlarms(b, t.database);
    cacheAlarms(b, t.cache.replicationGroupId, t.cache.nodes, t.cache.shards);
    for (const w of t.workers) workerAlarms(b, w);
    for (const q of t.queues) queueAlarms(b, q);
    if (t.edge) edgeAlarms(b, t.edge);
    if (t.natInstanceId !== undefined) natInstanceAlarms(b, t.natInstanceId);
    if (t.uploadsReplication !== undefined) replicationAlarms(b, t.uploadsReplication);
    return b.specs;
}

type Base = Omit<AlarmSpec, "id" | "name" | "severity" | "threshold">;

class SpecBuilder {
    readonly specs: AlarmSpec[] = [];
    constructor(
        readonly scope: NameScope,
        readonly m: MonitoringSettings,
    ) {}

    /** One alarm at one severity; its physical name is `<project>-<stack>-<id>`. */
    add(id: string, severity: Severity, threshold: number | undefined, base: Base): void {
        this.specs.push({ id, name: `${namePrefix(this.scope)}-${id}`, severity, threshold, ...base });
    }

    /** A warning and a critical alarm on one signal (`<id>-warning`, `<id>-critical`); the critical one alone without `warningLevels`. */
    levels(id: string, levels: Levels, base: Base, convert: (v: number) => number = (v) => v): void {
        if (this.m.warningLevels) this.add(`${id}-warning`, "warning", convert(levels.warning), base);
        this.add(`${id}-critical`, "critical", convert(levels.critical), base);
    }
}

const above = (kind: AlarmKindId, owner: AlarmOwner, metric: Base["metric"], periods = 5, datapoints = 3): Base => ({
    kind,
    owner,
    metric,
    comparison: "GreaterThanThreshold",
    evaluationPeriods: periods,
    datapointsToAlarm: datapoints,
    treatMissingData: "notBreaching",
});

const metric = (namespace: string, metricName: string, dimensions: MetricRef["dimensions"], stat: string, period = MINUTE): MetricRef => ({
    namespace,
    metricName,
    dimensions,
    stat,
    period,
});

const alb = (metricName: string, stat: string, lb: pulumi.Input<string>, tg?: pulumi.Input<string>) =>
    metric("AWS/ApplicationELB", metricName, tg === undefined ? { LoadBalancer: lb } : { LoadBalancer: lb, TargetGroup: tg }, stat);

function loadBalancerAlarms(b: SpecBuilder, lb: pulumi.Input<string>): void {
    const owner: AlarmOwner = { type: "loadBalancer" };
    const rate = {
        expression: "100 * (FILL(elb, 0) + FILL(target, 0)) / requests",
        label: "5xx % of requests",
        metrics: { elb: alb("HTTPCode_ELB_5XX_Count", "Sum", lb), target: alb("HTTPCode_Target_5XX_Count", "Sum", lb), requests: alb("RequestCount", "Sum", lb) },
    };
    b.levels("alb-5xx-rate", b.m.thresholds.errorRatePercent, above("lb-5xx-rate", owner, rate));
    b.levels("alb-p95", b.m.thresholds.latencyP95Seconds, above("lb-p95", owner, { metric: alb("TargetResponseTime", "p95", lb) }));
    b.levels("alb-p99", b.m.thresholds.latencyP99Seconds, above("lb-p99", owner, { metric: alb("TargetResponseTime", "p99", lb) }));
}

/**
 * Expressions over every target group a service may serve from: with a canary, ECS alternates two,
 * so sums and maxima over both stay meaningful whichever one serves.
 */
function acrossTargetGroups(routing: NonNullable<ServiceTarget["routing"]>, metricName: string, stat: string, prefix: string): Record<string, MetricRef> {
    return Object.fromEntries(routing.targetGroupArnSuffixes.map((tg, i) => [`${prefix}${i}`, alb(metricName, stat, routing.loadBalancerArnSuffix, tg)]));
}
const sumOf = (ids: string[]) => `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`;

function serviceAlarms(b: SpecBuilder, svc: ServiceTarget): void {
    const owner: AlarmOwner = { type: "service", name: svc.name };
    const ecs = (metricName: string) => metric("AWS/ECS", metricName, { ClusterName: svc.clusterName, ServiceName: svc.serviceName }, "Average", FIVE_MINUTES);
    b.levels(`${svc.name}-cpu`, b.m.thresholds.cpuPercent, above("ecs-cpu", owner, { metric: ecs("CPUUtilization") }, 3, 2));
    b.levels(`${svc.name}-memory`, b.m.thresholds.memoryPercent, above("ecs-memory", owner, { metric: ecs("MemoryUtilization") }, 3, 2));
    b.add(`${svc.name}-running-tasks`, "critical", svc.minTasks, {
        ...above("ecs-running-tasks", owner, {
            metric: metric("ECS/ContainerInsights", "RunningTaskCount", { ClusterName: svc.clusterName, ServiceName: svc.serviceName }, "Minimum"),
        }),
        comparison: "LessThanThreshold",
        treatMissingData: "missing",
    });
    if (!svc.routing) return;

    const r = svc.routing;
    const errors = acrossTargetGroups(r, "HTTPCode_Target_5XX_Count", "Sum", "errors");
    const requests = acrossTargetGroups(r, "RequestCount", "Sum", "requests");
    const rate = { expression: `100 * ${sumOf(Object.keys(errors))} / ${sumOf(Object.keys(requests))}`, label: "5xx % of requests", metrics: { ...errors, ...requests } };
    const latency = (p: string) => {
        const ms = acrossTargetGroups(r, "TargetResponseTime", p, "latency");
        return { expression: `MAX([${Object.keys(ms).join(", ")}])`, label: `${p} response time (s)`, metrics: ms };
    };
    const unhealthy = acrossTargetGroups(r, "UnHealthyHostCount", "Maximum", "unhealthy");
    const unhealthySum = { expression: sumOf(Object.keys(unhealthy)), label: "unhealthy targets", metrics: unhealthy };
    const healthy = acrossTargetGroups(r, "HealthyHostCount", "Minimum", "healthy");

    b.levels(`${svc.name}-5xx-rate`, b.m.thresholds.errorRatePercent, above("service-5xx-rate", owner, rate));
    b.levels(`${svc.name}-p95`, b.m.thresholds.latencyP95Seconds, above("service-p95", owner, latency("p95")));
    b.levels(`${svc.name}-p99`, b.m.thresholds.latencyP99Seconds, above("service-p99", owner, latency("p99")));
    b.add(`${svc.name}-unhealthy-targets`, "warning", 0, above("service-unhealthy-targets", owner, unhealthySum));
    // A service that may run no task (minTasks 0, e.g. a passive recovery stack's) has no healthy target by design.
    if (svc.minTasks > 0) {
        b.add(`${svc.name}-no-healthy-targets`, "critical", 1, {
            ...above("service-no-healthy-targets", owner, { expression: sumOf(Object.keys(healthy)), label: "healthy targets", metrics: healthy }, 3, 2),
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
        });
    }

    // The alarms that roll a deployment back, under the names compute gave ECS (deploymentAlarmNames).
    // Fast: 2 of 3 one-minute periods, so ECS sees them within its bake time.
    const names = deploymentAlarmNames(b.scope, svc.name);
    const deploy: Record<(typeof DEPLOYMENT_ALARM_ROLES)[number], { kind: AlarmKindId; threshold: number; metric: Base["metric"] }> = {
        "5xx": { kind: "deploy-5xx", threshold: b.m.deployment.errorRatePercent, metric: rate },
        p99: { kind: "deploy-p99", threshold: b.m.deployment.latencyP99Seconds, metric: latency("p99") },
        "unhealthy-hosts": { kind: "deploy-unhealthy-hosts", threshold: 0, metric: unhealthySum },
    };
    DEPLOYMENT_ALARM_ROLES.forEach((role, i) => {
        const d = deploy[role];
        b.specs.push({ id: `${svc.name}-deploy-${role}`, name: names[i], severity: "warning", threshold: d.threshold, ...above(d.kind, owner, d.metric, 3, 2) });
    });
}

const GIB = 1024 ** 3;

function databaseAlarms(b: SpecBuilder, db: DatabaseTarget): void {
    const owner: AlarmOwner = { type: "database" };
    const rds = (metricName: string, stat: string, id: pulumi.Input<string> = db.identifier) => metric("AWS/RDS", metricName, { DBInstanceIdentifier: id }, stat, FIVE_MINUTES);
    b.levels("db-cpu", b.m.thresholds.dbCpuPercent, above("db-cpu", owner, { metric: rds("CPUUtilization", "Average") }, 3, 3));
    // Free bytes left when the disk is `used` % full, from the configured allocation (autoscaling may grow it).
    const freeBytes = (used: number) => Math.round((db.allocatedStorageGb * GIB * (100 - used)) / 100);
    b.levels(
        "db-free-storage",
        b.m.thresholds.diskUsedPercent,
        { ...above("db-free-storage", owner, { metric: rds("FreeStorageSpace", "Minimum") }, 2, 2), comparison: "LessThanThreshold" },
        freeBytes,
    );
    const max = rdsMaxConnections(db.instanceClass);
    if (max !== undefined) {
        b.levels("db-connections", b.m.thresholds.dbConnectionsPercent, above("db-connections", owner, { metric: rds("DatabaseConnections", "Maximum") }, 3, 3), (pct) =>
            Math.floor((max * pct) / 100),
        );
    }
    // A passive recovery stack's database is a replica of the primary in another region: its lag is the RPO of a failover.
    if (db.crossRegionReplica) {
        b.levels("db-cross-region-replica-lag", b.m.thresholds.replicationLagSeconds, above("db-replica-lag", owner, { metric: rds("ReplicaLag", "Maximum") }, 3, 3));
    }
    db.replicaIdentifiers.forEach((id, i) => {
        b.levels(`db-replica-${i + 1}-lag`, b.m.thresholds.replicationLagSeconds, above("db-replica-lag", owner, { metric: rds("ReplicaLag", "Maximum", id) }, 3, 3));
    });
}

/**
 * Member clusters (the `CacheClusterId` dimension) as ElastiCache names them: cluster mode off
 * `<group id>-001`, `-002`, …; cluster mode on (`shards` given, `nodes` per shard) `<group id>-0001-001`,
 * `<group id>-0001-002`, `<group id>-0002-001`, … (shard, then node within the shard).
 */
export function cacheNodeIds(groupId: pulumi.Input<string>, nodes: number, shards?: number): pulumi.Output<string>[] {
    const node = (i: number) => String(i + 1).padStart(3, "0");
    if (shards === undefined) return Array.from({ length: nodes }, (_, i) => pulumi.interpolate`${groupId}-${node(i)}`);
    return Array.from({ length: shards }, (_, s) => Array.from({ length: nodes }, (_, i) => pulumi.interpolate`${groupId}-${String(s + 1).padStart(4, "0")}-${node(i)}`)).flat();
}

function cacheAlarms(b: SpecBuilder, groupId: pulumi.Input<string>, nodes: number, shards?: number): void {
    const owner: AlarmOwner = { type: "cache" };
    const perNode = (metricName: string, stat: string) =>
        Object.fromEntries(cacheNodeIds(groupId, nodes, shards).map((id, i) => [`n${i + 1}`, metric("AWS/ElastiCache", metricName, { CacheClusterId: id }, stat, FIVE_MINUTES)]));
    const busiest = (metricName: string, stat: string, label: string) => {
        const ms = perNode(metricName, stat);
        return { expression: `MAX([${Object.keys(ms).join(", ")}])`, label, metrics: ms };
    };
    b.levels("cache-cpu", b.m.thresholds.cacheCpuPercent, above("cache-cpu", owner, busiest("EngineCPUUtilization", "Average", "engine CPU % (busiest node)"), 3, 3));
    b.levels("cache-memory", b.m.thresholds.memoryPercent, above("cache-memory", owner, busiest("DatabaseMemoryUsagePercentage", "Average", "memory % (busiest node)"), 3, 3));
    const evictions = perNode("Evictions", "Sum");
    b.add("cache-evictions", "warning", 0, above("cache-evictions", owner, { expression: sumOf(Object.keys(evictions)), label: "evictions", metrics: evictions }, 3, 3));
    if (nodes > 1) {
        b.levels("cache-replication-lag", b.m.thresholds.replicationLagSeconds, above("cache-replication-lag", owner, busiest("ReplicationLag", "Maximum", "replication lag (s)"), 3, 3));
    }
}

function workerAlarms(b: SpecBuilder, w: WorkerTarget): void {
    const owner: AlarmOwner = { type: "worker", name: w.name };
    const alias = { FunctionName: w.functionName, Resource: pulumi.interpolate`${w.functionName}:live` };
    const lambda = (metricName: string, stat: string, dims: MetricRef["dimensions"] = alias) => metric("AWS/Lambda", metricName, dims, stat, FIVE_MINUTES);
    const rate = (dims: MetricRef["dimensions"]) => ({
        expression: "100 * FILL(errors, 0) / invocations",
        label: "error % of invocations",
        metrics: { errors: lambda("Errors", "Sum", dims), invocations: lambda("Invocations", "Sum", dims) },
    });
    b.levels(`${w.name}-error-rate`, b.m.thresholds.errorRatePercent, above("worker-error-rate", owner, rate(alias), 3, 2));
    b.add(`${w.name}-canary-errors`, "critical", b.m.deployment.errorRatePercent, above("worker-canary-errors", owner, rate({ ...alias, ExecutedVersion: w.newestVersion }), 3, 2));
    b.add(`${w.name}-throttles`, "warning", 0, above("worker-throttles", owner, { metric: lambda("Throttles", "Sum") }, 3, 3));
    if (w.apiId !== undefined) {
        // What the API's callers wait for (seed 002: response time > 1 s / > 3 s). HTTP API Latency is in milliseconds.
        const latency = metric("AWS/ApiGateway", "Latency", { ApiId: w.apiId }, "p95", MINUTE);
        b.levels(`${w.name}-api-p95`, b.m.thresholds.latencyP95Seconds, above("worker-api-p95", owner, { metric: latency }), (seconds) => seconds * 1000);
    }
    b.levels(`${w.name}-duration`, b.m.thresholds.workerDurationPercent, above("worker-duration", owner, { metric: lambda("Duration", "Maximum") }, 3, 2), (pct) =>
        Math.round(w.timeoutSeconds * 10 * pct),
    );
}

function queueAlarms(b: SpecBuilder, q: QueueTarget): void {
    const owner: AlarmOwner = { type: "queue", name: q.name };
    const sqs = (queue: pulumi.Input<string>, metricName: string) => metric("AWS/SQS", metricName, { QueueName: queue }, "Maximum", FIVE_MINUTES);
    if (q.queueName !== undefined) b.levels(`${q.name}-queue-age`, b.m.thresholds.queueAgeSeconds, above("queue-age", owner, { metric: sqs(q.queueName, "ApproximateAgeOfOldestMessage") }, 2, 2));
    b.add(`${q.name}-dlq`, "critical", 0, above("queue-dlq", owner, { metric: sqs(q.dlqName, "ApproximateNumberOfMessagesVisible") }, 1, 1));
}

function edgeAlarms(b: SpecBuilder, edge: EdgeTargets): void {
    const owner: AlarmOwner = { type: "edge" };
    const region = EDGE_REGION;
    b.levels("edge-5xx-rate", b.m.thresholds.errorRatePercent, {
        ...above("edge-5xx-rate", owner, { metric: metric("AWS/CloudFront", "5xxErrorRate", { DistributionId: edge.distributionId, Region: "Global" }, "Average") }),
        region,
    });
    b.add("edge-waf-blocked", "warning", undefined, {
        ...above("edge-waf-blocked", owner, { anomaly: metric("AWS/WAFV2", "BlockedRequests", { WebACL: edge.webAclMetricName, Rule: edge.webAclMetricRule ?? "ALL" }, "Sum"), band: 2 }),
        comparison: "GreaterThanUpperThreshold",
        region,
    });
    if (edge.healthCheckId !== undefined) {
        b.add("edge-health-check", "critical", 1, {
            ...above("edge-health-check", owner, { metric: metric("AWS/Route53", "HealthCheckStatus", { HealthCheckId: edge.healthCheckId }, "Minimum") }, 3, 2),
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
            region,
        });
    }
}

/**
 * The NAT instance carries all private egress. StatusCheckFailed (instance or system) is published every
 * minute at no charge, detailed monitoring or not (EC2 User Guide, "Status checks").
 */
function natInstanceAlarms(b: SpecBuilder, instanceId: pulumi.Input<string>): void {
    const owner: AlarmOwner = { type: "network" };
    b.add("nat-instance-status", "critical", 0, above("nat-instance-status", owner, { metric: metric("AWS/EC2", "StatusCheckFailed", { InstanceId: instanceId }, "Maximum") }, 3, 3));
}

/**
 * The uploads' S3 replication to the recovery stack (replication metrics are on: S3 publishes them to
 * CloudWatch per rule). A failed operation is an object the recovery region does not have: the recovery
 * point of the uploads grows until someone looks (S3 user guide, "Monitoring replication with metrics":
 * OperationsFailedReplication by SourceBucket, DestinationBucket and RuleId).
 */
export function replicationMetric(r: NonNullable<Targets["uploadsReplication"]>): MetricRef {
    return metric("AWS/S3", "OperationsFailedReplication", { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: r.ruleId }, "Sum", FIVE_MINUTES);
}

function replicationAlarms(b: SpecBuilder, r: NonNullable<Targets["uploadsReplication"]>): void {
    const owner: AlarmOwner = { type: "data" };
    b.add("uploads-replication-failed", "warning", 0, { ...above("uploads-replication-failed", owner, { metric: replicationMetric(r) }, 1, 1), treatMissingData: "notBreaching" });
}
