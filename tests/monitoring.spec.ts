import * as assert from "node:assert/strict";
import { ACCOUNT_ID, mockArn, mockId, mockKeyArn } from "../offline/mocks";
import { ofType, one, policy, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SERVICE = "aws:ecs/service:Service";

/**
 * The seeds' numbers (002 "Alerting Thresholds" and "Automated Rollback Triggers"; 004 "Alert
 * Thresholds" and "Automatic Rollback Triggers"), written out here, not read from the program.
 */
const SEEDS = {
    errorRate: { warning: 1, critical: 5 }, // 002: > 1 % / > 5 %; 004: critical > 5 %, warning > 1 %
    p95: { warning: 1, critical: 3 }, // 002: response time > 1 s / > 3 s; 004: p95 > 1 s warning
    p99Critical: 5, // 004: p99 > 5 s critical
    memory: { warning: 80, critical: 95 }, // 002
    dbConnections: { warning: 80, critical: 95 }, // 002, as a share of max_connections
    diskUsedWarning: 80, // 004: disk space > 80 %
    rollbackErrorRate: 5, // 002 and 004: error rate > 5 %
    rollbackResponseSeconds: 3, // 002: response time > 3 s
};

/** Memory of each tier's default instance class (RDS User Guide, hardware specifications) and RDS's PostgreSQL max_connections formula. */
const CLASS_MEMORY_GIB: Record<string, number> = { "db.t4g.micro": 1, "db.t4g.small": 2, "db.m7g.large": 8 };
const maxConnections = (cls: string) => Math.min(Math.floor((CLASS_MEMORY_GIB[cls] * 1024 ** 3) / 9531392), 5000);

const alarms = (run: { resources: Res[] }) => ofType(run, ALARM);
const alarmNamed = (run: { resources: Res[] }, stack: string, id: string) => {
    const found = alarms(run).filter((a) => a.inputs.name === `platform-${stack}-${id}`);
    assert.equal(found.length, 1, `alarm platform-${stack}-${id}: ${found.length}`);
    return found[0];
};
/** Every metric an alarm reads (its single metric, or each query's). */
const metricsOf = (a: Res): Array<{ namespace: string; metricName: string; dimensions: Record<string, string> }> =>
    a.inputs.metricQueries
        ? a.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric)
        : [{ namespace: a.inputs.namespace, metricName: a.inputs.metricName, dimensions: a.inputs.dimensions }];

