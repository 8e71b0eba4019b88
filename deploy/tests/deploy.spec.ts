import * as assert from "node:assert/strict";
import { DeployRun, runDeploy } from "../offline";
import * as fs from "node:fs";
import * as path from "node:path";
import { DATA_READING_TYPES, DEPLOYMENT_OPERATIONS, DRIFT_READS, PULUMI_ISSUER_HOST, GITHUB_ISSUER_HOST, OPERATIONS, trustedSubjects } from "../trust";
import { evaluate, PolicyStatement } from "./iam";
import { REPO_ROOT } from "../repo";

/**
 * deploy/ under mocks, for both AWS accounts as committed (deploy/Pulumi.nonprod.yaml, Pulumi.prod.yaml):
 * the Deployments settings per platform stack and the IAM trust that gives each run its credentials.
 * Expected values come from issue 12 and seeds 002/003: dev deploys on push, staging and prod never;
 * previews on every pull request (in .github/workflows/preview.yml: no Deployments role that can read
 * secrets runs unreviewed code); no deployment without `npm ci` and the offline suite; the CLI pinned;
 * refresh and drift detection with a role that reads only its own stack's secrets; sessions long
 * enough for a first prod deploy; prod's roles in the prod account, trusting only prod; no access keys.
 */
const ORG = "acme"; // the committed stack files' organization
const NONPROD = "222222222222";
const PROD = "333333333333";
const sub = (stack: string, op: string) => `pulumi:deploy:org:${ORG}:project:platform:stack:${stack}:operation:${op}:scope:write`;

