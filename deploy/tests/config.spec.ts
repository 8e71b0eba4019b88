import * as assert from "node:assert/strict";
import { ConfigError, ConfigIssue } from "../../config/errors";
import { DeploySettings, resolveDeploySettings, RepoFacts } from "../config";
import { runDeploy } from "../offline";
import { readRepoFacts } from "../repo";
import { checkProviderAudience } from "../aws";

/** deploy/ refuses unsafe or incomplete settings, every problem at once, before any resource exists. */
const REPO: RepoFacts = { project: "platform", stacks: { dev: "dev", staging: "staging", prod: "prod" } };

function base(): Record<string, any> {
    return {
        organization: "acme",
        repository: "acme/platform",
        accounts: { nonprod: "222222222222", prod: "333333333333" },
        stacks: {
            dev: { account: "nonprod", writers: "developers" },
            staging: { account: "nonprod", writers: "tech-leads" },
            prod: { account: "prod", writers: "prod-approvers", readers: ["developers"] },
        },
    };
}

function issues(raw: Record<string, unknown>, account = "prod", repo = REPO): ConfigIssue[] {
    try {
        resolveDeploySettings(raw, account, repo);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.issues;
    }
    return [];
}
const keys = (raw: Record<string, unknown>, account = "prod") => issues(raw, account).map((i) => i.key);
const ok = (raw: Record<string, unknown>, account = "prod"): DeploySettings => resolveDeploySettings(raw, account, REPO);

