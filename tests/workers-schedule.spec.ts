import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { WorkerOutput } from "../components/workers";
import { namingIssues, NAME_LIMITS } from "../config/naming";
import { schedulerExpressionProblem } from "../config/catalog";
import { ACCOUNT_ID } from "../offline/mocks";
import { ROOT } from "../offline/run";
import { configIssues, ofType, one, policy, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

type ProgramRunLike = { resources: Res[]; error?: Error; outputs: Record<string, unknown> };

const SCHEDULE = "aws:scheduler/schedule:Schedule";
const QUEUE = "aws:sqs/queue:Queue";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const FN = "aws:lambda/function:Function";

function stackWorkers(stack: string): Record<string, Record<string, any>> {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> };
    return file.config["platform:workers"];
}

/** Ingress rules on the data tier's security group: [source group, port]. */
function dataIngress(run: ProgramRunLike, stack: string): Array<[string, number]> {
    return ofType(run, INGRESS)
        .filter((r) => r.inputs.securityGroupId === `${stack}-network-data-sg-id`)
        .map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort] as [string, number])
        .sort();
}

describe("schedule workers and worker security groups", () => {
    for (const stack of TIER_STACKS) {
        describe(stack, () => {
            it("the cleanup schedule: its expression and time zone, no flexible window, target the alias live, retries, its own DLQ", async () => {
                const run = await stackRun(stack);
                const declared = stackWorkers(stack).cleanup.trigger;
                const sc = one(run, SCHEDULE, "workers-cleanup").inputs;
                assert.equal(sc.scheduleExpression, declared.expression);
                assert.equal(sc.scheduleExpressionTimezone, declared.timezone);
                assert.deepEqual(sc.flexibleTimeWindow, { mode: "OFF" });
                assert.equal(sc.target.arn, `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${stack}-workers-cleanup-abc1234:live`);
                assert.deepEqual(sc.target.retryPolicy, { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 });
                const dlq = one(run, QUEUE, "queues-cleanup-dlq");
                assert.equal(sc.target.deadLetterConfig.arn, `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-cleanup-dlq-abc1234`);
                assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
                assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
                assert.match(sc.target.roleArn, new RegExp(`:${stack}-workers-cleanup-sched$`), "the schedule's own role");
            });

            it("the scheduler role: trusted by scheduler.amazonaws.com for this account only, may invoke the alias and send to the DLQ, nothing else", async () => {
                const run = await stackRun(stack);
                const role = one(run, ROLE, "workers-cleanup-sched").inputs;
                assert.deepEqual(policy(role.assumeRolePolicy).Statement, [
                    { Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } },
                ]);
                const statements = policy(one(run, POLICY, "workers-cleanup-sched").inputs.policy).Statement;
                assert.deepEqual(
                    statements.map((s) => [s.Action, s.Resource]),
                    [
                        [["lambda:InvokeFunction"], `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${stack}-workers-cleanup-abc1234:live`],
                        [["sqs:SendMessage"], `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-cleanup-dlq-abc1234`],
                    ],
                );
                assert.ok(statements.every((s) => s.Effect === "Allow" && s.Condition === undefined));
            });

            it("outputs the schedule's name, expression, time zone and DLQ URL for the schedule worker (and no schedule for the others)", async () => {
                const run = await stackRun(stack);
                const workers = run.outputs.workers as Record<string, WorkerOutput>;
                const cleanup = workers.cleanup;
                assert.equal(cleanup.scheduleName, `${stack}-workers-cleanup-abc1234`);
                assert.equal(cleanup.scheduleExpression, "cron(0 3 * * ? *)");
                assert.equal(cleanup.scheduleTimezone, "UTC");
                assert.equal(cleanup.dlqUrl, `https://sqs.us-east-1.amazonaws.com/${ACCOUNT_ID}/${stack}-queues-cleanup-dlq-abc1234`);
                assert.equal(cleanup.queueUrl, undefined);
                for (const w of ["inference", "api-fn"]) assert.equal(workers[w].scheduleName, undefined, w);
            });

            it("each VPC worker runs in its own security group, which the data tier admits on the database port only (both use only the database)", async () => {
                const run = await stackRun(stack);
                for (const w of ["api-fn", "cleanup"]) {
                    assert.deepEqual(one(run, FN, `workers-${w}`).inputs.vpcConfig.securityGroupIds, [`${stack}-workers-${w}-sg-id`]);
                    const egress = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === `${stack}-workers-${w}-sg-id`);
                    assert.deepEqual(
                        egress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId]).sort(),
                        [[443, 443, "0.0.0.0/0"], [5432, 5432, `${stack}-network-data-sg-id`]],
                    );
                    assert.equal(ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === `${stack}-workers-${w}-sg-id`).length, 0, "nothing connects to a worker");
                }
                assert.deepEqual(dataIngress(run, stack), [
                    [`${stack}-network-app-sg-id`, 5432],
                    [`${stack}-network-app-sg-id`, 6379],
                    [`${stack}-workers-api-fn-sg-id`, 5432],
                    [`${stack}-workers-cleanup-sg-id`, 5432],
                ]);
                assert.equal(ofType(run, SG).filter((g) => g.name.includes("-workers-")).length, 2, "the worker outside the VPC (inference) has none");
                const data = one(run, SG, "network-data-sg").inputs;
                assert.deepEqual([data.ingress, data.egress], [undefined, undefined], "no inline rules on the data tier's group (they would fight the rule resources)");
            });
        });
    }

    describe("variations", () => {
        let base: ProgramRunLike;
        let variant: ProgramRunLike;
        let noWorkers: ProgramRunLike;
        before(async () => {
            base = await stackRun("staging");
            const workers = stackWorkers("staging");
            variant = await variantRun("staging", {
                "platform:workers": {
                    ...workers,
                    "api-fn": { ...workers["api-fn"], secrets: ["database", "cache"] },
                    cleanup: { ...workers.cleanup, secrets: [], buckets: ["uploads"] },
                    inference: { ...workers.inference, secrets: ["cache"], vpc: true },
                },
            });
            assert.equal(variant.error, undefined);
            noWorkers = await variantRun("staging", { "platform:workers": {}, "platform:services": servicesWithoutQueues(), "platform:release": servicesReleases() });
            assert.equal(noWorkers.error, undefined);
        });

        it("the data tier admits each worker on exactly the ports of what it uses: database 5432, cache 6379, neither nothing", () => {
            assert.deepEqual(dataIngress(variant, "staging"), [
                ["staging-network-app-sg-id", 5432],
                ["staging-network-app-sg-id", 6379],
                ["staging-workers-api-fn-sg-id", 5432],
                ["staging-workers-api-fn-sg-id", 6379],
                ["staging-workers-inference-sg-id", 6379],
            ]);
            const cleanupEgress = ofType(variant, EGRESS).filter((r) => r.inputs.securityGroupId === "staging-workers-cleanup-sg-id");
            assert.deepEqual(cleanupEgress.map((r) => r.inputs.fromPort), [443], "a VPC worker without database or cache reaches only HTTPS");
        });

        it("the services' (network) security-group rules are the same with or without workers", () => {
            const network = (run: ProgramRunLike) =>
                run.resources
                    .filter((r) => (r.type === INGRESS || r.type === EGRESS || r.type === SG) && r.name.startsWith("staging-network-"))
                    .map((r) => `${r.type}::${r.name}::${JSON.stringify(r.inputs)}`)
                    .sort();
            assert.deepEqual(network(base), network(noWorkers));
            assert.deepEqual(network(variant), network(noWorkers));
            assert.equal(dataIngress(noWorkers, "staging").length, 2);
        });
    });

    describe("config", () => {
        const S = (trigger: Record<string, unknown>) => ({ memoryMb: 512, timeoutSeconds: 60, trigger: { type: "schedule", ...trigger } });
        const issues = (worker: Record<string, unknown>) => configIssues({ tier: "dev", workers: { cleanup: worker } });
        const refused = (worker: Record<string, unknown>, key: string, allowed: RegExp) => {
            const found = issues(worker).filter((i) => i.key === key);
            assert.equal(found.length, 1, `${key}: ${JSON.stringify(issues(worker))}`);
            assert.match(found[0].allowed, allowed);
            assert.ok(found[0].fix.length > 0);
            return found[0];
        };

        it("accepts rate, cron and at expressions of the EventBridge Scheduler grammar", () => {
            for (const expression of [
                "rate(1 minute)",
                "rate(5 minutes)",
                "rate(1 hour)",
                "rate(12 hours)",
                "rate(1 day)",
                "rate(7 days)",
                "cron(0 3 * * ? *)",
                "cron(0/15 * ? * MON-FRI *)",
                "cron(0 12 L * ? *)",
                "cron(0 9 ? * 2#1 *)",
                "cron(30 23 15W 1,4,7,10 ? 2030-2199)",
                "at(2030-01-01T00:00:00)",
                "at(2028-02-29T23:59:59)",
            ]) {
                assert.equal(schedulerExpressionProblem(expression), undefined, expression);
                assert.deepEqual(issues(S({ expression })), [], expression);
            }
        });

        it("refuses expressions outside the grammar, each with the rule it breaks", () => {
            const cases: Array<[string, RegExp]> = [
                ["rate(1 minutes)", /singular for 1/],
                ["rate(5 minute)", /plural above 1/],
                ["rate(0 minutes)", /positive integer/],
                ["rate(1.5 hours)", /positive integer/],
                ["rate(30 seconds)", /positive integer/],
                ["cron(0 3 * * * *)", /exactly one of day-of-month and day-of-week/],
                ["cron(0 3 ? * ? *)", /exactly one of day-of-month and day-of-week/],
                ["cron(0 3 * * ?)", /has 5 fields; cron needs 6/],
                ["cron(60 3 * * ? *)", /minutes field "60"/],
                ["cron(0 24 * * ? *)", /hours field "24"/],
                ["cron(0 3 32 * ? *)", /day-of-month field "32"/],
                ["cron(0 3 * 13 ? *)", /month field "13"/],
                ["cron(0 3 ? * 8 *)", /day-of-week field "8"/],
                ["cron(0 3 * * ? 1969)", /year field "1969"/],
                ["at(2030-02-30T00:00:00)", /does not exist/],
                ["at(2030-01-01T24:00:00)", /does not exist/],
                ["at(2030-01-01T00:00:00Z)", /no time zone suffix/],
                ["at(2030-01-01 00:00:00)", /is not at\(yyyy-mm-ddThh:mm:ss\)/],
                ["every 5 minutes", /none of rate/],
                ["", /none of rate/],
            ];
            for (const [expression, why] of cases) {
                assert.match(schedulerExpressionProblem(expression) ?? "", why, expression);
                const issue = refused(S({ expression }), "workers.cleanup.trigger.expression", /EventBridge Scheduler expression: rate/);
                assert.equal(issue.value, expression);
            }
        });

        it("refuses a time zone that is not an IANA name; accepts UTC and region names", () => {
            for (const timezone of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]) assert.deepEqual(issues(S({ expression: "rate(1 day)", timezone })), [], timezone);
            for (const timezone of ["Mars/Olympus", "+02:00", "Europe/Berlin ", "", "utc/local"]) {
                refused(S({ expression: "rate(1 day)", timezone }), "workers.cleanup.trigger.timezone", /IANA time zone/);
            }
        });

        it("retry bounds at their edges: 0-185 attempts, 60-86400 seconds of event age", () => {
            for (const t of [{ maxRetryAttempts: 0 }, { maxRetryAttempts: 185 }, { maxEventAgeSeconds: 60 }, { maxEventAgeSeconds: 86400 }]) {
                assert.deepEqual(issues(S({ expression: "rate(1 day)", ...t })), [], JSON.stringify(t));
            }
            refused(S({ expression: "rate(1 day)", maxRetryAttempts: -1 }), "workers.cleanup.trigger.maxRetryAttempts", /0 to 185/);
            refused(S({ expression: "rate(1 day)", maxRetryAttempts: 186 }), "workers.cleanup.trigger.maxRetryAttempts", /0 to 185/);
            refused(S({ expression: "rate(1 day)", maxEventAgeSeconds: 59 }), "workers.cleanup.trigger.maxEventAgeSeconds", /60 to 86400/);
            refused(S({ expression: "rate(1 day)", maxEventAgeSeconds: 86401 }), "workers.cleanup.trigger.maxEventAgeSeconds", /60 to 86400/);
        });

        it("refuses a schedule worker without an expression, and fields of another trigger type", () => {
            refused(S({}), "workers.cleanup.trigger.expression", /an EventBridge Scheduler expression for a schedule worker/);
            refused(S({ expression: "rate(1 day)", batchSize: 5 }), "workers.cleanup.trigger.batchSize", /only for queue triggers \(this worker's trigger is schedule\)/);
            refused(S({ expression: "rate(1 day)", routes: ["GET /a"] }), "workers.cleanup.trigger.routes", /only for http triggers/);
            refused({ memoryMb: 512, timeoutSeconds: 60, trigger: { type: "queue", expression: "rate(1 day)" } }, "workers.cleanup.trigger.expression", /only for schedule triggers/);
        });

        it("schedule names have a limit; the scheduler role's name binds worker names (20-character stack: 21 fits, 22 does not)", () => {
            assert.equal(NAME_LIMITS["aws:scheduler/schedule:Schedule"].max, 64);
            const stack = "a-twenty-char-stack1";
            assert.deepEqual(namingIssues("platform", stack, [], ["w".repeat(21)]), []);
            const [issue] = namingIssues("platform", stack, [], ["w".repeat(22)]);
            assert.equal(issue.key, `workers.${"w".repeat(22)}`);
            assert.match(issue.allowed, /Role name ".*-sched-x+" would be 65 characters; AWS allows 64/);
        });
    });
});

/** The committed staging releases of the services only. */
function servicesReleases(): Record<string, unknown> {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, any> };
    const workers = Object.keys(file.config["platform:workers"]);
    return Object.fromEntries(Object.entries(file.config["platform:release"] as Record<string, unknown>).filter(([image]) => !workers.includes(image)));
}

/** The committed staging services with no `queues` (a stack without workers has no queue to name). */
function servicesWithoutQueues(): Record<string, unknown> {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, any> };
    const services = file.config["platform:services"] as Record<string, Record<string, unknown>>;
    return Object.fromEntries(Object.entries(services).map(([name, svc]) => [name, { ...svc, queues: undefined }]));
}

