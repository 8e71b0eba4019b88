import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { XRAY_DAEMON } from "../components/compute/container";
import { ECS_LOAD_BALANCER_POLICY } from "../components/compute/service";
import type { ServiceDimensions } from "../components/compute";
import { alarmTable, Monitoring } from "../components/monitoring";
import type { WorkerOutput } from "../components/workers";
import { MONITORING_TIER_DEFAULTS } from "../config/tiers";
import { ACCOUNT_ID, installMocks, mockArn } from "../offline/mocks";
import { ROOT, settle } from "../offline/run";
import { fakeData, fakeQueues } from "./fixtures";
import { ofType, one, policy, RecordedOptions, Res, settingsFor, stackRun, TIER_STACKS, variantRun } from "./helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SERVICE = "aws:ecs/service:Service";
const RULE = "aws:lb/listenerRule:ListenerRule";
const TG = "aws:lb/targetGroup:TargetGroup";
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

const stackFile = (stack: string) => (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> }).config;

/** Staging with the ECS canary switched on: 20 %, 5 minutes on the canary, 30 after the shift. */
const CANARY = { "platform:monitoring": { canary: { enabled: true, percent: 20, canaryBakeMinutes: 5, bakeMinutes: 30 } } };

describe("self-healing deployments", () => {
    describe("ECS canary, switched on (staging)", () => {
        let run: Awaited<ReturnType<typeof variantRun>>;
        let options: RecordedOptions[];
        before(async () => {
            run = await variantRun("staging", CANARY);
            options = run.options!; // the same run records the options (recordResourceOptions would synthesize it again)
        });

        it("the public service deploys with ECS's CANARY strategy, percentage and bake times from config; the internal one rolls", () => {
            const api = one(run, SERVICE, "staging-compute-api");
            assert.deepEqual(api.inputs.deploymentConfiguration, {
                strategy: "CANARY",
                bakeTimeInMinutes: "30",
                canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: "5" },
            });
            assert.deepEqual(api.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.equal(api.inputs.alarms.rollback, true);
            assert.equal(one(run, SERVICE, "staging-compute-notifier").inputs.deploymentConfiguration, undefined);
        });

        it("two target groups, a production rule forwarding to both, a test rule one priority before it, and the role ECS assumes", () => {
            const api = one(run, SERVICE, "staging-compute-api");
            const [primary, alternate] = [one(run, TG, "staging-compute-api"), one(run, TG, "staging-compute-api-alt")];
            const advanced = api.inputs.loadBalancers[0].advancedConfiguration;
            assert.equal(api.inputs.loadBalancers[0].targetGroupArn, mockArn(TG, primary.name));
            assert.equal(advanced.alternateTargetGroupArn, mockArn(TG, alternate.name));
            const production = one(run, RULE, "staging-compute-api");
            const test = one(run, RULE, "staging-compute-api-test");
            assert.equal(advanced.productionListenerRule, mockArn(RULE, production.name));
            assert.equal(advanced.testListenerRule, mockArn(RULE, test.name));
            assert.deepEqual(production.inputs.actions[0].forward.targetGroups, [
                { arn: mockArn(TG, primary.name), weight: 100 },
                { arn: mockArn(TG, alternate.name), weight: 0 },
            ]);
            assert.equal(test.inputs.priority, production.inputs.priority - 1, "test traffic matches before production");
            assert.deepEqual(test.inputs.conditions, [{ httpHeader: { httpHeaderName: "X-Canary-Test", values: ["api"] } }]);
            const role = one(run, "aws:iam/role:Role", "staging-compute-api-deploy");
            assert.equal(policy(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "ecs.amazonaws.com");
            assert.equal(advanced.roleArn, mockArn("aws:iam/role:Role", role.name));
            assert.equal(one(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "staging-compute-api-deploy").inputs.policyArn, ECS_LOAD_BALANCER_POLICY);
        });

        it("Pulumi leaves the rules' actions to ECS (ignoreChanges), so an up never resets the weights mid-deployment", () => {
            for (const name of ["staging-compute-api", "staging-compute-api-test"]) {
                const rule = options.find((o) => o.type === RULE && o.name === name);
                assert.ok(rule, name);
                assert.deepEqual(rule!.opts.ignoreChanges, ["actions"], name);
            }
        });

        it("the deployment and service alarms watch both target groups", () => {
            const suffixes = ofType(run, TG).filter((t) => t.name.startsWith("staging-compute-api")).map((t) => `targetgroup/${t.inputs.name}/0123456789`);
            assert.equal(suffixes.length, 2);
            for (const id of ["deploy-5xx", "deploy-p99", "deploy-unhealthy-hosts", "5xx-rate-critical", "no-healthy-targets"]) {
                const a = ofType(run, ALARM).find((x) => x.inputs.name === `platform-staging-api-${id}`)!;
                const groups = new Set(a.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.TargetGroup));
                assert.deepEqual([...groups].sort(), [...suffixes].sort(), id);
            }
        });
    });

    describe("ECS canary, as committed (off: terraform-provider-aws#45678)", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: rolling deployments with the circuit breaker and the deployment alarms; no second target group, no ignored rule actions`, async () => {
                const run = await stackRun(stack);
                for (const svc of ofType(run, SERVICE)) assert.equal(svc.inputs.deploymentConfiguration, undefined, svc.name);
                assert.equal(ofType(run, TG).length, 1);
                assert.equal(ofType(run, RULE).length, 1);
                assert.equal(stackFile(stack)["platform:monitoring"]?.canary?.enabled ?? false, false);
            });
        }
    });

    describe("tracing", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: every service task runs the X-Ray daemon sidecar inside its size, and its task role may only write traces`, async () => {
                const run = await stackRun(stack);
                for (const task of ofType(run, "aws:ecs/taskDefinition:TaskDefinition").filter((t) => !t.name.endsWith("-migrate"))) {
                    const containers = JSON.parse(task.inputs.containerDefinitions);
                    const daemon = containers.find((c: any) => c.name === XRAY_DAEMON);
                    assert.ok(daemon, task.name);
                    assert.equal(daemon.essential, false, "a daemon crash loses traces, never the app");
                    assert.match(daemon.image, /^public\.ecr\.aws\/xray\/aws-xray-daemon:\d+\.\d+\.\d+$/, "pinned release, not 3.x or latest");
                    assert.ok(daemon.cpu < Number(task.inputs.cpu) && daemon.memory < Number(task.inputs.memory), "sized inside the task");
                    assert.equal(daemon.readonlyRootFilesystem, true);
                    // The daemon image (FROM scratch) knows only its own user, xray = uid 10001: a numeric non-root user, never the app's user name.
                    assert.equal(daemon.user, "10001:10001");
                    assert.deepEqual(daemon.portMappings, [{ containerPort: 2000, protocol: "udp" }]);
                    const app = containers[0];
                    assert.ok(app.environment.some((e: any) => e.name === "AWS_XRAY_DAEMON_ADDRESS" && e.value === "127.0.0.1:2000"));
                }
                for (const p of ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((x) => /-compute-[a-z]+-task$/.test(x.name))) {
                    const st = policy(p.inputs.policy).Statement.find((s) => s.Sid === "SendTraces")!;
                    assert.deepEqual(st.Action, ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"]);
                }
                for (const fn of ofType(run, "aws:lambda/function:Function").filter((f) => f.name.includes("-workers-"))) {
                    assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" }, fn.name);
                }
            });
        }
    });
});