describe("deploy/ config", () => {
    it("the committed files resolve: the repository's stacks and tiers are read from Pulumi.<stack>.yaml", () => {
        const facts = readRepoFacts();
        assert.equal(facts.project, "platform");
        assert.deepEqual(["dev", "staging", "prod"].map((s) => facts.stacks[s]), ["dev", "staging", "prod"]);
        assert.deepEqual(["dev", "staging", "prod", "prod-dr"].map((s) => facts.regions?.[s]), ["us-east-1", "us-east-1", "us-east-1", "us-west-2"]);
        assert.deepEqual(ok(base(), "nonprod").stacks.map((s) => s.name), ["dev", "staging"]);
    });

    it("refuses an unknown platform stack, naming the known ones", () => {
        const raw = base();
        raw.stacks.qa = { account: "nonprod", writers: "developers" };
        const [i] = issues(raw);
        assert.equal(i.key, "stacks.qa");
        assert.match(i.allowed, /dev, prod, staging/);
    });

    it("refuses a deploy stack named after no account", () => {
        assert.deepEqual(keys(base(), "sandbox"), ["(stack name)"]);
        assert.deepEqual(keys(base(), "prod"), []);
    });

    it("refuses a missing or malformed account id (12 digits exactly)", () => {
        const missing = base();
        delete missing.accounts.prod;
        assert.ok(keys(missing, "nonprod").includes("stacks.prod.account"));
        for (const bad of ["33333333333", "3333333333333", 333333333333]) {
            const raw = base();
            raw.accounts.prod = bad;
            assert.deepEqual(keys(raw, "nonprod"), ["accounts.prod"], String(bad));
        }
        assert.equal(keys({ ...base(), accounts: undefined })[0], "accounts");
    });

    it("refuses a prod trust that would admit another stack", () => {
        for (const trust of [["prod", "staging"], ["staging"], ["prod", "prod"]]) {
            const raw = base();
            raw.stacks.prod.trust = trust;
            const found = issues(raw);
            assert.deepEqual(found.map((i) => i.key), ["stacks.prod.trust"], JSON.stringify(trust));
            assert.match(found[0].allowed, /trust only that stack/);
        }
        const own = base();
        own.stacks.prod.trust = ["prod"];
        assert.deepEqual(keys(own), []);
    });

    it("refuses a non-prod stack trusting prod", () => {
        const raw = base();
        raw.stacks.staging.trust = ["staging", "prod"];
        assert.deepEqual(keys(raw), ["stacks.staging.trust"]);
    });

    it("refuses push-to-deploy on prod; dev deploys on push by default, staging does not", () => {
        const raw = base();
        raw.stacks.prod.pushToDeploy = true;
        assert.deepEqual(keys(raw), ["stacks.prod.pushToDeploy"]);
        const s = ok(base(), "nonprod");
        assert.deepEqual(s.stacks.map((x) => [x.name, x.pushToDeploy, x.deploymentsAccess]), [["dev", true, "write"], ["staging", false, "drift"]]);
    });

    it("refuses prod and non-prod stacks in one account", () => {
        const raw = base();
        raw.stacks.staging.account = "prod";
        assert.deepEqual(keys(raw), ["accounts.prod"]);
    });

    it("refuses a CLI below 3.187 or an unpinned image, accepts 3.187.0 exactly", () => {
        for (const image of ["pulumi/pulumi-nodejs:3.186.9", "pulumi/pulumi-nodejs:latest", "pulumi/pulumi-nodejs"]) {
            assert.deepEqual(keys({ ...base(), executorImage: image }), ["executorImage"], image);
        }
        assert.equal(ok({ ...base(), executorImage: "pulumi/pulumi-nodejs:3.187.0" }).cliVersion, "3.187.0");
    });

    it("refuses prod without drift detection or a writers team, and path filters without the stack's own file", () => {
        const raw = base();
        raw.stacks.prod.driftCron = "daily";
        delete raw.stacks.prod.writers;
        raw.stacks.prod.paths = ["index.ts"];
        assert.deepEqual(keys(raw).sort(), ["stacks.prod.driftCron", "stacks.prod.paths", "stacks.prod.writers"]);
    });

    it("refuses prod without a reader team (its previews must not hold the writers' token); non-prod falls back to the writers", () => {
        const raw = base();
        raw.stacks.prod.readers = [];
        assert.deepEqual(keys(raw), ["stacks.prod.readers"]);
        const s = ok(base(), "nonprod");
        assert.deepEqual(s.stacks.map((x) => [x.name, x.previewTeam]), [["dev", "developers"], ["staging", "tech-leads"]]);
        assert.equal(ok(base()).stacks[0].previewTeam, "developers");
    });

    it("refuses the writers team among the readers (prod writable by one team only)", () => {
        const raw = base();
        raw.stacks.prod.readers = ["developers", "prod-approvers"];
        assert.deepEqual(keys(raw), ["stacks.prod.readers"]);
    });

    it("reports every problem at once, each with allowed values and a fix", () => {
        const raw = base();
        raw.stacks.prod.pushToDeploy = true;
        raw.stacks.prod.trust = ["prod", "dev"];
        raw.accounts.nonprod = "1";
        raw.stacks.qa = {};
        const found = issues(raw);
        assert.deepEqual(found.map((i) => i.key).sort(), ["accounts.nonprod", "stacks.prod.pushToDeploy", "stacks.prod.trust", "stacks.qa"]);
        for (const i of found) assert.ok(i.allowed.length > 0 && i.fix.length > 0, i.key);
    });

    it("the policy group is on by default (platform-policy, preventative) and can be switched off until the pack is published", () => {
        assert.deepEqual(ok(base()).policy, { pack: "platform-policy", versionTag: undefined, mode: "preventative" });
        assert.equal(ok({ ...base(), policy: { enabled: false } }).policy, undefined);
        assert.deepEqual(keys({ ...base(), policy: { mode: "enforce", enabled: "no" } }).sort(), ["policy.enabled", "policy.mode"]);
    });

    it("refuses Deployments pull-request previews on a stack whose Deployments role can read secrets (push-to-deploy, drift detection)", () => {
        const dev = base();
        dev.stacks.dev.previewPullRequests = true; // dev deploys on push: its Deployments role is the deploy role
        const found = issues(dev);
        assert.deepEqual(found.map((i) => i.key), ["stacks.dev.previewPullRequests"]);
        assert.match(found[0].allowed, /push-to-deploy.*can read secrets/);
        const prod = base();
        prod.stacks.prod.previewPullRequests = true; // prod always detects drift
        assert.match(issues(prod)[0].allowed, /drift detection.*can read secrets/);
        const stagingDrift = base();
        stagingDrift.stacks.staging.previewPullRequests = true;
        stagingDrift.stacks.staging.driftCron = "0 7 * * *";
        assert.deepEqual(keys(stagingDrift), ["stacks.staging.previewPullRequests"]);
        assert.deepEqual(keys({ ...base(), stacks: { ...base().stacks, staging: { ...base().stacks.staging, previewPullRequests: "yes" } } }), ["stacks.staging.previewPullRequests"]);
    });

    it("Deployments role per stack: deploy role with push-to-deploy, preview role with PR previews, else the drift role", () => {
        const raw = base();
        raw.stacks.staging.previewPullRequests = true;
        const s = ok(raw, "nonprod");
        assert.deepEqual(s.stacks.map((x) => [x.name, x.deploymentsAccess, x.previewPullRequests, [...x.deploymentOperations]]), [
            ["dev", "write", false, ["update", "refresh", "destroy", "detect-drift", "remediate-drift"]],
            ["staging", "read", true, ["preview"]],
        ]);
        const p = ok(base()).stacks[0];
        assert.deepEqual([p.deploymentsAccess, [...p.deploymentOperations], p.roles.drift], ["drift", ["refresh", "detect-drift"], "platform-prod-drift"]);
    });

    it("deploy roles' session: 3 hours by default, 1-12 whole hours (IAM MaxSessionDuration), read-only roles an hour", () => {
        assert.deepEqual(ok(base()).sessionSeconds, { write: 10800, drift: 3600, read: 3600 });
        assert.equal(ok({ ...base(), sessionHours: 1 }).sessionSeconds.write, 3600);
        assert.equal(ok({ ...base(), sessionHours: 12 }).sessionSeconds.write, 43200);
        for (const bad of [0, 13, 2.5, "3"]) assert.deepEqual(keys({ ...base(), sessionHours: bad }), ["sessionHours"], String(bad));
    });

    it("OIDC providers: created by default; an existing one referenced by its fixed ARN in this account", () => {
        assert.deepEqual(ok(base()).oidcProviders, { pulumi: { create: true }, github: { create: true } });
        const github = "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com";
        assert.deepEqual(ok({ ...base(), oidcProviders: { github: "existing" } }).oidcProviders.github, { arn: github });
        assert.deepEqual(ok({ ...base(), oidcProviders: { github } }).oidcProviders.github, { arn: github });
        assert.deepEqual(ok({ ...base(), oidcProviders: { pulumi: "existing" } }, "nonprod").oidcProviders.pulumi, { arn: "arn:aws:iam::222222222222:oidc-provider/api.pulumi.com/oidc" });
        for (const bad of ["arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com", "arn:aws:iam::333333333333:oidc-provider/example.com", "reuse"]) {
            assert.deepEqual(keys({ ...base(), oidcProviders: { github: bad } }), ["oidcProviders.github"], bad);
        }
        assert.deepEqual(keys({ ...base(), oidcProviders: { gitlab: "existing" } }), ["oidcProviders.gitlab"]);
    });

    it("an existing provider must accept the audience its tokens carry; the error says how to add it", () => {
        const arn = "arn:aws:iam::333333333333:oidc-provider/api.pulumi.com/oidc";
        assert.equal(checkProviderAudience(arn, ["acme", "aws:acme"], "acme"), arn);
        assert.throws(() => checkProviderAudience(arn, ["aws:acme"], "acme"), /does not accept the audience "acme".*add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::333333333333:oidc-provider\/api\.pulumi\.com\/oidc --client-id acme/);
    });

    it("the program stops with the config error before registering any resource", async function () {
        this.timeout(30_000);
        const run = await runDeploy("prod", { stacks: { ...base().stacks, prod: { account: "prod", writers: "prod-approvers", pushToDeploy: true } } });
        assert.ok(ConfigError.isInstance(run.error), String(run.error));
        assert.match(run.error!.message, /stacks\.prod\.pushToDeploy/);
        assert.equal(run.resources.length, 0);
    });
});
