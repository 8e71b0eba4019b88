import * as assert from "node:assert/strict";
import { DeployRun, runDeploy } from "../offline";
import { PULUMI_ISSUER_HOST, GITHUB_ISSUER_HOST } from "../trust";

/**
 * deploy/ under mocks, for both AWS accounts as committed (deploy/Pulumi.nonprod.yaml, Pulumi.prod.yaml):
 * the Deployments settings per platform stack and the IAM trust that gives each run its credentials.
 * Expected values come from issue 12 and seeds 002/003: dev deploys on push, staging and prod never;
 * previews on every pull request; no deployment without `npm ci` and the offline suite; the CLI pinned;
 * prod's roles in the prod account, trusting only prod; no access keys.
 */
const ORG = "acme"; // the committed stack files' organization
const NONPROD = "222222222222";
const PROD = "333333333333";
const sub = (stack: string, op: string) => `pulumi:deploy:org:${ORG}:project:platform:stack:${stack}:operation:${op}:scope:write`;

type Statement = { Sid: string; Principal: { Federated: string }; Action: string; Condition: Record<string, Record<string, unknown>> };

function of(run: DeployRun, type: string) {
    return run.resources.filter((r) => r.type === type);
}
function settingsFor(run: DeployRun, stack: string) {
    const s = of(run, "pulumiservice:index:DeploymentSettings").filter((r) => r.inputs.stack === stack);
    assert.equal(s.length, 1, `one DeploymentSettings for ${stack}`);
    return s[0].inputs;
}
function role(run: DeployRun, name: string) {
    const r = of(run, "aws:iam/role:Role").filter((x) => x.inputs.name === name);
    assert.equal(r.length, 1, `one role ${name}`);
    return { inputs: r[0].inputs, trust: JSON.parse(r[0].inputs.assumeRolePolicy) as { Statement: Statement[] } };
}
function subjects(t: { Statement: Statement[] }, host: string): string[] {
    return t.Statement.filter((s) => Object.keys(s.Condition.StringEquals ?? {}).some((k) => k.startsWith(host))).flatMap((s) => {
        const v = s.Condition.StringEquals[`${host}:sub`];
        return Array.isArray(v) ? (v as string[]) : [v as string];
    });
}

