import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { WorkerOutput } from "../components/workers";
import { previousVersion, rollbackCommand } from "../components/workers";
import { VPC_ACCESS_POLICY } from "../components/workers/worker";
import { ACCOUNT_ID, MOCK_LAMBDA_VERSION } from "../offline/mocks";
import { ROOT } from "../offline/run";
import { namingIssues } from "../config/naming";
import { changedResources, configIssues, ofType, one, policy, recordResourceOptions, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

const FN = "aws:lambda/function:Function";
const ALIAS = "aws:lambda/alias:Alias";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const INTEGRATION = "aws:apigatewayv2/integration:Integration";
const PERMISSION = "aws:lambda/permission:Permission";
const PCC = "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig";
const QUEUE = "aws:sqs/queue:Queue";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const SCHEDULE = "aws:scheduler/schedule:Schedule";


type Workers = Record<string, Record<string, any>>;
function stackWorkers(stack: string): Workers {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> };
    return file.config["platform:workers"];
}
function stackRelease(stack: string): Record<string, { tag: string; digest: string }> {
    const file = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> };
    return file.config["platform:release"];
}
/** A stack run with one worker's config changed. */
function withWorker(stack: string, worker: string, change: Record<string, unknown>) {
    const workers = stackWorkers(stack);
    return variantRun(stack, { "platform:workers": { ...workers, [worker]: { ...workers[worker], ...change } } });
}
/** An alias ARN (`arn:aws:lambda:<region>:<account>:function:<name>:live`). */
const isAliasArn = (v: unknown) => typeof v === "string" && /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[^:]+:live$/.test(v);

