import * as assert from "node:assert/strict";
import { evaluatePack, PolicyResult, SynthesizedResource } from "../../offline/policy";
import type { PlatformPolicy, Tier } from "../lib";
import { POLICIES } from "../policies";
import { waiverFor, WAIVERS } from "../waivers";
import { Case, CASES, Res } from "./cases";

const PROVIDER_URN = "urn:pulumi:t::platform::pulumi:providers:aws::t-aws";

function provider(tier: Tier | undefined): SynthesizedResource {
    const tags = tier ? { project: "platform", stack: "t", tier } : { project: "platform" };
    return { type: "pulumi:providers:aws", name: "t-aws", urn: PROVIDER_URN, custom: true, inputs: { region: "us-east-1", defaultTags: JSON.stringify({ tags }) }, state: {} };
}

function synth(r: Res): SynthesizedResource {
    return {
        type: r.type,
        name: r.name,
        urn: `urn:pulumi:t::platform::${r.type}::${r.name}`,
        custom: true,
        inputs: r.props,
        state: {},
        provider: `${PROVIDER_URN}::t-aws-id`,
        opts: r.opts,
    };
}

function setPath<T>(value: T, path: string, to: unknown): T {
    const copy = structuredClone(value) as any;
    const keys = path.split(".");
    let at = copy;
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    const last = keys[keys.length - 1];
    if (to === undefined) delete at[last];
    else at[last] = to;
    return copy;
}

function policyNamed(name: string): PlatformPolicy {
    const p = POLICIES.find((x) => x.name === name);
    assert.ok(p, `no policy ${name}`);
    return p;
}

function run(c: Case, subject: Res, opts: { tier?: Tier | undefined; stackTags?: Map<string, string> } = {}): PolicyResult[] {
    const tier = "tier" in opts ? opts.tier : (c.tier ?? "prod");
    const resources = [provider(tier), ...(c.others ?? []).map(synth), synth(subject)];
    return evaluatePack(resources, [policyNamed(c.policy)], opts.stackTags);
}

const reported = (results: PolicyResult[]) => results.filter((r) => !r.waived);

describe("policy pack: each policy passes and fails on one field", () => {
    it("every policy of the pack has a case, and every case names a policy", () => {
        const names = POLICIES.map((p) => p.name);
        assert.deepEqual(names.filter((n) => !CASES.some((c) => c.policy === n)), [], "policies without a case");
        assert.deepEqual(CASES.map((c) => c.policy).filter((n) => !names.includes(n)), [], "cases of no policy");
        assert.equal(new Set(names).size, names.length, "policy names are unique");
    });

    for (const c of CASES) {
        describe(c.policy, () => {
            it("passes", () => {
                assert.deepEqual(run(c, c.subject).map((r) => r.message), []);
            });
            it(`fails when ${c.field} is ${JSON.stringify(c.bad)}`, () => {
                const broken = setPath(c.subject, c.field, c.bad);
                assert.notDeepEqual(broken, c.subject, "the case changes the subject");
                // Waived findings count: a waiver hides a finding from the preview, not from this check.
                const results = run(c, broken);
                assert.ok(results.length > 0, `${c.policy} reported nothing`);
                assert.ok(results.every((r) => r.policy === c.policy));
            });
        });
    }
});