describe("deploy/: Pulumi Deployments and OIDC per stack", () => {
    let nonprod: DeployRun;
    let prod: DeployRun;
    before(async function () {
        this.timeout(60_000);
        nonprod = await runDeploy("nonprod");
        if (nonprod.error) throw nonprod.error;
        prod = await runDeploy("prod");
        if (prod.error) throw prod.error;
    });

    it("each account's stack manages exactly its own platform stacks (dev, staging in non-prod; prod in prod)", () => {
        assert.deepEqual(of(nonprod, "pulumiservice:index:DeploymentSettings").map((r) => r.inputs.stack).sort(), ["dev", "staging"]);
        assert.deepEqual(of(prod, "pulumiservice:index:DeploymentSettings").map((r) => r.inputs.stack), ["prod"]);
        for (const r of [...nonprod.resources, ...prod.resources].filter((x) => x.type.startsWith("pulumiservice:") && x.inputs.project !== undefined)) {
            assert.equal(r.inputs.organization, ORG);
            assert.equal(r.inputs.project, "platform");
        }
    });

    it("the AWS provider refuses credentials of any other account", () => {
        const [np] = of(nonprod, "pulumi:providers:aws");
        const [p] = of(prod, "pulumi:providers:aws");
        assert.deepEqual(JSON.parse(np.inputs.allowedAccountIds), [NONPROD]);
        assert.deepEqual(JSON.parse(p.inputs.allowedAccountIds), [PROD]);
    });

    for (const [stack, account, push] of [["dev", "nonprod", true], ["staging", "nonprod", false], ["prod", "prod", false]] as const) {
        describe(`${stack}: deployment settings`, () => {
            const s = () => settingsFor(account === "prod" ? prod : nonprod, stack);
            it("source: the repository's main branch through the GitHub app (vcs), not the deprecated github block", () => {
                assert.deepEqual(s().sourceContext, { git: { branch: "refs/heads/main" } });
                assert.equal(s().vcs.provider, "github");
                assert.equal(s().vcs.repository, "acme/platform");
                assert.equal(s().github, undefined);
            });
            it(`triggers: push-to-deploy ${push ? "on" : "off"}, pull-request previews on`, () => {
                assert.equal(s().vcs.deployCommits, push);
                assert.equal(s().vcs.previewPullRequests, true);
            });
            it("pre-run commands install from the lockfile, then run the offline tests, before Pulumi starts", () => {
                const cmds: string[] = s().operationContext.preRunCommands;
                assert.match(cmds[0], /^npm ci\b/);
                assert.equal(cmds[1], "npm test");
                assert.equal(s().operationContext.options.skipInstallDependencies, true, "no second, lockfile-less install");
            });
            it("the CLI is pinned by the executor image to an exact version >= 3.187", () => {
                const m = /^pulumi\/pulumi-nodejs:(\d+)\.(\d+)\.(\d+)$/.exec(s().executorContext.executorImage);
                assert.ok(m, s().executorContext.executorImage);
                assert.ok(Number(m![1]) > 3 || (Number(m![1]) === 3 && Number(m![2]) >= 187));
            });
            it("path filters: the program, the lockfile and its own stack file, not another stack's", () => {
                const paths: string[] = s().vcs.paths;
                for (const p of ["index.ts", "config/**", "components/**", "package-lock.json", `Pulumi.${stack}.yaml`]) assert.ok(paths.includes(p), p);
                for (const other of ["dev", "staging", "prod"].filter((o) => o !== stack)) assert.ok(!paths.includes(`Pulumi.${other}.yaml`), other);
            });
            it(`OIDC: the stack's ${push ? "deploy" : "read-only preview"} role in its own account, with a session name`, () => {
                const aws = s().operationContext.oidc.aws;
                const id = account === "prod" ? PROD : NONPROD;
                assert.equal(aws.roleARN, `arn:aws:iam::${id}:role/platform-${stack}-${push ? "deploy" : "preview"}`);
                assert.equal(aws.sessionName, `pulumi-deployments-${stack}`);
            });
        });
    }

    it("prod runs drift detection (no auto-remediation); dev and staging do not", () => {
        const drift = [...of(nonprod, "pulumiservice:index:DriftSchedule"), ...of(prod, "pulumiservice:index:DriftSchedule")];
        assert.deepEqual(drift.map((d) => [d.inputs.stack, d.inputs.autoRemediate]), [["prod", false]]);
        assert.equal(drift[0].inputs.scheduleCron.split(" ").length, 5);
    });

    it("prod is writable only by the team that approves it; other teams read", () => {
        const perms = of(prod, "pulumiservice:index:TeamStackPermission").map((p) => [p.inputs.team, p.inputs.permission]);
        assert.deepEqual(perms.filter(([, p]) => p !== 101), [["prod-approvers", 102]]);
        assert.ok(perms.some(([t, p]) => t === "developers" && p === 101));
    });

    it("the policy group enforces platform-policy (preventative) on the account's stacks", () => {
        const [g] = of(prod, "pulumiservice:index:PolicyGroup");
        assert.equal(g.inputs.mode, "preventative");
        assert.deepEqual(g.inputs.policyPacks.map((p: { name: string }) => p.name), ["platform-policy"]);
        assert.deepEqual(g.inputs.stacks, [{ name: "prod", routingProject: "platform" }]);
        const [ng] = of(nonprod, "pulumiservice:index:PolicyGroup");
        assert.deepEqual(ng.inputs.stacks.map((x: { name: string }) => x.name).sort(), ["dev", "staging"]);
    });

    it("the GitHub Actions issuer (prod's deploy stack only): environment <stack> → the writers' token, <stack>-preview → a reader team's, exact subjects", () => {
        assert.equal(of(nonprod, "pulumiservice:index:OidcIssuer").length, 0, "one issuer per organization");
        const [issuer] = of(prod, "pulumiservice:index:OidcIssuer");
        assert.equal(issuer.inputs.url, "https://token.actions.githubusercontent.com");
        const rules = issuer.inputs.policies.map((p: any) => [p.decision, p.tokenType, p.rules.aud, p.rules.sub, p.teamName]);
        const expect = (env: string, team: string) => ["allow", "team", "urn:pulumi:org:acme", `repo:acme/platform:environment:${env}`, team];
        // Previews (unreviewed code) get a reader team's token: never prod-approvers' for prod-preview.
        assert.deepEqual(rules, [expect("dev", "developers"), expect("dev-preview", "developers"), expect("staging", "tech-leads"), expect("staging-preview", "developers"), expect("prod", "prod-approvers"), expect("prod-preview", "developers")]);
        assert.ok(issuer.inputs.policies.every((p: any) => p.tokenType !== "organization" && !p.rules.sub.includes("*")));
    });

    describe("trust policies", () => {
        it("OIDC providers: Pulumi Cloud with the organization as audience, GitHub with sts.amazonaws.com", () => {
            for (const run of [nonprod, prod]) {
                const urls = of(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]);
                assert.deepEqual(urls.sort(), [[`https://${PULUMI_ISSUER_HOST}`, [ORG]], [`https://${GITHUB_ISSUER_HOST}`, ["sts.amazonaws.com"]]]);
            }
        });

        it("every statement pins audience and subject with StringEquals (no wildcard, no StringLike)", () => {
            for (const r of [...of(nonprod, "aws:iam/role:Role"), ...of(prod, "aws:iam/role:Role")]) {
                for (const st of (JSON.parse(r.inputs.assumeRolePolicy) as { Statement: Statement[] }).Statement) {
                    assert.equal(st.Action, "sts:AssumeRoleWithWebIdentity", r.inputs.name);
                    assert.deepEqual(Object.keys(st.Condition), ["StringEquals"], r.inputs.name);
                    const keys = Object.keys(st.Condition.StringEquals).sort();
                    assert.equal(keys.length, 2, r.inputs.name);
                    assert.ok(keys[0].endsWith(":aud") && keys[1].endsWith(":sub"), r.inputs.name);
                    assert.ok(!JSON.stringify(st.Condition).includes("*"), `${r.inputs.name}: wildcard`);
                }
            }
        });

        it("dev's deploy role admits dev's Deployments runs (every operation) and GitHub environment dev, nothing else", () => {
            const t = role(nonprod, "platform-dev-deploy").trust;
            assert.deepEqual(subjects(t, PULUMI_ISSUER_HOST), ["preview", "update", "refresh", "destroy", "detect-drift", "remediate-drift"].map((op) => sub("dev", op)));
            assert.deepEqual(subjects(t, GITHUB_ISSUER_HOST), ["repo:acme/platform:environment:dev"]);
            const aud = t.Statement.find((s) => s.Sid === "PulumiDeployments")!.Condition.StringEquals[`${PULUMI_ISSUER_HOST}:aud`];
            assert.equal(aud, ORG);
        });

        for (const [stack, run] of [["staging", () => nonprod], ["prod", () => prod]] as const) {
            it(`${stack}: previews (Deployments and pull requests) get only the read-only role; the deploy role trusts only the protected environment`, () => {
                const read = role(run(), `platform-${stack}-preview`).trust;
                assert.deepEqual(subjects(read, PULUMI_ISSUER_HOST), ["preview", "refresh", "detect-drift"].map((op) => sub(stack, op)));
                assert.deepEqual(subjects(read, GITHUB_ISSUER_HOST), [`repo:acme/platform:environment:${stack}-preview`]);
                const write = role(run(), `platform-${stack}-deploy`).trust;
                assert.deepEqual(subjects(write, PULUMI_ISSUER_HOST), [], "no Pulumi Deployments run (a PR preview included) can get write credentials");
                assert.deepEqual(subjects(write, GITHUB_ISSUER_HOST), [`repo:acme/platform:environment:${stack}`]);
            });
        }

        it("prod's roles live in the prod account and trust nothing but prod", () => {
            const roles = of(prod, "aws:iam/role:Role");
            assert.deepEqual(roles.map((r) => r.inputs.name).sort(), ["platform-prod-deploy", "platform-prod-preview"]);
            for (const r of roles) {
                const all = [...subjects(JSON.parse(r.inputs.assumeRolePolicy), PULUMI_ISSUER_HOST), ...subjects(JSON.parse(r.inputs.assumeRolePolicy), GITHUB_ISSUER_HOST)];
                for (const s of all) assert.ok(/:stack:prod:operation:|:environment:prod(-preview)?$/.test(s), `${r.inputs.name} trusts ${s}`);
            }
            assert.ok(!of(nonprod, "aws:iam/role:Role").some((r) => /prod/.test(r.inputs.assumeRolePolicy)), "no non-prod role mentions prod");
        });

        it("the preview role reads the control plane but is denied secrets and data", () => {
            const policies = of(nonprod, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("staging-read-no-data"));
            const deny = JSON.parse(policies[0].inputs.policy).Statement[0];
            assert.equal(deny.Effect, "Deny");
            for (const a of ["secretsmanager:GetSecretValue", "kms:Decrypt", "s3:GetObject", "ssm:GetParameter"]) assert.ok(deny.Action.includes(a), a);
            const attached = of(nonprod, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((p) => p.name.includes("staging-read"));
            assert.deepEqual(attached.map((p) => p.inputs.policyArn), ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        });
    });

    it("no access keys anywhere: no IAM users or keys, every role principal is a web identity", () => {
        for (const r of [...nonprod.resources, ...prod.resources]) {
            assert.ok(!/aws:iam\/(user|accessKey|userPolicy)/.test(r.type), r.type);
            assert.ok(!/accessKey|secretKey|AWS_SECRET_ACCESS_KEY/i.test(JSON.stringify(r.inputs)), `${r.type} ${r.name}`);
        }
        for (const r of [...of(nonprod, "aws:iam/role:Role"), ...of(prod, "aws:iam/role:Role")]) {
            for (const st of JSON.parse(r.inputs.assumeRolePolicy).Statement as Statement[]) assert.deepEqual(Object.keys(st.Principal), ["Federated"]);
        }
    });
});
