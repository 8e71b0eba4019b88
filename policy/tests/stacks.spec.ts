import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { annotateTree, evaluatePack, mandatoryViolations, PolicyResult, policySummary, SynthesizedResource, synthesizedResources, synthesizeStack } from "../../offline/policy";
import { stackRun } from "../../tests/helpers";
import { WAIVERS } from "../waivers";

const TIERS = ["dev", "staging", "prod"] as const;

const show = (rs: PolicyResult[]) => rs.map((r) => `${r.policy} on ${r.name}: ${r.message}`);

describe("policy pack on the synthesized stacks (in-process)", function () {
    this.timeout(120_000); // four syntheses (three shared with other specs); a loaded machine can take a while (nothing here asserts time)
    const runs = new Map<string, SynthesizedResource[]>();
    const results = new Map<string, PolicyResult[]>();
    let weakened: PolicyResult[];

    before(async () => {
        for (const stack of TIERS) {
            runs.set(stack, synthesizedResources(await stackRun(stack))); // the memoised program run, as `npm run plan` evaluates it
            results.set(stack, evaluatePack(runs.get(stack)!));
        }
        // A deliberately weakened prod: an unencrypted, unprotected bucket without its side resources,
        // the database security group opened to the internet on 5432, and a dead-letter queue without an alarm.
        weakened = evaluatePack(
            await synthesizeStack("prod", (platform) => {
                new aws.s3.Bucket("prod-data-weak", {}, { parent: platform.data });
                new aws.vpc.SecurityGroupIngressRule(
                    "prod-network-db-open",
                    { securityGroupId: platform.network.securityGroups.data, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                    { parent: platform.network },
                );
                // A queue with a dead-letter queue that no alarm watches (monitoring adds one per worker, not for this queue).
                const dlq = new aws.sqs.Queue("prod-queues-weak-dlq", { sqsManagedSseEnabled: true }, { parent: platform.data, protect: true });
                new aws.sqs.Queue("prod-queues-weak", { sqsManagedSseEnabled: true, redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) }, { parent: platform.data, protect: true });
            }),
        );
    });

    for (const stack of TIERS) {
        it(`${stack}: zero mandatory violations`, () => {
            assert.deepEqual(show(mandatoryViolations(results.get(stack)!)), []);
        });
    }

    it("every waived finding is covered by a waiver of its own policy (nothing waived silently)", () => {
        for (const stack of TIERS) {
            for (const r of results.get(stack)!.filter((x) => x.waived)) {
                assert.ok(WAIVERS.some((w) => w.policy === r.policy && w.reason === r.waived), `${stack}: ${r.policy} on ${r.name}`);
            }
        }
    });

    it("the runner sees the options the program passes: prod's stateful resources are protected, dev's are not", () => {
        const protectedTypes = (stack: string) => new Set(runs.get(stack)!.filter((r) => r.opts?.protect === true).map((r) => r.type));
        for (const t of ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:ecr/repository:Repository", "aws:sqs/queue:Queue"]) {
            assert.ok(protectedTypes("prod").has(t), `prod ${t} protected`);
        }
        assert.equal(protectedTypes("dev").size, 0);
    });

    it("catches a deliberately weakened prod: an unencrypted bucket, an open database security group, an unwatched dead-letter queue", () => {
        const on = (name: string) => mandatoryViolations(weakened).filter((r) => r.name === name).map((r) => r.policy).sort();
        assert.deepEqual(on("prod-data-weak"), ["s3-access-logging", "s3-block-public-access", "s3-kms-encryption", "s3-ownership-enforced", "s3-tls-only", "stateful-protected"]);
        assert.deepEqual(on("prod-network-db-open"), ["sg-no-internet-ingress"]);
        assert.deepEqual(on("prod-queues-weak-dlq"), ["dlq-has-alarm"]);
        assert.deepEqual(on("prod-queues-weak"), []);
        // Nothing else changed: every other finding is one the committed prod already has.
        const before = new Set(results.get("prod")!.map((r) => `${r.policy}|${r.name}|${r.waived ?? ""}`));
        const extra = weakened.filter((r) => !["prod-data-weak", "prod-network-db-open", "prod-queues-weak-dlq", "prod-queues-weak"].includes(r.name) && !before.has(`${r.policy}|${r.name}|${r.waived ?? ""}`));
        assert.deepEqual(show(extra), []);
    });

    it("prod-only rules follow the provider's tier tag, not the stack name: dev's resources tagged prod fail them", () => {
        const asProd = runs.get("dev")!.map((r) => (r.type === "pulumi:providers:aws" ? { ...r, inputs: { ...r.inputs, defaultTags: JSON.stringify({ tags: { tier: "prod" } }) } } : r));
        const policies = new Set(mandatoryViolations(evaluatePack(asProd)).map((r) => r.policy));
        for (const p of ["rds-multi-az", "rds-deletion-protection", "stateful-protected", "elb-deletion-protection"]) assert.ok(policies.has(p), p);
    });

    it("limit: awsx children (subnets, NAT gateways) are not synthesized offline, so EC2.15 runs only under pulumi preview", () => {
        assert.equal(runs.get("prod")!.filter((r) => r.type === "aws:ec2/subnet:Subnet").length, 0);
        assert.equal(runs.get("prod")!.filter((r) => r.type === "awsx:ec2:Vpc").length, 1);
    });
});

describe("npm run plan: policy findings next to their resources", () => {
    const result = (over: Partial<PolicyResult>): PolicyResult => ({
        policy: "rds-not-public",
        control: "RDS.2",
        level: "mandatory",
        scope: "resource",
        urn: "urn:x",
        type: "aws:rds/instance:Instance",
        name: "prod-data-db",
        message: "publiclyAccessible is true.",
        remediation: "keep it private.",
        ...over,
    });

    it("puts a violation under its resource's line (not under a resource whose name only ends the same)", () => {
        const lines = ["  prod-data  (platform:data:Data)", "  ├─ x-prod-data-db  (aws:rds/instance:Instance)  class=db.t4g", "  └─ prod-data-db  (aws:rds/instance:Instance)  class=db.m7g"];
        assert.deepEqual(annotateTree(lines, [result({})]), [...lines, "        !! POLICY VIOLATION rds-not-public (RDS.2): publiclyAccessible is true. Fix: keep it private."]);
    });

    it("marks waived findings as waived, and the summary counts mandatory violations and lists stack-level ones", () => {
        assert.deepEqual(annotateTree(["  └─ prod-data-db  (aws:rds/instance:Instance)"], [result({ waived: "because" })])[1], "        ~ waived: rds-not-public (RDS.2), policy/waivers.ts");
        const summary = policySummary([result({}), result({ urn: "", name: "(stack)", message: "stack-wide." })]);
        assert.match(summary[0], /: 2 mandatory violation\(s\) \(pulumi preview --policy-pack policy would fail\), 0 advisory, 0 waived/);
        assert.equal(summary.length, 2);
        assert.match(summary[1], /stack-wide\./);
    });
});