describe("policy pack: metadata", () => {
    it("every policy names its control in the description, a remediation, and mandatory or advisory", () => {
        for (const p of POLICIES) {
            assert.ok(p.description.startsWith(`${p.meta.control}: `), `${p.name}: description names the control`);
            assert.ok(p.meta.remediation.length > 10, `${p.name}: remediation`);
            assert.ok(["mandatory", "advisory"].includes(String(p.enforcementLevel)), `${p.name}: level`);
            assert.equal(p.remediationSteps, p.meta.remediation);
        }
    });

    it("security and data-protection policies are mandatory; the advisory ones are cost/hygiene", () => {
        const advisory = POLICIES.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name).sort();
        assert.deepEqual(advisory, [
            "alarm-ok-actions",
            "ecr-kms-encryption",
            "ecr-lifecycle-policy",
            "ecs-circuit-breaker",
            "iam-no-service-wildcard",
            "lambda-tracing",
            "log-group-cmk",
            "log-group-retention",
            "rds-copy-tags-to-snapshot",
            "rds-enhanced-monitoring",
            "rds-non-default-port",
            "s3-lifecycle",
        ]);
    });

    it("every resource type the pack inspects exists in the installed @pulumi/aws (awsguard went stale on renamed tokens)", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const aws = require("@pulumi/aws") as Record<string, Record<string, { __pulumiType?: string }>>;
        const tokens = [...new Set(POLICIES.flatMap((p) => p.meta.types))].filter((t) => t.startsWith("aws:"));
        const missing = tokens.filter((t) => {
            const [, mod, cls] = /^aws:([a-z0-9]+)\/[A-Za-z0-9]+:([A-Za-z0-9]+)$/.exec(t) ?? [];
            return aws[mod]?.[cls]?.__pulumiType !== t;
        });
        assert.deepEqual(missing, []);
    });
});

describe("policy pack: tier comes from what a policy can see", () => {
    const c = CASES.find((x) => x.policy === "rds-deletion-protection")!;
    const broken = setPath(c.subject, c.field, c.bad);

    it("a prod-only rule applies under the provider's default tag tier=prod and not under tier=dev", () => {
        assert.equal(reported(run(c, broken, { tier: "prod" })).length, 1);
        assert.equal(reported(run(c, broken, { tier: "dev" })).length, 0);
    });

    it("without provider tags the `tier` stack tag decides; with no tier at all the resource counts as prod", () => {
        assert.equal(reported(run(c, broken, { tier: undefined, stackTags: new Map([["tier", "staging"]]) })).length, 0);
        assert.equal(reported(run(c, broken, { tier: undefined })).length, 1);
    });

    it("the resource's own tier tag wins over the provider's", () => {
        assert.equal(reported(run(c, setPath(broken, "props.tags", { tier: "dev" }), { tier: "prod" })).length, 0);
    });
});

describe("policy pack: waivers", () => {
    it("every waiver names a policy of the pack and gives a reason", () => {
        for (const w of WAIVERS) {
            assert.ok(POLICIES.some((p) => p.name === w.policy), `waiver for unknown policy ${w.policy}`);
            assert.ok(w.reason.length > 20, `${w.policy}: reason`);
        }
    });

    it("a waiver covers only what it names: the logs bucket's SSE-S3 is waived, the uploads bucket's is not", () => {
        const c = CASES.find((x) => x.policy === "s3-kms-encryption")!;
        const sse = (name: string) => ({ ...setPath(c.subject, c.field, c.bad), name });
        const logs = evaluatePack([provider("prod"), synth({ ...c.others![0], name: "t-data-logs" }), synth(sse("t-data-logs"))], [policyNamed(c.policy)]);
        assert.equal(logs.length, 1);
        assert.match(logs[0].waived ?? "", /ALB access logs/);
        assert.equal(reported(run(c, setPath(c.subject, c.field, c.bad))).length, 1);
    });

    it("tier waivers hold only in their tiers: ElastiCache.3 is waived in dev, not in staging", () => {
        const subject = { policy: "elasticache-failover", type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "x-data-cache", urn: "" };
        assert.ok(waiverFor({ ...subject, tier: "dev" }));
        assert.equal(waiverFor({ ...subject, tier: "staging" }), undefined);
    });

    it("IAM Resource \"*\" is waived per action: ecr:GetAuthorizationToken yes, s3:GetObject no", () => {
        const subject = { policy: "iam-resource-wildcard", tier: "prod" as const, type: "aws:iam/rolePolicy:RolePolicy", name: "r", urn: "" };
        assert.ok(waiverFor({ ...subject, detail: "ecr:GetAuthorizationToken" }));
        assert.equal(waiverFor({ ...subject, detail: "s3:GetObject" }), undefined);
    });
});