describe("edge alarms (a fake edge handle; the stack lives in eu-west-1)", () => {
    let recorded: { resources: Res[] };
    before(async () => {
        recorded = installMocks("platform", "unit", "eu-west-1");
        const settings = settingsFor({ tier: "prod", region: "eu-west-1", domain: { name: "api.example.com", certificateArn: `arn:aws:acm:eu-west-1:${ACCOUNT_ID}:certificate/a` }, edge: { certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/b` } }, "unit");
        const out = <T>(v: T): pulumi.Output<T> => pulumi.output(v) as pulumi.Output<T>;
        new Monitoring("unit-monitoring", {
            scope: { project: "platform", stack: "unit" },
            region: "eu-west-1",
            settings: settings.monitoring,
            protectData: true,
            services: [],
            database: settings.database,
            cache: settings.cache,
            workers: [],
            data: fakeData(),
            compute: { clusterName: out("cluster"), serviceDimensions: out<Record<string, ServiceDimensions>>({}) },
            workersHandle: { workers: out<Record<string, WorkerOutput>>({}) },
            queues: fakeQueues([]),
            edge: { distributionId: "E123EXAMPLE", webAclMetricName: "platform-unit-edge-web-acl", healthCheckId: "hc-123" },
        });
        await settle(recorded as any);
    });
    const edgeAlarms = () => ofType(recorded, ALARM).filter((a) => a.inputs.name.includes("-edge-"));

    it("CloudFront 5xx rate (warning and critical), WAF blocked-request spike and the health check: all in us-east-1", () => {
        assert.deepEqual(edgeAlarms().map((a) => a.inputs.name).sort(), [
            "platform-unit-edge-5xx-rate-critical",
            "platform-unit-edge-5xx-rate-warning",
            "platform-unit-edge-health-check",
            "platform-unit-edge-waf-blocked",
        ]);
        for (const a of edgeAlarms()) assert.equal(a.inputs.region, "us-east-1", a.name);
        const cf = edgeAlarms().find((a) => a.name.endsWith("edge-5xx-rate-critical"))!;
        assert.deepEqual([cf.inputs.namespace, cf.inputs.metricName, cf.inputs.dimensions], ["AWS/CloudFront", "5xxErrorRate", { DistributionId: "E123EXAMPLE", Region: "Global" }]);
        assert.equal(cf.inputs.threshold, 5);
        const waf = edgeAlarms().find((a) => a.name.endsWith("edge-waf-blocked"))!;
        assert.equal(waf.inputs.comparisonOperator, "GreaterThanUpperThreshold");
        assert.match(waf.inputs.metricQueries.find((q: any) => q.id === waf.inputs.thresholdMetricId).expression, /^ANOMALY_DETECTION_BAND\(m1, 2\)$/);
        assert.deepEqual(waf.inputs.metricQueries.find((q: any) => q.id === "m1").metric.dimensions, { WebACL: "platform-unit-edge-web-acl", Rule: "ALL" });
        const hc = edgeAlarms().find((a) => a.name.endsWith("edge-health-check"))!;
        assert.deepEqual([hc.inputs.metricName, hc.inputs.dimensions, hc.inputs.comparisonOperator, hc.inputs.threshold], ["HealthCheckStatus", { HealthCheckId: "hc-123" }, "LessThanThreshold", 1]);
    });

    it("they notify us-east-1 copies of the topics, encrypted with a us-east-1 key; every other alarm stays in the stack's region", () => {
        const topics = ofType(recorded, "aws:sns/topic:Topic");
        const east = topics.filter((t) => t.inputs.region === "us-east-1");
        assert.deepEqual(east.map((t) => t.inputs.name).sort(), ["platform-unit-alerts-critical-us-east-1", "platform-unit-alerts-warning-us-east-1"]);
        const eastKey = one(recorded, "aws:kms/key:Key", "unit-monitoring-alerts-us-east-1");
        assert.equal(eastKey.inputs.region, "us-east-1");
        for (const t of east) assert.equal(t.inputs.kmsMasterKeyId, `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/${eastKey.name}`.replace("eu-west-1", "us-east-1"));
        const eastArns = east.map((t) => mockArn("aws:sns/topic:Topic", t.name, "eu-west-1"));
        for (const a of edgeAlarms()) {
            assert.ok(eastArns.includes(a.inputs.alarmActions[0]), a.name);
            assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions);
        }
        for (const a of ofType(recorded, ALARM).filter((x) => !x.inputs.name.includes("-edge-"))) {
            assert.equal(a.inputs.region, undefined, a.name);
            assert.ok(!eastArns.includes(a.inputs.alarmActions[0]), a.name);
        }
    });

    it("the dashboard gets edge widgets in us-east-1", () => {
        const body = JSON.parse(one(recorded, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
        const edge = body.widgets.filter((w: any) => w.properties.title.startsWith("Edge"));
        assert.equal(edge.length, 3);
        for (const w of edge) assert.equal(w.properties.region, "us-east-1");
    });
});

describe("README alarm table", () => {
    it("is exactly the table generated from the alarm catalog for the prod tier's defaults", () => {
        const m = /<!-- alarms:begin -->\n([\s\S]*?)\n<!-- alarms:end -->/.exec(README);
        assert.ok(m, "README has no alarms block");
        assert.equal(m![1], alarmTable(MONITORING_TIER_DEFAULTS.prod));
    });

    it("has a row, with severity and first response, for every alarm the prod stack creates", async () => {
        const run = await stackRun("prod");
        for (const a of ofType(run, ALARM)) {
            const [, severity, first] = /^(CRITICAL|WARNING): .* First: (.+)$/.exec(a.inputs.alarmDescription)!;
            const rows = README.split("\n").filter((l) => l.startsWith("| ") && l.endsWith(` | ${first} |`));
            assert.ok(rows.some((r) => r.includes(` | ${severity.toLowerCase()} | `)), `${a.inputs.name}: no README row with ${severity} and its first response`);
        }
    });
});