describe("workers", () => {
    for (const stack of TIER_STACKS) {
        describe(stack, () => {
            it("declares a queue worker, an http worker and a schedule worker, each a function behind the alias live", async () => {
                const run = await stackRun(stack);
                const workers = stackWorkers(stack);
                assert.deepEqual(Object.values(workers).map((w) => w.trigger.type).sort(), ["http", "queue", "schedule"]);
                assert.equal(ofType(run, FN).filter((f) => f.name.startsWith(`${stack}-workers-`)).length, 3);
                for (const fn of ofType(run, FN).filter((f) => f.name.startsWith(`${stack}-workers-`))) {
                    assert.equal(fn.inputs.packageType, "Image");
                    assert.match(fn.inputs.imageUri, new RegExp(`^${ACCOUNT_ID}\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/platform/${stack}/[a-z-]+@sha256:[0-9a-f]{64}$`));
                    assert.equal(fn.inputs.publish, true);
                    assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" });
                    assert.deepEqual(fn.inputs.architectures, ["arm64"]);
                    assert.equal(one(run, ALIAS, fn.name.replace(`${stack}-workers-`, "workers-")).inputs.name, "live");
                }
            });

            it("every event source mapping, integration, schedule target, permission and provisioned-concurrency config refers to the alias, never the function or $LATEST", async () => {
                const run = await stackRun(stack);
                const esms = ofType(run, ESM);
                assert.equal(esms.length, 1);
                for (const m of esms) assert.ok(isAliasArn(m.inputs.functionName), `${m.name}: ${m.inputs.functionName}`);
                const integrations = ofType(run, INTEGRATION);
                assert.equal(integrations.length, 1);
                for (const i of integrations) {
                    assert.ok(isAliasArn(i.inputs.integrationUri), `${i.name}: ${i.inputs.integrationUri}`);
                    assert.deepEqual([i.inputs.integrationType, i.inputs.payloadFormatVersion], ["AWS_PROXY", "2.0"]);
                }
                const permissions = ofType(run, PERMISSION).filter((p) => p.name.includes("-workers-"));
                assert.equal(permissions.length, 1);
                for (const p of permissions) {
                    assert.equal(p.inputs.qualifier, "live");
                    assert.equal(p.inputs.principal, "apigateway.amazonaws.com");
                    assert.match(p.inputs.sourceArn, new RegExp(`^arn:aws:execute-api:us-east-1:${ACCOUNT_ID}:[a-z0-9]+/\\*/\\*$`), "only this API may invoke");
                }
                for (const c of ofType(run, PCC)) assert.equal(c.inputs.qualifier, "live");
                const schedules = ofType(run, SCHEDULE);
                assert.equal(schedules.length, 1);
                for (const sc of schedules) assert.ok(isAliasArn(sc.inputs.target.arn), `${sc.name}: ${sc.inputs.target.arn}`);
                const text = JSON.stringify(run.resources.filter((r) => r.name.includes("-workers-")).map((r) => r.inputs));
                assert.doesNotMatch(text, /\$LATEST/);
            });

            it("the queue worker's queue: SSE, visibility 6 × timeout, redrive to its DLQ after maxReceiveCount, DLQ kept 14 days", async () => {
                const run = await stackRun(stack);
                const w = stackWorkers(stack).inference;
                const queue = one(run, QUEUE, "queues-inference");
                const dlq = one(run, QUEUE, "queues-inference-dlq");
                assert.equal(queue.inputs.sqsManagedSseEnabled, true);
                assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
                assert.equal(queue.inputs.visibilityTimeoutSeconds, 6 * w.timeoutSeconds);
                assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), { deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-inference-dlq-abc1234`, maxReceiveCount: 5 });
                assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
                const esm = one(run, ESM);
                assert.equal(esm.inputs.eventSourceArn, `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-inference-abc1234`);
                assert.deepEqual(esm.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
                assert.equal(esm.inputs.batchSize, 10);
                assert.deepEqual(esm.inputs.scalingConfig, { maximumConcurrency: 10 });
            });

            it("IAM is scoped per worker: its own log group and queue, only the secrets and buckets it names; VPC access only in the VPC", async () => {
                const run = await stackRun(stack);
                const statements = (worker: string) => policy(one(run, POLICY, `workers-${worker}`).inputs.policy).Statement;
                const bySid = (worker: string) => Object.fromEntries(statements(worker).map((s) => [s.Sid, s]));
                const inference = bySid("inference");
                assert.deepEqual(inference.ConsumeOwnQueue.Resource, `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-inference-abc1234`);
                assert.equal(inference.WriteOwnLogs.Resource, `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/platform/${stack}/workers/inference:*`);
                assert.equal(inference.ReadOwnSecrets, undefined, "inference names no secret");
                assert.ok(inference.ReadWriteUploads, "inference names the uploads bucket");
                const api = bySid("api-fn");
                assert.equal(api.ConsumeOwnQueue, undefined, "the http worker reads no queue");
                assert.deepEqual(api.ReadOwnSecrets.Resource, [`arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${stack}-data-db-credentials`]);
                assert.equal(api.ReadWriteUploads, undefined);
                for (const w of ["inference", "api-fn"]) {
                    for (const s of statements(w)) {
                        if ([s.Resource].flat().includes("*")) assert.deepEqual(s.Action, ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], `${w} ${s.Sid}`);
                    }
                }
                const vpc = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.includes("-workers-"));
                assert.deepEqual(vpc.map((a) => [a.name, a.inputs.policyArn]).sort(), [
                    [`${stack}-workers-api-fn-vpc`, VPC_ACCESS_POLICY],
                    [`${stack}-workers-cleanup-vpc`, VPC_ACCESS_POLICY],
                ]);
                const fn = one(run, FN, "workers-api-fn");
                assert.deepEqual(fn.inputs.vpcConfig, { subnetIds: ["subnet-private-1", "subnet-private-2", ...(stack === "prod" ? ["subnet-private-3"] : [])], securityGroupIds: [`${stack}-workers-api-fn-sg-id`] });
                assert.equal(one(run, FN, "workers-inference").inputs.vpcConfig, undefined);
            });

            it("exports every worker: function, alias, live and previous version, routing, queue/DLQ or endpoint, and the rollback command", async () => {
                const run = await stackRun(stack);
                const workers = run.outputs.workers as Record<string, WorkerOutput>;
                assert.deepEqual(Object.keys(workers).sort(), Object.keys(stackWorkers(stack)).sort());
                for (const [name, w] of Object.entries(workers)) {
                    assert.equal(w.functionName, `${stack}-workers-${name}-abc1234`);
                    assert.equal(w.aliasName, "live");
                    assert.equal(w.aliasArn, `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${w.functionName}:live`);
                    assert.equal(w.liveVersion, MOCK_LAMBDA_VERSION);
                    assert.equal(w.previousVersion, "6");
                    assert.deepEqual(w.routing, {});
                    assert.equal(w.rollbackCommand, `pulumi config set --type string --path 'workers.${name}.rollbackTo' 6 --stack ${stack} && pulumi up --stack ${stack}`);
                }
                assert.match(workers.inference.queueUrl!, new RegExp(`^https://sqs\\.us-east-1\\.amazonaws\\.com/${ACCOUNT_ID}/${stack}-queues-inference-abc1234$`));
                assert.match(workers.inference.dlqUrl!, /-queues-inference-dlq-abc1234$/);
                assert.equal(workers.inference.endpoint, undefined);
                assert.match(workers["api-fn"].endpoint!, /^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/);
                assert.equal(workers["api-fn"].queueUrl, undefined);
            });

            it(`provisioned concurrency on the http worker's alias: ${stack === "prod" ? "1 (prod tier default)" : "none"}`, async () => {
                const run = await stackRun(stack);
                const configs = ofType(run, PCC);
                if (stack !== "prod") return assert.equal(configs.length, 0);
                assert.deepEqual(configs.map((c) => [c.name, c.inputs.provisionedConcurrentExecutions, c.inputs.qualifier]), [["prod-workers-api-fn", 1, "live"]]);
            });

            it("the workers' repositories let this account's Lambda pull (and only theirs have such a policy)", async () => {
                const run = await stackRun(stack);
                const policies = ofType(run, "aws:ecr/repositoryPolicy:RepositoryPolicy");
                assert.deepEqual(policies.map((p) => p.inputs.repository).sort(), [`platform/${stack}/api-fn`, `platform/${stack}/cleanup`, `platform/${stack}/inference`]);
                for (const p of policies) {
                    const [st] = policy(p.inputs.policy).Statement;
                    assert.deepEqual([st.Principal, st.Action], [{ Service: "lambda.amazonaws.com" }, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]]);
                    assert.equal(st.Condition.StringLike["aws:sourceArn"], `arn:aws:lambda:*:${ACCOUNT_ID}:function:*`);
                }
            });

            it("the service that names the inference queue may send to exactly it and gets its URL", async () => {
                const run = await stackRun(stack);
                const task = policy(one(run, POLICY, "compute-api-task").inputs.policy).Statement;
                const send = task.find((s) => s.Sid === "SendToWorkerQueues")!;
                assert.deepEqual([send.Action, send.Resource], [["sqs:SendMessage"], [`arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-inference-abc1234`]]);
                const containers = JSON.parse(one(run, "aws:ecs/taskDefinition:TaskDefinition", "compute-api").inputs.containerDefinitions);
                const env = Object.fromEntries(containers[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]));
                assert.equal(env.QUEUE_INFERENCE_URL, `https://sqs.us-east-1.amazonaws.com/${ACCOUNT_ID}/${stack}-queues-inference-abc1234`);
                const senders = ofType(run, POLICY).filter((p) => p.inputs.policy.includes(`:${stack}-queues-inference-abc1234"`));
                assert.deepEqual(senders.map((p) => p.name).sort(), [`${stack}-compute-api-task`, `${stack}-workers-inference`], "no other role may use the queue");
                assert.ok(!policy(one(run, POLICY, "workers-inference").inputs.policy).Statement.some((st) => [st.Action].flat().includes("sqs:SendMessage")), "the consumer may not send");
            });
        });
    }

    describe("the alias model", () => {
        const aliasOf = (run: { resources: Res[] }) => one(run, ALIAS, "workers-inference").inputs;

        it("by default live follows the newest version, with no routing", async () => {
            const alias = aliasOf(await stackRun("staging"));
            assert.equal(alias.functionVersion, MOCK_LAMBDA_VERSION);
            assert.equal(alias.routingConfig, undefined);
        });

        it("rollbackTo pins live to that version, with no routing", async () => {
            const run = await withWorker("staging", "inference", { rollbackTo: "5" });
            assert.equal(run.error, undefined);
            assert.equal(aliasOf(run).functionVersion, "5");
            assert.equal(aliasOf(run).routingConfig, undefined);
            assert.equal((run.outputs.workers as Record<string, WorkerOutput>).inference.liveVersion, "5");
        });

        it("canary keeps live on the stable version and sends the weight to the newest", async () => {
            const run = await withWorker("staging", "inference", { canary: { stable: "6", weight: 0.1 } });
            assert.equal(run.error, undefined);
            assert.equal(aliasOf(run).functionVersion, "6");
            assert.deepEqual(aliasOf(run).routingConfig, { additionalVersionWeights: { [MOCK_LAMBDA_VERSION]: 0.1 } });
            const out = (run.outputs.workers as Record<string, WorkerOutput>).inference;
            assert.deepEqual([out.liveVersion, out.routing], ["6", { [MOCK_LAMBDA_VERSION]: 0.1 }]);
        });

        it("a rollback changes only the alias", async () => {
            const before = await stackRun("prod");
            const after = await withWorker("prod", "inference", { rollbackTo: "6" });
            assert.equal(after.error, undefined);
            assert.deepEqual(changedResources(before, after), [`${ALIAS}::prod-workers-inference`]);
        });

        it("a new release touches only the function and its alias, nothing stateful", async () => {
            const before = await stackRun("prod");
            const release = stackRelease("prod");
            const after = await variantRun("prod", {
                "platform:release": { ...release, inference: { tag: "0123456789abcdef0123456789abcdef01234567", digest: `sha256:${"e".repeat(64)}` } },
            });
            assert.equal(after.error, undefined);
            const changed = changedResources(before, after);
            assert.ok(changed.includes(`${FN}::prod-workers-inference`), changed.join(", "));
            for (const c of changed) assert.ok([`${FN}::prod-workers-inference`, `${ALIAS}::prod-workers-inference`].includes(c), c);
            const protectedNames = (await recordResourceOptions("prod")).filter((r) => r.opts.protect).map((r) => `${r.type}::${r.name}`);
            for (const c of changed) assert.ok(!protectedNames.includes(c), `${c} is stateful`);
        });

        it("previousVersion is newest − 1, null at version 1; the rollback command says so", () => {
            assert.equal(previousVersion("7"), "6");
            assert.equal(previousVersion("1"), null);
            assert.match(rollbackCommand("prod", "inference", null), /^none: version 1/);
            assert.equal(rollbackCommand("prod", "inference", "3"), "pulumi config set --type string --path 'workers.inference.rollbackTo' 3 --stack prod && pulumi up --stack prod");
        });

        it("queues are protected in prod like every stateful resource", async () => {
            const queues = (await recordResourceOptions("prod")).filter((r) => r.type === QUEUE);
            assert.deepEqual(queues.map((q) => q.name).sort(), ["prod-queues-cleanup-dlq", "prod-queues-inference", "prod-queues-inference-dlq"]);
            for (const q of queues) assert.deepEqual([q.opts.protect, q.opts.retainOnDelete], [true, true], q.name);
        });
    });

    describe("config refusals (key, value, allowed, fix; before any resource exists)", () => {
        const Q = { memoryMb: 1024, timeoutSeconds: 60, trigger: { type: "queue" } };
        const H = { memoryMb: 512, timeoutSeconds: 10, trigger: { type: "http", routes: ["GET /items"] } };
        const issues = (worker: Record<string, unknown>, extra: Record<string, unknown> = {}) => configIssues({ tier: "dev", workers: { inference: worker }, ...extra });
        const refused = (worker: Record<string, unknown>, key: string, allowed: RegExp, extra: Record<string, unknown> = {}) => {
            const found = issues(worker, extra).filter((i) => i.key === key);
            assert.equal(found.length, 1, `${key}: ${JSON.stringify(issues(worker, extra))}`);
            assert.match(found[0].allowed, allowed);
            assert.ok(found[0].fix.length > 0);
        };

        it("accepts the edges: memory 128 and 10240, timeout 1 and 900, visibility exactly 6 × timeout", () => {
            for (const w of [
                { ...Q, memoryMb: 128 },
                { ...Q, memoryMb: 10240 },
                { ...Q, timeoutSeconds: 1 },
                { ...Q, timeoutSeconds: 900 },
                { ...Q, trigger: { type: "queue", visibilityTimeoutSeconds: 360 } },
                { ...H, trigger: { type: "http", routes: ["GET /items", "POST /items/{id}", "ANY /{proxy+}"] } },
                { ...Q, canary: { stable: "3", weight: 0.5 } },
                { ...Q, canary: { stable: "3", weight: 0.001 } },
                { ...Q, canary: { stable: "3", weight: 0.999 } },
                { ...Q, rollbackTo: "12" },
            ]) {
                assert.deepEqual(issues(w), [], JSON.stringify(w));
            }
        });

        it("refuses memory and timeout outside Lambda's bounds", () => {
            refused({ ...Q, memoryMb: 127 }, "workers.inference.memoryMb", /128 to 10240/);
            refused({ ...Q, memoryMb: 10241 }, "workers.inference.memoryMb", /128 to 10240/);
            refused({ ...Q, timeoutSeconds: 0 }, "workers.inference.timeoutSeconds", /1 to 900/);
            refused({ ...Q, timeoutSeconds: 901 }, "workers.inference.timeoutSeconds", /1 to 900/);
        });

        it("refuses a visibility timeout under 6 × the function timeout", () => {
            refused({ ...Q, trigger: { type: "queue", visibilityTimeoutSeconds: 359 } }, "workers.inference.trigger.visibilityTimeoutSeconds", /at least 6 × timeoutSeconds \(360\)/);
        });

        it("refuses canary weights 0 and 1, a canary with rollbackTo, and a rollbackTo that is not a version number", () => {
            refused({ ...Q, canary: { stable: "3", weight: 0 } }, "workers.inference.canary.weight", /greater than 0 and less than 1/);
            refused({ ...Q, canary: { stable: "3", weight: 1 } }, "workers.inference.canary.weight", /greater than 0 and less than 1/);
            refused({ ...Q, canary: { stable: "3", weight: -0.1 } }, "workers.inference.canary.weight", /greater than 0 and less than 1/);
            refused({ ...Q, canary: { stable: "3", weight: 1.1 } }, "workers.inference.canary.weight", /greater than 0 and less than 1/);
            for (const v of ["latest", "0"]) refused({ ...Q, canary: { stable: v, weight: 0.1 } }, "workers.inference.canary.stable", /published version number/);
            refused({ ...Q, canary: { stable: "3", weight: 0.1 }, rollbackTo: "2" }, "workers.inference.canary", /no canary while rollbackTo/);
            for (const v of ["latest", "$LATEST", "0", "1.5", "-2"]) refused({ ...Q, rollbackTo: v }, "workers.inference.rollbackTo", /published version number/);
        });

        it("refuses the database or cache without the VPC, and unknown secrets and buckets", () => {
            refused({ ...Q, secrets: ["database"] }, "workers.inference.vpc", /true when the worker uses database/);
            refused({ ...Q, secrets: ["cache"], vpc: false }, "workers.inference.vpc", /true when the worker uses cache/);
            assert.deepEqual(issues({ ...Q, secrets: ["database"], vpc: true }), []);
            refused({ ...Q, secrets: ["stripe"] }, "workers.inference.secrets[0]", /database, cache/);
            refused({ ...Q, buckets: ["media"] }, "workers.inference.buckets[0]", /uploads/);
        });

        it("refuses malformed routes, an http worker without routes, and fields of the other trigger type", () => {
            for (const route of ["GET items", "FETCH /items", "GET /items/{id+}/more", "get /items", "GET"]) {
                refused({ ...H, trigger: { type: "http", routes: [route] } }, "workers.inference.trigger.routes[0]", /<METHOD> \/path/);
            }
            refused({ ...H, trigger: { type: "http" } }, "workers.inference.trigger.routes", /at least one route/);
            // Throttle limits: 0 would answer every request 429 (API Gateway applies it as a limit, not as "none").
            for (const [field, max] of [["burstLimit", 5000], ["rateLimit", 10000]] as const) {
                const throttle = (v: number) => ({ ...H, trigger: { type: "http", routes: ["GET /a"], throttle: { burstLimit: 100, rateLimit: 50, [field]: v } } });
                for (const ok of [1, max]) assert.deepEqual(issues(throttle(ok)), [], `${field} ${ok}`);
                for (const bad of [0, max + 1]) refused(throttle(bad), `workers.inference.trigger.throttle.${field}`, new RegExp(`1 to ${max}`));
            }
            refused({ ...H, trigger: { type: "http", routes: ["GET /a"], batchSize: 5 } }, "workers.inference.trigger.batchSize", /only for queue triggers/);
        });

        it("refuses a service naming a queue that does not exist, and a worker named like a service", () => {
            const svc = (queues: string[]) => ({ services: { api: { cpu: 256, memory: 512, port: 8080, paths: ["/api/*"], queues } } });
            refused(Q, "services.api.queues[0]", /queue worker of this stack: inference/, svc(["jobs"]));
            assert.deepEqual(issues(Q, svc(["inference"])), []);
            const http = configIssues({ tier: "dev", workers: { web: H }, ...svc(["web"]) }).find((i) => i.key === "services.api.queues[0]");
            assert.match(http!.allowed, /no queues exist/, "an http worker has no queue");
            const clash = configIssues({ tier: "dev", workers: { api: Q }, ...svc([]) }).find((i) => i.key === "workers.api");
            assert.match(clash!.allowed, /a name no service has/);
        });

        it("worker names fit every AWS name at the edge (20-character stack and worker); longer ones are refused by the naming check", () => {
            const long = "w".repeat(20);
            assert.deepEqual(configIssues({ tier: "dev", workers: { [long]: Q } }, { stack: "a-twenty-char-stack1" }), []);
            const [issue] = namingIssues("platform", "a-twenty-char-stack1", [], ["w".repeat(30)]);
            assert.equal(issue.key, `workers.${"w".repeat(30)}`);
            assert.match(issue.allowed, /would be \d+ characters; AWS allows 64/);
        });

        it("refuses a release for an image no service or worker runs", () => {
            const rel = configIssues({ tier: "dev", workers: { inference: Q }, release: { inference: { tag: "4f2c9e1", digest: `sha256:${"a".repeat(64)}` }, other: { tag: "4f2c9e1", digest: `sha256:${"a".repeat(64)}` } } });
            assert.deepEqual(rel.map((i) => i.key), ["release.other"]);
            assert.match(rel[0].allowed, /inference/);
        });
    });
});
