/**
 * The policy pack on a recovery stack (issue 15): passive, prod-dr runs one cache node and a
 * credentials secret without rotation (RECOVERY_RELAXATIONS). Those two findings are waived for the
 * recovery ROLE — the `recovery-role` tag the program's provider puts on every resource of a recovery
 * stack — never for a stack name; an active recovery stack has neither finding.
 */
import * as assert from "node:assert/strict";
import { tierOnly } from "../../tests/fixtures";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { evaluatePack, mandatoryViolations, PolicyResult, SynthesizedResource, synthesizedResources } from "../../offline/policy";
import { activeRecoveryRun, settingsFor, stackRun } from "../../tests/helpers";
import { RECOVERY_ROLE_TAG } from "../lib";
import { waiverFor, WAIVERS } from "../waivers";

const RELAXED = ["elasticache-failover", "secrets-rotation"];
const show = (rs: PolicyResult[]) => rs.map((r) => `${r.policy} on ${r.name}${r.waived ? " (waived)" : ""}`);
const recoveryBlock = () => {
    const file = yaml.load(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.prod-dr.yaml"), "utf8")) as { config: Record<string, unknown> };
    return file.config["platform:recovery"] as Record<string, unknown>;
};

/** The stack's resources with the provider's `recovery-role` default tag removed (as if the role were not set). */
function withoutRoleTag(resources: SynthesizedResource[]): SynthesizedResource[] {
    return resources.map((r) => {
        if (r.type !== "pulumi:providers:aws") return r;
        const { tags } = JSON.parse(r.inputs.defaultTags) as { tags: Record<string, string> };
        const { [RECOVERY_ROLE_TAG]: _, ...rest } = tags;
        return { ...r, inputs: { ...r.inputs, defaultTags: JSON.stringify({ tags: rest }) } };
    });
}

describe("policy pack on the recovery stack prod-dr (in-process)", function () {
    this.timeout(120_000);
    let passive: SynthesizedResource[];
    let passiveResults: PolicyResult[];
    let activeResults: PolicyResult[];
    before(async () => {
        passive = synthesizedResources(await stackRun("prod-dr"));
        passiveResults = evaluatePack(passive);
        const active = await activeRecoveryRun();
        if (active.error) throw active.error;
        activeResults = evaluatePack(synthesizedResources(active));
    });

    it("the program tags a recovery stack's resources with its role (the provider's default tags), and no other stack's", async () => {
        const tagsOf = (resources: SynthesizedResource[]) => JSON.parse(resources.find((r) => r.type === "pulumi:providers:aws")!.inputs.defaultTags).tags;
        assert.equal(tagsOf(passive)[RECOVERY_ROLE_TAG], "recovery");
        assert.equal(settingsFor({ ...tierOnly("prod"), region: "us-west-2", recovery: recoveryBlock() }, "prod-dr").tags[RECOVERY_ROLE_TAG], "recovery", "config/merge.ts sets the tag the policies read");
        for (const stack of ["dev", "staging", "prod"]) {
            assert.equal(tagsOf(synthesizedResources(await stackRun(stack)))[RECOVERY_ROLE_TAG], undefined, stack);
        }
    });

    it("passive: zero mandatory violations; the relaxed cache and the replica's secret are waived for the recovery role", () => {
        assert.deepEqual(show(mandatoryViolations(passiveResults)), []);
        // The cache AUTH secret is waived in every stack by its own waiver (rotated by a reviewed change).
        const waived = passiveResults.filter((r) => RELAXED.includes(r.policy) && r.waived && !r.name.endsWith("-data-cache-auth"));
        assert.deepEqual(show(waived).sort(), ["elasticache-failover on prod-dr-data-cache (waived)", "secrets-rotation on prod-dr-data-db-credentials (waived)"]);
        for (const r of waived) assert.ok(WAIVERS.some((w) => w.policy === r.policy && w.recoveryRoles?.includes("recovery") && w.reason === r.waived), r.policy);
    });

    it("the same resources without the role tag fail both policies: the waivers follow the role, not the stack name", () => {
        const results = evaluatePack(withoutRoleTag(passive));
        assert.deepEqual(show(mandatoryViolations(results)).sort(), ["elasticache-failover on prod-dr-data-cache", "secrets-rotation on prod-dr-data-db-credentials"]);
    });

    it("active: neither finding exists, waived or not (promotion restores the cache's nodes and the secret's rotation)", () => {
        assert.deepEqual(show(mandatoryViolations(activeResults)), []);
        assert.deepEqual(show(activeResults.filter((r) => RELAXED.includes(r.policy) && !r.name.endsWith("-data-cache-auth"))), []);
    });

    it("active: the promoted replica's master user (the primary's, no username input) is waived for the role only", () => {
        assert.deepEqual(show(activeResults.filter((r) => r.policy === "rds-no-default-admin")), ["rds-no-default-admin on prod-dr-data-db (waived)"]);
        assert.deepEqual(show(passiveResults.filter((r) => r.policy === "rds-no-default-admin")), [], "passive: a replica, no finding");
    });

    it("a role waiver needs the role: the same subject without it, or with another stack's name only, is not waived", () => {
        const subject = { policy: "elasticache-failover", tier: "prod" as const, type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "prod-dr-data-cache", urn: "" };
        assert.ok(waiverFor({ ...subject, recoveryRole: "recovery" }));
        assert.equal(waiverFor(subject), undefined);
        assert.equal(waiverFor({ ...subject, recoveryRole: "primary" }), undefined);
        const secret = { ...subject, policy: "secrets-rotation", type: "aws:secretsmanager/secret:Secret", recoveryRole: "recovery" };
        assert.ok(waiverFor({ ...secret, name: "prod-dr-data-db-credentials" }));
        assert.equal(waiverFor({ ...secret, name: "prod-dr-data-other-secret" }), undefined, "only the database credentials");
    });
});