describe("monitoring", () => {
    for (const stack of TIER_STACKS) {
        describe(stack, () => {
            let run: Awaited<ReturnType<typeof stackRun>>;
            before(async () => {
                run = await stackRun(stack);
            });
            const topicArn = (severity: string) => mockArn(TOPIC, `${stack}-monitoring-${severity}`);
            // Dev pages nobody and routes everything to one topic: its tier keeps only the critical level of
            // the two-level signals (monitoring.warningLevels false; README "Review tooling": idle cost).
            const warningLevels = stack !== "dev";

            it("every alarm notifies an alert topic on ALARM and on OK, with actions enabled", () => {
                assert.ok(alarms(run).length >= (warningLevels ? 40 : 25), `${alarms(run).length} alarms`);
                const topics = [topicArn("critical"), topicArn("warning")];
                for (const a of alarms(run)) {
                    assert.equal(a.inputs.actionsEnabled, true, a.name);
                    assert.equal(a.inputs.alarmActions.length, 1, a.name);
                    assert.ok(topics.includes(a.inputs.alarmActions[0]), `${a.name} → ${a.inputs.alarmActions[0]}`);
                    assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions, `${a.name}: OK goes where ALARM goes`);
                }
            });

            it("every alarm's description says its severity, what it means and the first thing to do", () => {
                for (const a of alarms(run)) {
                    assert.match(a.inputs.alarmDescription, /^(CRITICAL|WARNING): .+\. \(.+\.\) First: .+/, a.name);
                    assert.ok(a.inputs.alarmDescription.length <= 1024, `${a.name}: CloudWatch allows 1024 characters`);
                }
            });

            it(stack === "dev" ? "dev routes every alarm to the warning topic: nothing pages" : "critical alarms page (critical topic), warnings go to the warning topic", () => {
                for (const a of alarms(run)) {
                    const severity = a.inputs.alarmDescription.startsWith("CRITICAL") ? "critical" : "warning";
                    assert.equal(a.inputs.alarmActions[0], topicArn(stack === "dev" ? "warning" : severity), a.name);
                }
                assert.ok(alarms(run).some((a) => a.inputs.alarmDescription.startsWith("CRITICAL")));
            });

            it("thresholds are the seeds' defaults: error rate, response time, memory", () => {
                for (const [id, expected] of [
                    ["alb-5xx-rate-warning", SEEDS.errorRate.warning],
                    ["alb-5xx-rate-critical", SEEDS.errorRate.critical],
                    ["api-5xx-rate-warning", SEEDS.errorRate.warning],
                    ["api-5xx-rate-critical", SEEDS.errorRate.critical],
                    ["api-p95-warning", SEEDS.p95.warning],
                    ["api-p95-critical", SEEDS.p95.critical],
                    ["alb-p95-warning", SEEDS.p95.warning],
                    ["api-p99-critical", SEEDS.p99Critical],
                    ["api-memory-warning", SEEDS.memory.warning],
                    ["api-memory-critical", SEEDS.memory.critical],
                    ["notifier-memory-critical", SEEDS.memory.critical],
                    ["cache-memory-warning", SEEDS.memory.warning],
                    ["inference-error-rate-critical", SEEDS.errorRate.critical],
                    ["api-fn-error-rate-warning", SEEDS.errorRate.warning],
                ] as const) {
                    if (id.endsWith("-warning") && !warningLevels) {
                        assert.equal(alarms(run).filter((a) => a.inputs.name === `platform-${stack}-${id}`).length, 0, `${id}: no warning level in dev`);
                        continue;
                    }
                    const a = alarmNamed(run, stack, id);
                    assert.equal(a.inputs.threshold, expected, id);
                    assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold", id);
                }
            });

            it("the 5xx rate is metric math on request counts (5xx / requests × 100), not a raw count", () => {
                const rate = alarmNamed(run, stack, "api-5xx-rate-critical");
                const [expr] = rate.inputs.metricQueries.filter((q: any) => q.returnData);
                assert.match(expr.expression, /^100 \* .*errors.* \/ .*requests/);
                assert.deepEqual(metricsOf(rate).map((m) => m.metricName).sort(), ["HTTPCode_Target_5XX_Count", "RequestCount"]);
            });

            it("database: connections at 80 % / 95 % of the class's max_connections, free storage below 20 % of allocated, CPU", () => {
                const db = one(run, "aws:rds/instance:Instance", `${stack}-data-db`);
                const max = maxConnections(db.inputs.instanceClass);
                if (warningLevels) assert.equal(alarmNamed(run, stack, "db-connections-warning").inputs.threshold, Math.floor((max * SEEDS.dbConnections.warning) / 100));
                assert.equal(alarmNamed(run, stack, "db-connections-critical").inputs.threshold, Math.floor((max * SEEDS.dbConnections.critical) / 100));
                const storage = alarmNamed(run, stack, warningLevels ? "db-free-storage-warning" : "db-free-storage-critical");
                assert.equal(storage.inputs.comparisonOperator, "LessThanThreshold");
                if (warningLevels) assert.equal(storage.inputs.threshold, Math.round(db.inputs.allocatedStorage * 1024 ** 3 * (1 - SEEDS.diskUsedWarning / 100)));
                for (const a of alarms(run).filter((x) => x.inputs.name.includes("-db-"))) {
                    for (const m of metricsOf(a)) assert.ok([db.inputs.identifier, ...ofType(run, "aws:rds/instance:Instance").map((r) => r.inputs.identifier)].includes(m.dimensions.DBInstanceIdentifier), a.name);
                }
            });

            it("each read replica has lag alarms; the cache watches engine CPU, memory, evictions (and replication lag with replicas)", () => {
                const replicas = ofType(run, "aws:rds/instance:Instance").filter((r) => r.inputs.replicateSourceDb !== undefined);
                assert.equal(alarms(run).filter((a) => /-db-replica-\d+-lag-/.test(a.inputs.name)).length, 2 * replicas.length);
                for (const id of [...(warningLevels ? ["cache-cpu-warning"] : []), "cache-cpu-critical", "cache-memory-critical", "cache-evictions"]) alarmNamed(run, stack, id);
                const nodes = one(run, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.numCacheClusters;
                assert.equal(alarms(run).some((a) => a.inputs.name.includes("cache-replication-lag")), nodes > 1);
                assert.equal(metricsOf(alarmNamed(run, stack, "cache-cpu-critical")).length, nodes, "the busiest of every node");
            });

            it("every public service's deployment alarms exist and are attached with rollback, beside the circuit breaker", () => {
                const services = ofType(run, SERVICE);
                const publicOnes = services.filter((s) => s.inputs.loadBalancers?.length);
                assert.ok(publicOnes.length >= 1);
                for (const svc of services) {
                    if (!publicOnes.includes(svc)) {
                        assert.equal(svc.inputs.alarms, undefined, `${svc.name}: internal services have no traffic to judge`);
                        continue;
                    }
                    const name = svc.name.replace(`${stack}-compute-`, "");
                    const expected = ["5xx", "p99", "unhealthy-hosts"].map((role) => `platform-${stack}-${name}-deploy-${role}`);
                    assert.deepEqual(svc.inputs.alarms, { alarmNames: expected, enable: true, rollback: true });
                    assert.deepEqual(svc.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                    for (const n of expected) assert.equal(alarms(run).filter((a) => a.inputs.name === n).length, 1, `${n} exists`);
                    assert.equal(alarms(run).find((a) => a.inputs.name === expected[0])!.inputs.threshold, SEEDS.rollbackErrorRate);
                    assert.equal(alarms(run).find((a) => a.inputs.name === expected[1])!.inputs.threshold, SEEDS.rollbackResponseSeconds);
                    assert.equal(alarms(run).find((a) => a.inputs.name === expected[2])!.inputs.threshold, 0);
                }
            });

            it("every dead-letter queue has a critical alarm on any visible message", () => {
                const dlqs = ofType(run, "aws:sqs/queue:Queue").filter((q) => q.name.endsWith("-dlq"));
                assert.ok(dlqs.length >= 1);
                for (const dlq of dlqs) {
                    const queueName = `${dlq.name}-abc1234`;
                    const watching = alarms(run).filter((a) => metricsOf(a).some((m) => m.dimensions.QueueName === queueName && m.metricName === "ApproximateNumberOfMessagesVisible"));
                    assert.equal(watching.length, 1, dlq.name);
                    assert.equal(watching[0].inputs.threshold, 0);
                    assert.match(watching[0].inputs.alarmDescription, /^CRITICAL/);
                }
            });

            it("every worker alias has error alarms, and the newest version its own (ExecutedVersion)", () => {
                const aliases = ofType(run, "aws:lambda/alias:Alias").filter((a) => a.name.includes("-workers-"));
                assert.equal(aliases.length, ofType(run, "aws:lambda/function:Function").filter((f) => f.name.includes("-workers-")).length);
                assert.ok(aliases.length >= 3, "every stack declares a queue, an http and a schedule worker");
                for (const alias of aliases) {
                    const fn = alias.inputs.functionName;
                    const onAlias = alarms(run).filter((a) => metricsOf(a).some((m) => m.metricName === "Errors" && m.dimensions.Resource === `${fn}:live` && m.dimensions.ExecutedVersion === undefined));
                    assert.equal(onAlias.length, warningLevels ? 2 : 1, `${alias.name}: error-rate warning and critical (dev: critical)`);
                    assert.ok(onAlias.some((a) => a.inputs.alarmDescription.startsWith("CRITICAL")), `${alias.name}: the critical level always`);
                    const onVersion = alarms(run).filter((a) => metricsOf(a).some((m) => m.metricName === "Errors" && m.dimensions.ExecutedVersion === "7"));
                    assert.ok(onVersion.some((a) => metricsOf(a).every((m) => m.dimensions.FunctionName === fn)), `${alias.name}: newest version (mock: 7)`);
                }
            });

            it("the dashboard shows only resources of this stack", () => {
                const body = JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
                const known = new Set<string>(["Global"]);
                const add = (v: unknown) => typeof v === "string" && known.add(v);
                for (const r of run.resources) {
                    if (r.type === "aws:ecs/cluster:Cluster" || r.type === SERVICE) add(`${r.name}-abc1234`);
                    if (r.type === "aws:lb/targetGroup:TargetGroup") add(`targetgroup/${r.inputs.name}/0123456789`);
                    if (r.type === "aws:lb/loadBalancer:LoadBalancer") add(`app/${r.inputs.name}/0123456789`);
                    if (r.type === "aws:rds/instance:Instance") add(r.inputs.identifier);
                    if (r.type === "aws:sqs/queue:Queue") add(`${r.name}-abc1234`);
                    if (r.type === "aws:lambda/alias:Alias") (add(r.inputs.functionName), add(`${r.inputs.functionName}:live`), add(r.inputs.functionVersion));
                    // Edge (us-east-1): the distribution's id, the web ACL's metric name (+ the rule dimension ALL), the health check's id.
                    if (r.type === "aws:cloudfront/distribution:Distribution" || r.type === "aws:route53/healthCheck:HealthCheck" || r.type === "aws:ec2/instance:Instance") add(mockId(r.name));
                    // Uploads replication: the source bucket, and the rule's id and destination as this stack's rule names them.
                    if (r.type === "aws:s3/bucket:Bucket") add(r.inputs.bucket);
                    if (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
                        for (const rule of r.inputs.rules) (add(rule.id), add(String(rule.destination.bucket).replace(/^arn:aws:s3:::/, "")));
                    }
                    if (r.type === "aws:wafv2/webAcl:WebAcl") (add(r.inputs.visibilityConfig.metricName), add("ALL"));
                    // HTTP workers' APIs: the ApiId dimension, the first label of the API's endpoint (the workers output).
                    if (r.type === "aws:apigatewayv2/api:Api") for (const w of Object.values<any>(run.outputs.workers ?? {})) if (w.endpoint) add(new URL(w.endpoint).hostname.split(".")[0]);
                    // Member clusters of a replication group: <group id>-001, -002, … (the group's id is the mock's `<name>-id`).
                    if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
                        for (let i = 1; i <= r.inputs.numCacheClusters; i++) add(`${mockId(r.name)}-00${i}`);
                    }
                }
                const dims = body.widgets.flatMap((w: any) => w.properties.metrics.flatMap((row: any[]) => row.slice(2, -1).filter((_: unknown, i: number) => i % 2 === 1)));
                assert.ok(dims.length > 10);
                for (const d of dims) assert.ok(known.has(d), `dashboard dimension ${d} is no resource of ${stack}`);
                const titles: string[] = body.widgets.map((w: any) => w.properties.title);
                assert.equal(titles.filter((t) => t.startsWith("Service ")).length, ofType(run, SERVICE).length + ofType(run, "aws:lb/targetGroup:TargetGroup").length);
                assert.equal(titles.filter((t) => t.startsWith("Worker ")).length, 2 * ofType(run, "aws:lambda/alias:Alias").filter((a) => a.name.includes("-workers-")).length, "per worker: its alias, and its newest version");
                assert.equal(titles.filter((t) => t.startsWith("HTTP API ")).length, ofType(run, "aws:apigatewayv2/api:Api").length);
                assert.equal(titles.filter((t) => t.startsWith("Edge")).length, ofType(run, "aws:cloudfront/distribution:Distribution").length + ofType(run, "aws:wafv2/webAcl:WebAcl").length + ofType(run, "aws:route53/healthCheck:HealthCheck").length, "one edge widget per edge resource the stack has");
                assert.equal(titles.some((t) => t.startsWith("Database replicas")), ofType(run, "aws:rds/instance:Instance").length > 1);
            });

            it("every metric an alarm reads is on the dashboard (same namespace, metric and dimensions), so whoever is paged can see it", () => {
                const body = JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
                const key = (namespace: string, metricName: string, dims: Array<[string, string]>) => `${namespace} ${metricName} ${JSON.stringify([...dims].sort())}`;
                const shown = new Set<string>(
                    body.widgets.flatMap((w: any) =>
                        w.properties.metrics.map((row: any[]) => {
                            const dims = row.slice(2, -1);
                            return key(row[0], row[1], dims.filter((_: unknown, i: number) => i % 2 === 0).map((k: string, i: number) => [k, dims[2 * i + 1]]));
                        }),
                    ),
                );
                const missing = alarms(run).flatMap((a) =>
                    metricsOf(a)
                        .map((m) => key(m.namespace, m.metricName, Object.entries(m.dimensions)))
                        .filter((k) => !shown.has(k))
                        .map((k) => `${a.inputs.name}: ${k}`),
                );
                assert.deepEqual(missing, []);
                // The HTTP API's latency (seed 002's response-time alarms) among them, where the stack has an HTTP worker.
                if (ofType(run, "aws:apigatewayv2/api:Api").length > 0) assert.ok([...shown].some((k) => k.startsWith("AWS/ApiGateway Latency ")));
            });

            it("alert topics are encrypted with a key CloudWatch, EventBridge and RDS events may use for this account only", () => {
                const key = one(run, "aws:kms/key:Key", `${stack}-monitoring-alerts`);
                const grants = policy(key.inputs.policy).Statement.filter((s) => s.Principal?.Service);
                assert.deepEqual(grants.map((s) => s.Principal.Service).sort(), ["cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com"]);
                // EventBridge → KMS-encrypted SNS fails when the key grant carries source conditions (SNS Developer Guide): no Condition for it;
                // CloudWatch and RDS events only on behalf of this account.
                for (const g of grants) {
                    if (g.Principal.Service === "events.amazonaws.com") assert.equal(g.Condition, undefined, "EventBridge's key grant is unconditioned");
                    else assert.deepEqual(g.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } }, g.Principal.Service);
                }
                for (const t of ofType(run, TOPIC)) assert.equal(t.inputs.kmsMasterKeyId, mockKeyArn(`${stack}-monitoring-alerts`), t.name);
                for (const p of ofType(run, "aws:sns/topicPolicy:TopicPolicy")) {
                    for (const s of policy(p.inputs.policy).Statement) {
                        assert.notEqual(s.Principal, "*", "no public principal (SNS.4)");
                        if (s.Principal.Service) assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
                    }
                }
            });

            it("RDS notifies availability, configuration-change (FSBP RDS.20), failover, failure, low-storage and maintenance events of every instance", () => {
                const sub = one(run, "aws:rds/eventSubscription:EventSubscription");
                assert.deepEqual([...sub.inputs.eventCategories].sort(), ["availability", "configuration change", "failover", "failure", "low storage", "maintenance"]);
                assert.deepEqual(sub.inputs.sourceIds.sort(), ofType(run, "aws:rds/instance:Instance").map((r) => r.inputs.identifier).sort());
                assert.equal(sub.inputs.snsTopic, topicArn(stack === "dev" ? "warning" : "critical"));
            });

            it("exports the topic ARNs, the dashboard URL and the alarm names per service and worker", () => {
                assert.deepEqual(run.outputs.alertTopicArns, { critical: topicArn("critical"), warning: topicArn("warning") });
                assert.equal(run.outputs.dashboardUrl, `https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/platform-${stack}`);
                const names = run.outputs.alarms as { services: Record<string, string[]>; workers: Record<string, string[]>; queues: Record<string, string[]>; stack: string[] };
                assert.deepEqual(Object.keys(names.services).sort(), ["api", "notifier"]);
                assert.deepEqual(Object.keys(names.workers).sort(), ["api-fn", "cleanup", "inference"]);
                const all = [...Object.values(names.services), ...Object.values(names.workers), ...Object.values(names.queues), names.stack].flat().sort();
                assert.deepEqual(all, alarms(run).map((a) => a.inputs.name).sort(), "every alarm listed exactly once");
            });
        });
    }

    it("monitoring.warningLevels: dev (false) has the critical level of every two-level signal and no warning level; set true, each warning comes back", async function () {
        this.timeout(120_000); // two synthesized dev programs (one memoised with the suite's runs)
        const dev = await stackRun("dev");
        const withWarnings = await variantRun("dev", { "platform:monitoring": { warningLevels: true } });
        const nameSet = (run: { resources: Res[] }) => new Set(alarms(run).map((a) => a.inputs.name as string));
        const devNames = nameSet(dev);
        const fullNames = nameSet(withWarnings);
        const added = [...fullNames].filter((n) => !devNames.has(n));
        assert.deepEqual([...devNames].filter((n) => !fullNames.has(n)), [], "setting it true only adds alarms");
        assert.ok(added.length >= 10, `${added.length} warning-level alarms`);
        for (const n of added) {
            assert.match(n, /-warning$/, n);
            assert.ok(devNames.has(n.replace(/-warning$/, "-critical")), `${n}: its critical level stays in dev`);
        }
        // Single-level warnings (unhealthy targets, evictions, throttles, deployment alarms) are not duplicates: they stay.
        for (const id of ["api-unhealthy-targets", "cache-evictions", "api-deploy-p99"]) assert.ok(devNames.has(`platform-dev-${id}`), id);
    });

    it("thresholds change with config, level by level; tracing off removes the sidecar and its permission", async () => {
        const run = await variantRun("dev", {
            "platform:monitoring": { warningLevels: true, thresholds: { errorRatePercent: { warning: 2 } }, deployment: { latencyP99Seconds: 4 }, tracing: false },
        });
        assert.equal(alarmNamed(run, "dev", "api-5xx-rate-warning").inputs.threshold, 2);
        assert.equal(alarmNamed(run, "dev", "api-5xx-rate-critical").inputs.threshold, SEEDS.errorRate.critical, "the critical level keeps the tier's default");
        assert.equal(alarms(run).find((a) => a.inputs.name === "platform-dev-api-deploy-p99")!.inputs.threshold, 4);
        for (const task of ofType(run, "aws:ecs/taskDefinition:TaskDefinition")) {
            assert.equal(JSON.parse(task.inputs.containerDefinitions).some((c: { name: string }) => c.name === "xray-daemon"), false, task.name);
        }
        const computePolicies = ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.includes("-compute-"));
        assert.equal(JSON.stringify(computePolicies.map((p) => p.inputs.policy)).includes("xray:"), false);
    });
});
