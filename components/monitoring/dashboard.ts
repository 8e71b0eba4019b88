/**
 * The stack's CloudWatch dashboard: the golden signals (traffic, errors, latency, saturation) of every
 * resource the stack has — and only those: a widget per service, worker, queue, the database, the
 * cache and, when given, the edge.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MetricRef } from "./alarms";
import { cacheNodeIds, EDGE_REGION, Targets } from "./specs";

interface Widget {
    title: string;
    region: string;
    metrics: Omit<MetricRef, "period">[];
}

const m = (namespace: string, metricName: string, dimensions: MetricRef["dimensions"], stat: string): Omit<MetricRef, "period"> => ({ namespace, metricName, dimensions, stat });

/** The widgets, top to bottom: load balancer, services, database, cache, workers (and their HTTP APIs), queues, edge. Every metric an alarm reads is on one of them. */
export function dashboardWidgets(t: Targets, region: string): Widget[] {
    const w: Widget[] = [];
    const add = (title: string, metrics: Widget["metrics"], at = region) => w.push({ title, region: at, metrics });
    if (t.loadBalancerArnSuffix !== undefined) {
        const lb = { LoadBalancer: t.loadBalancerArnSuffix };
        add("Load balancer: requests and 5xx", [m("AWS/ApplicationELB", "RequestCount", lb, "Sum"), m("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum"), m("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum")]);
        add("Load balancer: response time p95 / p99", [m("AWS/ApplicationELB", "TargetResponseTime", lb, "p95"), m("AWS/ApplicationELB", "TargetResponseTime", lb, "p99")]);
    }
    for (const svc of t.services) {
        const ecs = { ClusterName: svc.clusterName, ServiceName: svc.serviceName };
        add(`Service ${svc.name}: CPU, memory, running tasks`, [m("AWS/ECS", "CPUUtilization", ecs, "Average"), m("AWS/ECS", "MemoryUtilization", ecs, "Average"), m("ECS/ContainerInsights", "RunningTaskCount", ecs, "Minimum")]);
        if (svc.routing) {
            const tgs = svc.routing.targetGroupArnSuffixes.map((tg) => ({ LoadBalancer: svc.routing!.loadBalancerArnSuffix, TargetGroup: tg }));
            add(`Service ${svc.name}: requests, 5xx, p99, healthy / unhealthy targets`, tgs.flatMap((d) => [
                m("AWS/ApplicationELB", "RequestCount", d, "Sum"),
                m("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum"),
                m("AWS/ApplicationELB", "TargetResponseTime", d, "p99"),
                m("AWS/ApplicationELB", "HealthyHostCount", d, "Minimum"),
                m("AWS/ApplicationELB", "UnHealthyHostCount", d, "Maximum"),
            ]));
        }
    }
    const db = { DBInstanceIdentifier: t.database.identifier };
    add("Database: CPU, connections, free storage", [m("AWS/RDS", "CPUUtilization", db, "Average"), m("AWS/RDS", "DatabaseConnections", db, "Maximum"), m("AWS/RDS", "FreeStorageSpace", db, "Minimum")]);
    if (t.database.replicaIdentifiers.length > 0) {
        add("Database replicas: lag", t.database.replicaIdentifiers.map((id) => m("AWS/RDS", "ReplicaLag", { DBInstanceIdentifier: id }, "Maximum")));
    }
    // A passive recovery stack's database is itself a cross-region replica: its lag is the recovery point.
    if (t.database.crossRegionReplica) add("Database: cross-region replica lag (the recovery point)", [m("AWS/RDS", "ReplicaLag", db, "Maximum")]);
    if (t.natInstanceId !== undefined) add("Network: NAT instance status checks", [m("AWS/EC2", "StatusCheckFailed", { InstanceId: t.natInstanceId }, "Maximum")]);
    if (t.uploadsReplication !== undefined) {
        const r = t.uploadsReplication;
        add("Uploads replication: failed operations", [m("AWS/S3", "OperationsFailedReplication", { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: r.ruleId }, "Sum")]);
    }
    const nodes = cacheNodeIds(t.cache.replicationGroupId, t.cache.nodes, t.cache.shards).map((id) => ({ CacheClusterId: id }));
    add("Cache: engine CPU, memory, evictions", nodes.flatMap((d) => [m("AWS/ElastiCache", "EngineCPUUtilization", d, "Average"), m("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", d, "Average"), m("AWS/ElastiCache", "Evictions", d, "Sum")]));
    // Replicas (more than one node per shard) have a replication lag, and an alarm on it.
    if (t.cache.nodes > 1) add("Cache: replication lag", nodes.map((d) => m("AWS/ElastiCache", "ReplicationLag", d, "Maximum")));
    for (const wk of t.workers) {
        const alias = { FunctionName: wk.functionName, Resource: pulumi.interpolate`${wk.functionName}:live` };
        add(`Worker ${wk.name}: invocations, errors, throttles, duration`, [
            m("AWS/Lambda", "Invocations", alias, "Sum"),
            m("AWS/Lambda", "Errors", alias, "Sum"),
            m("AWS/Lambda", "Throttles", alias, "Sum"),
            m("AWS/Lambda", "Duration", alias, "p99"),
        ]);
        // The newest version alone: what a canary's error alarm reads (the whole alias hides a canary's share).
        const newest = { ...alias, ExecutedVersion: wk.newestVersion };
        add(`Worker ${wk.name}: newest version's invocations and errors`, [m("AWS/Lambda", "Invocations", newest, "Sum"), m("AWS/Lambda", "Errors", newest, "Sum")]);
        if (wk.apiId !== undefined) {
            // What the HTTP API's callers see (seed 002's response-time alarms read Latency p95, in milliseconds).
            const api = { ApiId: wk.apiId };
            add(`HTTP API ${wk.name}: requests, 5xx, latency p95 / p99 (ms)`, [
                m("AWS/ApiGateway", "Count", api, "Sum"),
                m("AWS/ApiGateway", "5xx", api, "Sum"),
                m("AWS/ApiGateway", "Latency", api, "p95"),
                m("AWS/ApiGateway", "Latency", api, "p99"),
            ]);
        }
    }
    for (const q of t.queues) {
        const deadLetters = m("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: q.dlqName }, "Maximum");
        if (q.queueName === undefined) add(`Queue ${q.name}: dead letters (failed schedule invocations)`, [deadLetters]);
        else add(`Queue ${q.name}: oldest message, dead letters`, [m("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: q.queueName }, "Maximum"), deadLetters]);
    }
    if (t.edge) {
        const cf = { DistributionId: t.edge.distributionId, Region: "Global" };
        add("Edge: CloudFront requests and 5xx rate", [m("AWS/CloudFront", "Requests", cf, "Sum"), m("AWS/CloudFront", "5xxErrorRate", cf, "Average")], EDGE_REGION);
        add("Edge: WAF blocked requests", [m("AWS/WAFV2", "BlockedRequests", { WebACL: t.edge.webAclMetricName, Rule: t.edge.webAclMetricRule ?? "ALL" }, "Sum")], EDGE_REGION);
        if (t.edge.healthCheckId !== undefined) add("Edge: health check", [m("AWS/Route53", "HealthCheckStatus", { HealthCheckId: t.edge.healthCheckId }, "Minimum")], EDGE_REGION);
    }
    return w;
}

/** The dashboard body (JSON): two widgets a row, each a time series of its metrics. */
export function dashboardBody(widgets: Widget[]): pulumi.Output<string> {
    return pulumi.jsonStringify({
        widgets: widgets.map((wd, i) => ({
            type: "metric",
            x: (i % 2) * 12,
            y: Math.floor(i / 2) * 6,
            width: 12,
            height: 6,
            properties: {
                title: wd.title,
                region: wd.region,
                view: "timeSeries",
                period: 60,
                metrics: wd.metrics.map((x) => [x.namespace, x.metricName, ...Object.entries(x.dimensions).flat(), { stat: x.stat }]),
            },
        })),
    });
}
