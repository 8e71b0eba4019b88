/**
 * What every alarm means and what to do first: one row per alarm kind and severity. Alarm
 * descriptions (the on-call runbook in the notification) and the README's alarm table are both built
 * from this table, and a test keeps the README equal to `alarmTable()`, so they cannot drift.
 */
import type { MonitoringSettings, Severity } from "../../config";

type Thresholds = MonitoringSettings["thresholds"];

export interface AlarmKind {
    /** What is watched: "Load balancer", "Public service", … */
    resource: string;
    /** The signal, short: "5xx rate". */
    signal: string;
    /** The condition per severity, in words, from the stack's settings (README: the prod tier's defaults). */
    when: Partial<Record<Severity, (m: MonitoringSettings) => string>>;
    /** What the alarm means, one sentence. */
    meaning: string;
    /** The first thing on-call does. */
    firstResponse: string;
}

const levels = (pick: (t: Thresholds) => { warning: number; critical: number }, unit: string, cmp = ">") => ({
    warning: (m: MonitoringSettings) => `${cmp} ${pick(m.thresholds).warning}${unit}`,
    critical: (m: MonitoringSettings) => `${cmp} ${pick(m.thresholds).critical}${unit}`,
});

export const ALARM_KINDS = {
    "lb-5xx-rate": {
        resource: "Load balancer",
        signal: "5xx rate (load balancer + targets, of all requests)",
        when: levels((t) => t.errorRatePercent, " %"),
        meaning: "Requests are failing with 5xx across the stack.",
        firstResponse: "Check which service's 5xx alarm fires too; no service alarm means the load balancer itself (502/503/504: no healthy targets, timeouts) — look at target health.",
    },
    "lb-p95": {
        resource: "Load balancer",
        signal: "p95 response time",
        when: levels((t) => t.latencyP95Seconds, " s"),
        meaning: "One request in twenty is slower than the limit.",
        firstResponse: "Find the slow service on the dashboard; check database CPU and connections next.",
    },
    "lb-p99": {
        resource: "Load balancer",
        signal: "p99 response time",
        when: levels((t) => t.latencyP99Seconds, " s"),
        meaning: "The slowest requests take longer than the limit.",
        firstResponse: "Same as p95; a p99 alone often means a slow dependency or cold tasks after scaling.",
    },
    "service-5xx-rate": {
        resource: "Public service",
        signal: "5xx rate of its targets",
        when: levels((t) => t.errorRatePercent, " %"),
        meaning: "This service answers a share of requests with 5xx.",
        firstResponse: "Read the service's log group (`services` output); if it started with a deploy, roll back (README \"Runbook: roll back a service\").",
    },
    "service-p95": {
        resource: "Public service",
        signal: "p95 response time",
        when: levels((t) => t.latencyP95Seconds, " s"),
        meaning: "This service is slow for one request in twenty.",
        firstResponse: "Check its CPU/memory alarms and the database; scale out (maxTasks) if it is saturated.",
    },
    "service-p99": {
        resource: "Public service",
        signal: "p99 response time",
        when: levels((t) => t.latencyP99Seconds, " s"),
        meaning: "This service's slowest requests exceed the limit.",
        firstResponse: "As p95; look for slow queries in the database's postgresql log group.",
    },
    "service-unhealthy-targets": {
        resource: "Public service",
        signal: "unhealthy targets",
        when: { warning: () => "> 0 for 3 of 5 minutes" },
        meaning: "Some tasks fail the load balancer's health check.",
        firstResponse: "`aws elbv2 describe-target-health` on its target group; read the failing tasks' logs.",
    },
    "service-no-healthy-targets": {
        resource: "Public service",
        signal: "healthy targets",
        when: { critical: () => "< 1 for 2 of 3 minutes" },
        meaning: "The service is down: no task passes the health check (seed 004: service health check failed).",
        firstResponse: "Roll back (README \"Runbook: roll back a service\") if a deploy just ran; else check the database and cache alarms.",
    },
    "ecs-cpu": {
        resource: "ECS service",
        signal: "CPU (share of the task's reservation)",
        when: levels((t) => t.cpuPercent, " %"),
        meaning: "Tasks are running out of CPU; autoscaling is at its limit or too slow.",
        firstResponse: "Check the running task count against maxTasks; raise maxTasks or cpu in the stack file.",
    },
    "ecs-memory": {
        resource: "ECS service",
        signal: "memory (share of the task's reservation)",
        when: levels((t) => t.memoryPercent, " %"),
        meaning: "Tasks are close to their memory limit and will be killed (OOM) beyond it.",
        firstResponse: "Look for a leak after the last deploy (roll back); otherwise raise memory in the stack file.",
    },
    "ecs-running-tasks": {
        resource: "ECS service",
        signal: "running tasks",
        when: { critical: () => "< minTasks for 3 of 5 minutes" },
        meaning: "Fewer tasks run than the service's minimum: tasks crash or cannot start.",
        firstResponse: "`aws ecs describe-services` (events, stopped reason); Spot interruptions in dev recover by themselves.",
    },
    "deploy-5xx": {
        resource: "Public service (deployment)",
        signal: "5xx rate over both target groups",
        when: { warning: (m) => `> ${m.deployment.errorRatePercent} % for 2 of 3 minutes` },
        meaning: "The running deployment is unhealthy: ECS rolls it back by itself (seeds 002/004: error rate > 5 %).",
        firstResponse: "Nothing to do for the rollback; find why the release failed in its logs before shipping a fix.",
    },
    "deploy-p99": {
        resource: "Public service (deployment)",
        signal: "p99 response time over both target groups",
        when: { warning: (m) => `> ${m.deployment.latencyP99Seconds} s for 2 of 3 minutes` },
        meaning: "The running deployment is slow: ECS rolls it back by itself (seed 002: response time > 3 s).",
        firstResponse: "As above; compare the release's p99 with the previous one on the dashboard.",
    },
    "deploy-unhealthy-hosts": {
        resource: "Public service (deployment)",
        signal: "unhealthy targets over both target groups",
        when: { warning: () => "> 0 for 2 of 3 minutes" },
        meaning: "New tasks fail health checks: ECS rolls the deployment back by itself (seeds: failing health checks).",
        firstResponse: "As above; the stopped tasks' reason is in `aws ecs describe-tasks`.",
    },
    "db-cpu": {
        resource: "Database",
        signal: "CPU",
        when: levels((t) => t.dbCpuPercent, " %"),
        meaning: "PostgreSQL is CPU-bound; queries queue up.",
        firstResponse: "Performance Insights (prod) / pg_stat_statements for the top query; move reads to the replica.",
    },
    "db-free-storage": {
        resource: "Database",
        signal: "free storage",
        when: {
            warning: (m) => `< ${100 - m.thresholds.diskUsedPercent.warning} % of allocated`,
            critical: (m) => `< ${100 - m.thresholds.diskUsedPercent.critical} % of allocated`,
        },
        meaning: "The database disk fills up (seed 004: disk > 80 %); storage autoscaling may not keep up.",
        firstResponse: "Check maxAllocatedStorageGb headroom; raise allocatedStorageGb in the stack file; look for bloat or runaway logs.",
    },
    "db-connections": {
        resource: "Database",
        signal: "connections (share of the class's max_connections)",
        when: levels((t) => t.dbConnectionsPercent, " %"),
        meaning: "Connections near max_connections: new ones will be refused.",
        firstResponse: "Find the service holding them (pg_stat_activity); lower its pool size or task count, or use a larger class.",
    },
    "db-replica-lag": {
        resource: "Read replica",
        signal: "replica lag",
        when: levels((t) => t.replicationLagSeconds, " s"),
        meaning: "Reads from the replica are stale.",
        firstResponse: "Check the primary's write load and the replica's CPU/IO; send critical reads to the primary.",
    },
    "cache-cpu": {
        resource: "Cache",
        signal: "engine CPU (busiest node)",
        when: levels((t) => t.cacheCpuPercent, " %"),
        meaning: "The cache engine thread is saturated; commands queue.",
        firstResponse: "Look for expensive commands (SLOWLOG); a larger node type if load is legitimate.",
    },
    "cache-memory": {
        resource: "Cache",
        signal: "memory used (busiest node)",
        when: levels((t) => t.memoryPercent, " %"),
        meaning: "The cache is near its memory limit; evictions follow.",
        firstResponse: "Check key TTLs and growth; a larger node type.",
    },
    "cache-evictions": {
        resource: "Cache",
        signal: "evictions",
        when: { warning: () => "> 0 in 3 consecutive 5-minute periods" },
        meaning: "Keys are being evicted for lack of memory.",
        firstResponse: "As memory: TTLs, key growth, node size.",
    },
    "cache-replication-lag": {
        resource: "Cache",
        signal: "replication lag (slowest replica)",
        when: levels((t) => t.replicationLagSeconds, " s"),
        meaning: "Replicas fall behind the primary; a failover would lose writes.",
        firstResponse: "Check the primary's write rate and network; the reader endpoint serves stale data meanwhile.",
    },
    "db-events": {
        resource: "Database",
        signal: "RDS events: availability, configuration change, failure, failover, low storage, maintenance",
        when: { critical: () => "any event (RDS event subscription)" },
        meaning: "RDS reports the database down, failing over, out of storage, in maintenance or reconfigured (seed 004: database down; FSBP RDS.20).",
        firstResponse: "Read the event text; for a failure or failover check the services' connection errors and the runbooks in README \"Data tier\".",
    },
    "worker-error-rate": {
        resource: "Worker (alias live)",
        signal: "error rate",
        when: levels((t) => t.errorRatePercent, " %"),
        meaning: "Invocations through `live` fail.",
        firstResponse: "Read the worker's log group; if it started with a release: `npm run release -- rollback <stack> <worker>` (README \"Runbook: roll back or canary a worker\").",
    },
    "worker-canary-errors": {
        resource: "Worker (newest version)",
        signal: "error rate of the newest version (ExecutedVersion)",
        when: { critical: (m) => `> ${m.deployment.errorRatePercent} %` },
        meaning: "The newest version — the canary while one runs — fails.",
        firstResponse: "`npm run release -- clear <stack> <worker>` (back to stable) or `rollback`, then `pulumi up` (README \"Runbook: roll back or canary a worker\").",
    },
    "worker-throttles": {
        resource: "Worker (alias live)",
        signal: "throttles",
        when: { warning: () => "> 0 in 3 consecutive 5-minute periods" },
        meaning: "Invocations are refused for lack of concurrency.",
        firstResponse: "Raise reservedConcurrency (or the account limit); for queues, messages wait and retry.",
    },
    "worker-api-p95": {
        resource: "Worker's HTTP API",
        signal: "p95 response time (API Gateway Latency)",
        when: levels((t) => t.latencyP95Seconds, " s"),
        meaning: "One API request in twenty is slower than the limit (cold starts, a slow dependency, or the function near its timeout).",
        firstResponse: "Compare with the worker's duration alarm and traces; cold starts: raise provisionedConcurrency; else find the slow dependency.",
    },
    "worker-duration": {
        resource: "Worker (alias live)",
        signal: "longest duration (share of the timeout)",
        when: levels((t) => t.workerDurationPercent, " %"),
        meaning: "Invocations come close to the timeout and will be cut off.",
        firstResponse: "Find the slow dependency in the logs/traces; raise timeoutSeconds (and the queue's visibility timeout).",
    },
    "queue-age": {
        resource: "Queue",
        signal: "age of the oldest message",
        when: levels((t) => t.queueAgeSeconds, " s"),
        meaning: "The worker does not keep up, or does not consume at all.",
        firstResponse: "Check the worker's error and throttle alarms; raise maxConcurrency if it is only slow.",
    },
    "queue-dlq": {
        resource: "Dead-letter queue",
        signal: "messages visible",
        when: { critical: () => "> 0" },
        meaning: "Messages failed maxReceiveCount times and were set aside.",
        firstResponse: "Read one message and the worker's logs; fix, then redrive (`aws sqs start-message-move-task`).",
    },
    "edge-5xx-rate": {
        resource: "Edge (CloudFront, us-east-1)",
        signal: "5xx error rate",
        when: levels((t) => t.errorRatePercent, " %"),
        meaning: "Viewers get 5xx from CloudFront (origin down or erroring).",
        firstResponse: "Compare with the load balancer's 5xx alarm: none there means CloudFront → origin (certificate, origin name, WAF).",
    },
    "edge-waf-blocked": {
        resource: "Edge (WAF, us-east-1)",
        signal: "blocked requests (anomaly band)",
        when: { warning: () => "above the expected band (2 standard deviations) for 3 of 5 minutes" },
        meaning: "A spike of blocked requests: an attack, or a rule blocking real users after a change.",
        firstResponse: "Sampled requests in the web ACL: real users blocked → set that rule to count; an attack → nothing, WAF holds.",
    },
    "edge-health-check": {
        resource: "Edge (Route 53 health check, us-east-1)",
        signal: "health check status",
        when: { critical: () => "< 1 for 2 of 3 minutes" },
        meaning: "The public health check fails from Route 53's checkers: users cannot reach the stack.",
        firstResponse: "Open the URL; then the service and load-balancer alarms; then the edge (CloudFront, WAF) and DNS.",
    },
    "nat-instance-status": {
        resource: "NAT instance",
        signal: "status check failed (instance or system; `network.natGateways: instance` only)",
        when: { critical: () => "> 0 for 3 consecutive minutes" },
        meaning: "The NAT instance is impaired: the private subnets' traffic to the internet (HTTPS to AWS APIs, image pulls, third parties) fails.",
        firstResponse: "A failed system check recovers by itself (EC2 automatic recovery, same IP); a failed instance check needs `aws ec2 reboot-instances --instance-ids \"$(pulumi stack output natInstanceId)\"`; if it persists, switch to `natGateways: single` (README \"NAT instance\").",
    },
    "uploads-replication-failed": {
        resource: "Uploads replication (to the recovery stack)",
        signal: "objects that failed to replicate",
        when: { warning: () => "> 0 in a 5-minute period" },
        meaning: "Some uploads did not reach the recovery region's bucket: after a failover they would be missing there.",
        firstResponse: "S3 Replication failure events name the reason (KMS permissions, a deleted destination key or bucket, versioning off); fix it, then re-replicate the failed objects with an S3 Batch Replication job (README \"Replicated uploads and images\").",
    },
} as const satisfies Record<string, AlarmKind>;

export type AlarmKindId = keyof typeof ALARM_KINDS;

/** An alarm's description: what it means, its condition, and the first response (CloudWatch allows 1024 characters). */
export function alarmDescription(kind: AlarmKindId, severity: Severity, m: MonitoringSettings): string {
    const k: AlarmKind = ALARM_KINDS[kind];
    const when = k.when[severity]?.(m) ?? "";
    return `${severity.toUpperCase()}: ${k.meaning} (${k.signal} ${when}.) First: ${k.firstResponse}`.slice(0, 1024);
}

/** The README's alarm table (markdown), for the given settings: resource, signal, severity, threshold, first response. */
export function alarmTable(m: MonitoringSettings): string {
    const rows = Object.values(ALARM_KINDS as Record<string, AlarmKind>).flatMap((k) =>
        (["warning", "critical"] as const).flatMap((sev) => (k.when[sev] ? [`| ${k.resource} | ${k.signal} | ${sev} | ${k.when[sev]!(m)} | ${k.firstResponse} |`] : [])),
    );
    return ["| resource | signal | severity | threshold | first response |", "|---|---|---|---|---|", ...rows].join("\n");
}