const secretArn = (region: string, account: string, name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;

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
            it(`triggers: push-to-deploy ${push ? "on" : "off"}; no pull-request previews in Deployments (its role reads secrets; preview.yml previews every PR)`, () => {
                assert.equal(s().vcs.deployCommits, push);
                assert.equal(s().vcs.previewPullRequests, false);
            });
            it("pre-run commands install from the lockfile, then run the offline tests, before Pulumi starts", () => {
                const cmds: string[] = s().operationContext.preRunCommands;
                assert.match(cmds[0], /^npm ci\b/);
                assert.equal(cmds[1], "npm test");
                assert.equal(s().operationContext.options.skipInstallDependencies, true, "no second, lockfile-less install");
            });
            it("the CLI is pinned by the executor image to an exact version >= 3.187", () => {
                const m = /^pulumi\/pulumi-nodejs-24:(\d+)\.(\d+)\.(\d+)$/.exec(s().executorContext.executorImage);
                assert.ok(m, s().executorContext.executorImage);
                assert.ok(Number(m![1]) > 3 || (Number(m![1]) === 3 && Number(m![2]) >= 187));
            });
            it("path filters: the program, the lockfile and its own stack file, not another stack's", () => {
                const paths: string[] = s().vcs.paths;
                for (const p of ["index.ts", "config/**", "components/**", "package-lock.json", `Pulumi.${stack}.yaml`]) assert.ok(paths.includes(p), p);
                for (const other of ["dev", "staging", "prod"].filter((o) => o !== stack)) assert.ok(!paths.includes(`Pulumi.${other}.yaml`), other);
            });
            it(`OIDC: the stack's ${push ? "deploy" : "drift"} role in its own account, with a session name and the role's whole session`, () => {
                const aws = s().operationContext.oidc.aws;
                const id = account === "prod" ? PROD : NONPROD;
                const roleName = `platform-${stack}-${push ? "deploy" : "drift"}`;
                assert.equal(aws.roleARN, `arn:aws:iam::${id}:role/${roleName}`);
                assert.equal(aws.sessionName, `pulumi-deployments-${stack}`);
                // "XhYmZs" (pulumiservice 1.3.0 AWSOIDCConfiguration.duration), equal to the role's MaxSessionDuration.
                const d = /^(\d+)h(\d+)m(\d+)s$/.exec(aws.duration);
                assert.ok(d, aws.duration);
                const seconds = Number(d![1]) * 3600 + Number(d![2]) * 60 + Number(d![3]);
                assert.equal(seconds, role(account === "prod" ? prod : nonprod, roleName).inputs.maxSessionDuration);
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

        it("dev's deploy role admits dev's Deployments runs (every operation but preview) and GitHub environment dev, nothing else", () => {
            const t = role(nonprod, "platform-dev-deploy").trust;
            assert.deepEqual(subjects(t, PULUMI_ISSUER_HOST), ["update", "refresh", "destroy", "detect-drift", "remediate-drift"].map((op) => sub("dev", op)));
            assert.deepEqual(subjects(t, GITHUB_ISSUER_HOST), ["repo:acme/platform:environment:dev"]);
            const aud = t.Statement.find((s) => s.Sid === "PulumiDeployments")!.Condition.StringEquals[`${PULUMI_ISSUER_HOST}:aud`];
            assert.equal(aud, ORG);
        });

        for (const [stack, run] of [["staging", () => nonprod], ["prod", () => prod]] as const) {
            it(`${stack}: only its own refresh and drift runs reach the drift role; the deploy and preview roles trust only their GitHub environments`, () => {
                const drift = role(run(), `platform-${stack}-drift`).trust;
                assert.deepEqual(subjects(drift, PULUMI_ISSUER_HOST), ["refresh", "detect-drift"].map((op) => sub(stack, op)));
                assert.deepEqual(subjects(drift, GITHUB_ISSUER_HOST), [], "no workflow job gets the drift role");
                const aud = drift.Statement.find((s) => s.Sid === "PulumiDeployments")!.Condition.StringEquals[`${PULUMI_ISSUER_HOST}:aud`];
                assert.equal(aud, ORG);
                const read = role(run(), `platform-${stack}-preview`).trust;
                assert.deepEqual(subjects(read, PULUMI_ISSUER_HOST), [], "Deployments previews no pull request of this stack");
                assert.deepEqual(subjects(read, GITHUB_ISSUER_HOST), [`repo:acme/platform:environment:${stack}-preview`]);
                const write = role(run(), `platform-${stack}-deploy`).trust;
                assert.deepEqual(subjects(write, PULUMI_ISSUER_HOST), [], "no Pulumi Deployments run (a PR preview included) can get write credentials");
                assert.deepEqual(subjects(write, GITHUB_ISSUER_HOST), [`repo:acme/platform:environment:${stack}`]);
            });
        }

        it("no role that can read secrets (deploy, drift) admits a preview subject: a pull-request preview never reaches them", () => {
            for (const r of [...of(nonprod, "aws:iam/role:Role"), ...of(prod, "aws:iam/role:Role")].filter((x) => /-(deploy|drift)$/.test(x.inputs.name))) {
                const subs = subjects(JSON.parse(r.inputs.assumeRolePolicy), PULUMI_ISSUER_HOST);
                assert.ok(!subs.some((x) => x.includes(":operation:preview:")), `${r.inputs.name} trusts ${subs.join(", ")}`);
                for (const x of subs) assert.ok(OPERATIONS.some((op) => x.endsWith(`:operation:${op}:scope:write`)), x);
            }
        });

        it("a drift role trusts its own stack only, even where a non-prod `trust` admits another stack's runs", () => {
            const input = { org: ORG, project: "platform", repository: "acme/platform", stack: "staging", stacks: ["staging", "dev"], deploymentOperations: DEPLOYMENT_OPERATIONS.drift };
            assert.deepEqual(trustedSubjects({ ...input, access: "drift" }), { pulumi: [sub("staging", "refresh"), sub("staging", "detect-drift")], github: [] });
            assert.deepEqual(trustedSubjects({ ...input, access: "read", deploymentOperations: ["preview"] }).pulumi, [sub("staging", "preview"), sub("dev", "preview")], "trust still widens the other roles, as configured");
        });

        it("sessions: deploy roles last 3 hours (a first prod deploy outlasts one), the read-only roles an hour", () => {
            for (const r of [...of(nonprod, "aws:iam/role:Role"), ...of(prod, "aws:iam/role:Role")]) {
                assert.equal(r.inputs.maxSessionDuration, r.inputs.name.endsWith("-deploy") ? 10800 : 3600, r.inputs.name);
            }
            const [issuer] = of(prod, "pulumiservice:index:OidcIssuer");
            assert.equal(issuer.inputs.maxExpirationSeconds, 10800, "the Pulumi token lasts as long as the deploy role's session");
        });

        it("prod's roles live in the prod account and trust nothing but prod", () => {
            const roles = of(prod, "aws:iam/role:Role");
            assert.deepEqual(roles.map((r) => r.inputs.name).sort(), ["platform-prod-deploy", "platform-prod-drift", "platform-prod-preview"]);
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
            const statements = JSON.parse(policies[0].inputs.policy).Statement as PolicyStatement[];
            const ownSecret = secretArn("us-east-1", NONPROD, "staging-data-db-credentials-1a2b3c4-AbCdEf");
            assert.equal(evaluate(statements, { action: "secretsmanager:GetSecretValue", resource: ownSecret, context: { "aws:ResourceTag/stack": "staging", "aws:ResourceTag/project": "platform" } }), "deny");
            assert.equal(evaluate(statements, { action: "kms:Decrypt", resource: `arn:aws:kms:us-east-1:${NONPROD}:key/k`, context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } }), "deny");
        });
    });

    describe("drift role: refresh reads its own stack's secrets, nothing else", () => {
        const policy = (run: () => DeployRun, stack: string) => {
            const p = of(run(), "aws:iam/rolePolicy:RolePolicy").filter((x) => x.name.endsWith(`-${stack}-drift-own-secrets`));
            assert.equal(p.length, 1);
            const attached = of(run(), "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((x) => x.name.endsWith(`-${stack}-drift-readonly`));
            assert.deepEqual(attached.map((x) => x.inputs.policyArn), ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            return JSON.parse(p[0].inputs.policy).Statement as PolicyStatement[];
        };
        const tags = (stack: string) => ({ "aws:ResourceTag/stack": stack, "aws:ResourceTag/project": "platform" });
        const getSecret = (resource: string, context: Record<string, string>) => ({ action: "secretsmanager:GetSecretValue", resource, context });

        it("staging's drift role reads staging's secrets (database credentials, cache AUTH token), never dev's", () => {
            const st = policy(() => nonprod, "staging");
            for (const name of ["staging-data-db-credentials-1a2b3c4-AbCdEf", "staging-data-cache-auth-9f8e7d6-XyZ123"]) {
                assert.equal(evaluate(st, getSecret(secretArn("us-east-1", NONPROD, name), tags("staging"))), "allow", name);
            }
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", NONPROD, "dev-data-db-credentials-1a2b3c4-AbCdEf"), tags("dev"))), "deny", "dev's secret");
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", NONPROD, "staging-data-x-1a2b3c4-AbCdEf"), tags("dev"))), "deny", "named like staging's, tagged dev's");
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", NONPROD, "staging-data-x-1a2b3c4-AbCdEf"), {})), "deny", "untagged");
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", NONPROD, "dev-other-1a2b3c4-AbCdEf"), tags("staging"))), "deny", "tagged staging, named otherwise");
        });

        it("prod's drift role reads prod's secrets, not its recovery stack's (prod-dr: same account, another region, name starting prod-)", () => {
            const st = policy(() => prod, "prod");
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", PROD, "prod-data-db-credentials-1a2b3c4-AbCdEf"), tags("prod"))), "allow");
            assert.equal(evaluate(st, getSecret(secretArn("us-west-2", PROD, "prod-dr-data-db-credentials-1a2b3c4-AbCdEf"), tags("prod-dr"))), "deny");
            assert.equal(evaluate(st, getSecret(secretArn("us-east-1", PROD, "prod-dr-data-db-credentials-1a2b3c4-AbCdEf"), tags("prod-dr"))), "deny");
        });

        it("kms:Decrypt only through Secrets Manager in the stack's region, for the stack's secrets", () => {
            const st = policy(() => prod, "prod");
            const key = `arn:aws:kms:us-east-1:${PROD}:key/1234abcd`;
            const via = (service: string, secret: string) => ({ "kms:ViaService": service, "kms:EncryptionContext:SecretARN": secretArn("us-east-1", PROD, secret) });
            assert.equal(evaluate(st, { action: "kms:Decrypt", resource: key, context: via("secretsmanager.us-east-1.amazonaws.com", "prod-data-db-credentials-1a2b3c4-AbCdEf") }), "allow");
            assert.equal(evaluate(st, { action: "kms:Decrypt", resource: key, context: {} }), "deny", "direct Decrypt");
            assert.equal(evaluate(st, { action: "kms:Decrypt", resource: key, context: via("s3.us-east-1.amazonaws.com", "prod-data-db-credentials-1a2b3c4-AbCdEf") }), "deny", "through S3");
            assert.equal(evaluate(st, { action: "kms:Decrypt", resource: key, context: via("secretsmanager.us-west-2.amazonaws.com", "prod-data-db-credentials-1a2b3c4-AbCdEf") }), "deny", "another region");
            assert.notEqual(evaluate(st, { action: "kms:Decrypt", resource: key, context: via("secretsmanager.us-east-1.amazonaws.com", "dev-data-db-credentials-1a2b3c4-AbCdEf") }), "allow", "another stack's secret");
        });

        it("every other data read stays denied (parameters, objects, items, messages, log events)", () => {
            const st = policy(() => prod, "prod");
            for (const action of ["ssm:GetParameter", "ssm:GetParametersByPath", "s3:GetObject", "dynamodb:GetItem", "sqs:ReceiveMessage", "logs:GetLogEvents", "secretsmanager:BatchGetSecretValue"]) {
                assert.equal(evaluate(st, { action, resource: "*", context: tags("prod") }), "deny", action);
            }
        });

        it("what refresh reads is covered: every data-reading resource type the program constructs needs only the drift role's reads", () => {
            const used = new Set<string>();
            const walk = (dir: string): void => {
                for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                    if (e.isDirectory()) walk(path.join(dir, e.name));
                    else if (e.name.endsWith(".ts")) for (const m of fs.readFileSync(path.join(dir, e.name), "utf8").matchAll(/new aws\.(\w+)\.(\w+)\(/g)) used.add(`${m[1]}.${m[2]}`);
                }
            };
            walk(path.join(REPO_ROOT, "components"));
            assert.ok(used.has("secretsmanager.SecretVersion"), "the scan sees the program's SecretVersions");
            for (const type of [...used].filter((t) => t in DATA_READING_TYPES)) {
                for (const action of DATA_READING_TYPES[type]) assert.ok((DRIFT_READS as readonly string[]).includes(action), `aws.${type}'s Read needs ${action}: extend driftPolicy (deploy/trust.ts)`);
            }
        });

        it("dev (push-to-deploy: Deployments refreshes with its deploy role) has no drift role", () => {
            assert.deepEqual(of(nonprod, "aws:iam/role:Role").map((r) => r.inputs.name).sort(), ["platform-dev-deploy", "platform-dev-preview", "platform-staging-deploy", "platform-staging-drift", "platform-staging-preview"]);
        });
    });

    describe("variations", () => {
        const committedStacks = () => ({
            dev: { account: "nonprod", writers: "developers" },
            staging: { account: "nonprod", writers: "tech-leads", readers: ["developers"] },
            prod: { account: "prod", writers: "prod-approvers", readers: ["developers", "tech-leads"] },
        });
        let previews: DeployRun;
        let existing: DeployRun;
        let longer: DeployRun;
        before(async function () {
            this.timeout(60_000);
            const stacks = committedStacks();
            (stacks.staging as Record<string, unknown>).previewPullRequests = true;
            previews = await runDeploy("nonprod", { stacks });
            existing = await runDeploy("nonprod", { oidcProviders: { github: "existing" } });
            longer = await runDeploy("prod", { sessionHours: 4 });
            for (const r of [previews, existing, longer]) if (r.error) throw r.error;
        });

        it("a stack that previews pull requests in Deployments gets the preview role there, trusting only its own preview runs", () => {
            const s = settingsFor(previews, "staging");
            assert.equal(s.vcs.previewPullRequests, true);
            assert.equal(s.operationContext.oidc.aws.roleARN, `arn:aws:iam::${NONPROD}:role/platform-staging-preview`);
            const t = role(previews, "platform-staging-preview").trust;
            assert.deepEqual(subjects(t, PULUMI_ISSUER_HOST), [sub("staging", "preview")]);
            assert.deepEqual(subjects(role(previews, "platform-staging-deploy").trust, PULUMI_ISSUER_HOST), []);
            assert.ok(!of(previews, "aws:iam/role:Role").some((r) => r.inputs.name === "platform-staging-drift"), "no drift role: nothing refreshes staging in Deployments");
        });

        it("an existing GitHub OIDC provider is referenced by its fixed ARN, not created (EntityAlreadyExists)", () => {
            const created = of(existing, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.inputs.url);
            assert.deepEqual(created, [`https://${PULUMI_ISSUER_HOST}`]);
            const arn = `arn:aws:iam::${NONPROD}:oidc-provider/${GITHUB_ISSUER_HOST}`;
            assert.deepEqual(existing.invokes.map((i) => [i.token, i.inputs.arn]), [["aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider", arn]]);
            assert.match(String(existing.invokes[0].provider), /::pulumi:providers:aws::nonprod-aws::/, "looked up with the account's provider (default providers are disabled)");
            const st = role(existing, "platform-dev-deploy").trust.Statement.find((x) => x.Sid === "GitHubActions")!;
            assert.equal(st.Principal.Federated, arn);
            assert.deepEqual(existing.outputs.oidcProviders, { pulumi: "created", github: `existing ${arn}` });
        });

        it("sessionHours sets the deploy role, the GitHub issuer's token lifetime and (for a push-to-deploy stack) the Deployments duration", () => {
            assert.equal(role(longer, "platform-prod-deploy").inputs.maxSessionDuration, 14400);
            assert.equal(role(longer, "platform-prod-drift").inputs.maxSessionDuration, 3600);
            assert.equal(of(longer, "pulumiservice:index:OidcIssuer")[0].inputs.maxExpirationSeconds, 14400);
            assert.equal(settingsFor(longer, "prod").operationContext.oidc.aws.duration, "1h0m0s", "prod's Deployments role is the drift role");
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
