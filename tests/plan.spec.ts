import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../offline/run";
import { PLAN_COMMAND, PlanResult, runPlan, TIER_STACKS } from "./helpers";

/** Runs `npm run plan -- <args>`'s command in a separate process (PLAN_COMMAND; review-against goes through npm itself). */
const plan = (...args: string[]): Promise<PlanResult> => runPlan(args);

const SCRATCH_STACK = path.join(ROOT, "Pulumi.plantest.yaml");

describe("npm run plan", function () {
    this.timeout(60_000);

    // Every case is a separate process, mostly waiting on module loading: start them all at once
    // and let each test await its own (half the wall time of running them one after another).
    const runs = new Map<string, Promise<PlanResult>>();
    const run = (...args: string[]) => runs.get(args.join(" "))!;
    before(() => {
        for (const args of [...TIER_STACKS.map((s) => [s]), ["qa"], []]) runs.set(args.join(" "), plan(...args));
        // The scratch stack file appears only once the runs that list the stacks have finished.
        const listed = Promise.allSettled([run("qa"), run()]);
        runs.set("plantest", listed.then(() => {
            fs.writeFileSync(SCRATCH_STACK, "config:\n  platform:tier: prod\n  platform:network:\n    natGateways: single\n    azCount: 12\n  platform:domain:\n    name: api.example.com\n    hostedZoneId: Z0123456789ABCDEFGHIJ\n");
            return plan("plantest");
        }));
    });
    after(async () => {
        await Promise.allSettled(runs.values());
        fs.rmSync(SCRATCH_STACK, { force: true });
    });

    it("these specs run the command npm run plan runs: the same script, preload and environment", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        const env = Object.entries(PLAN_COMMAND.env).map(([k, v]) => `${k}=${v}`).join(" ");
        assert.equal(pkg.scripts.plan, `${env} ts-node --transpile-only ${PLAN_COMMAND.args.join(" ")}`);
    });

    it("warns about each placeholder left in the stack file (prod: example zone, domain and synthetic digests)", async () => {
        const r = await run("prod");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^WARNING: Pulumi\.prod\.yaml holds 7 placeholder values; replace them before a real pulumi up \(README "First deploy"\):$/m);
        assert.match(r.stdout, /^ {2}- platform:domain\.hostedZoneId = Z0123456789EXAMPLE0: an example identifier/m);
        assert.match(r.stdout, /^ {2}- platform:domain\.name = api\.example\.com: a reserved example domain/m);
    });

    for (const stack of TIER_STACKS) {
        it(`prints how many alarms ${stack} has: as many as the tree lists`, async () => {
            const r = await run(stack);
            assert.equal(r.code, 0, r.stderr);
            const listed = r.stdout.split("\n").filter((l) => l.includes("(aws:cloudwatch/metricAlarm:MetricAlarm)")).length;
            const m = /^Alarms: (\d+) CloudWatch alarms \((\d+) critical, (\d+) warning\), each notifying on ALARM and OK$/m.exec(r.stdout);
            assert.ok(m, "no Alarms: line");
            assert.ok(listed > 0);
            assert.equal(Number(m[1]), listed);
            assert.equal(Number(m[2]) + Number(m[3]), listed);
        });
    }

    for (const stack of TIER_STACKS) {
        it(`prints the ${stack} resource tree and outputs under an offline header and exits 0`, async () => {
            const r = await run(stack);
            assert.equal(r.code, 0, `npm run plan -- ${stack} exit code; stderr:\n${r.stderr}`);
            assert.match(r.stdout, new RegExp(`^OFFLINE PLAN  stack=${stack}  tier=${stack}`, "m"), `${stack}: plan header`);
            assert.match(r.stdout, /Providers are mocked: no AWS account/, `${stack}: the plan says it is offline`);
            assert.match(r.stdout, new RegExp(`${stack}-network  \\(platform:network:Network\\)`), `${stack}: network component in the tree`);
            assert.match(r.stdout, /[├└]─ .*\(awsx:ec2:Vpc\)  cidr=10\.\d+\.0\.0\/16/, `${stack}: VPC with its CIDR`);
            assert.match(r.stdout, /^Outputs:\n  tier: "/m, `${stack}: outputs section`);
            assert.match(r.stdout, /vpcId: "vpc-/, `${stack}: vpcId output`);
            // Services show their image digests and scaling bounds; release is among the outputs.
            assert.match(r.stdout, /\(aws:ecs\/taskDefinition:TaskDefinition\)  cpu=512 memory=1024 arch=ARM64 image=\S+\/platform\/\w+\/api@sha256:[0-9a-f]{64}/, `${stack}: api task definition by digest`);
            assert.match(r.stdout, /\(aws:appautoscaling\/target:Target\)  tasks=\d+-\d+/, `${stack}: scaling bounds`);
            assert.match(r.stdout, /^  release: \{/m, `${stack}: release output`);
            assert.equal(/NOTE: no domain configured: CloudFront serves https:\/\/<distribution>\.cloudfront\.net with its default/.test(r.stdout), stack === "dev", `${stack}: only dev runs without a domain (default certificate, HTTP to the origin), and the plan says so`);
            assert.match(r.stdout, /^Policy pack \(policy\/, \d+ policies, run in-process; README "Policy pack"\): 0 mandatory violation\(s\)/m, `${stack}: policy summary`);
        });
    }

    for (const stack of TIER_STACKS) {
        it(`shows each ${stack} worker with its trigger, alias → version, the queue + DLQ and the schedule + DLQ`, async () => {
            const r = await run(stack);
            assert.equal(r.code, 0);
            assert.match(r.stdout, new RegExp(`${stack}-workers  \\(platform:workers:Workers\\)`));
            assert.match(r.stdout, /workers-inference  \(aws:lambda\/alias:Alias\)  live → version 7$/m, "alias → version");
            assert.match(r.stdout, /workers-api-fn  \(aws:lambda\/alias:Alias\)  live → version 7$/m);
            assert.match(r.stdout, /\(aws:lambda\/eventSourceMapping:EventSourceMapping\)  queue → alias :live batch=10 .*ReportBatchItemFailures/, "queue trigger on the alias");
            assert.match(r.stdout, /\(aws:apigatewayv2\/integration:Integration\)  AWS_PROXY → alias :live payload=2\.0/, "http trigger on the alias");
            assert.match(r.stdout, /queues-inference  \(aws:sqs\/queue:Queue\)  visibility=360s sse=sqs → DLQ after 5 receives/, "queue");
            assert.match(r.stdout, /queues-inference-dlq  \(aws:sqs\/queue:Queue\)  DLQ retention=14d sse=sqs/, "DLQ");
            assert.match(r.stdout, /workers-cleanup  \(aws:scheduler\/schedule:Schedule\)  cron\(0 3 \* \* \? \*\) UTC → alias :live window=OFF retries=3 dlq=yes$/m, "schedule trigger on the alias");
            assert.match(r.stdout, /queues-cleanup-dlq  \(aws:sqs\/queue:Queue\)  DLQ retention=14d sse=sqs/, "the schedule's DLQ");
            assert.equal(/\(aws:lambda\/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig\)  1 warm on :live/.test(r.stdout), stack === "prod");
            assert.doesNotMatch(r.stdout, /UNQUALIFIED/);
        });
    }

    it("prod: the distribution is the internet-facing entry with its behaviours and web ACL rules; the load balancer is internal", async () => {
        const r = await run("prod");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /prod-edge-cdn  \(aws:cloudfront\/distribution:Distribution\)  INTERNET-FACING ENTRY aliases=api\.example\.com cert=acm TLSv1\.2_2021 waf=yes http2and3 ipv6=true PriceClass_All behaviours: default→frontend\+spa \/api\/\*→api\(no cache\) \/health→api\(no cache\)/);
        assert.match(r.stdout, /prod-edge-waf  \(aws:wafv2\/webAcl:WebAcl\)  CLOUDFRONT region=us-east-1 default=allow rules: rate 2000\/300s per IP, AWSManagedRulesAmazonIpReputationList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet/);
        assert.match(r.stdout, /\(aws:lb\/loadBalancer:LoadBalancer\)  internal /);
        assert.equal(r.stdout.match(/INTERNET-FACING ENTRY/g)?.length, 1, "one entry");
        assert.doesNotMatch(r.stdout, /internet-facing name=/, "the load balancer is not internet-facing");
    });

    it("refuses an unknown stack with the list of stacks, exit 2 and no stack trace", async () => {
        const r = await run("qa");
        assert.equal(r.code, 2, `plan -- qa exit code; stderr:\n${r.stderr}`);
        assert.match(r.stderr, /unknown stack "qa"/);
        // Other specs running in parallel may have a scratch stack file (Pulumi.<name>test.yaml) in place.
        const listed = /\(stacks: ([^)]*)\)/.exec(r.stderr)?.[1].split(", ") ?? [];
        // The three tier stacks and prod's recovery stack (README "Disaster recovery").
        assert.deepEqual(listed.filter((s) => !s.endsWith("test")), ["dev", "prod", "prod-dr", "staging"], `plan -- qa lists the stacks: ${r.stderr}`);
        assert.doesNotMatch(r.stderr + r.stdout, /\s+at .+:\d+:\d+/);
    });

    it("refuses a missing stack argument with usage, exit 2", async () => {
        const r = await run();
        assert.equal(r.code, 2, `plan without a stack: exit code; stderr:\n${r.stderr}`);
        assert.match(r.stderr, /usage: npm run plan -- <stack>/);
    });

    describe("with an invalid stack file", () => {
        it("prints every config problem, exit 1 and no stack trace", async () => {
            const r = await run("plantest");
            assert.equal(r.code, 1, `plan -- plantest exit code; stderr:\n${r.stderr}`);
            assert.match(r.stderr, /Invalid configuration for stack "plantest" \(2 problems\)/);
            assert.match(r.stderr, /network\.azCount = 12/);
            assert.match(r.stderr, /network\.natGateways = "single"/);
            assert.doesNotMatch(r.stderr + r.stdout, /\s+at .+:\d+:\d+/);
            assert.equal(r.stdout, "");
        });
    });
});
