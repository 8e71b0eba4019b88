/**
 * `npm run --silent ci-context -- <stack> [write|read]`: what a GitHub Actions job needs to reach one platform stack,
 * read from the repository instead of repeated in GitHub settings: the AWS account id (deploy/'s
 * `accounts`, through the stack's `account`), the region (`platform:region` of Pulumi.<stack>.yaml),
 * the Pulumi organization, the Pulumi team whose token the job uses (the stack's `writers` to write,
 * its preview team to read), the session length of the role it assumes (`session-seconds`: deploy/'s
 * `sessionHours` for the deploy role, an hour for the preview role; also the Pulumi token's), and
 * whether Pulumi Deployments deploys the stack on push (then a workflow's `up` on push skips).
 * Prints `key=value` lines for $GITHUB_OUTPUT. Exit 1 when deploy/ config does not validate.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { DEPLOY_PROJECT, resolveDeploySettings } from "./config";
import { deployConfig, deployStacks } from "./offline";
import { readRepoFacts, REPO_ROOT } from "./repo";

export function ciContext(stack: string, access: "write" | "read" = "write"): Record<string, string> {
    const facts = readRepoFacts();
    const raw = (account: string) =>
        Object.fromEntries(Object.entries(deployConfig(account)).filter(([k]) => k.startsWith(`${DEPLOY_PROJECT}:`)).map(([k, v]) => {
            const key = k.slice(DEPLOY_PROJECT.length + 1);
            try {
                return [key, JSON.parse(v)];
            } catch {
                return [key, v];
            }
        }));
    for (const account of deployStacks()) {
        const settings = resolveDeploySettings(raw(account), account, facts);
        const s = settings.stacks.find((x) => x.name === stack);
        if (!s) continue;
        const stackFile = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
        const region = String(stackFile.config?.[`${facts.project}:region`] ?? "us-east-1");
        return {
            "aws-account-id": s.accountId,
            "aws-region": region,
            "pulumi-org": settings.organization,
            "pulumi-team": access === "write" ? s.writers : s.previewTeam,
            "session-seconds": String(settings.sessionSeconds[access]),
            project: facts.project,
            // Pulumi Deployments already runs `pulumi up` on every push: the workflow's `up` defers to it.
            "push-to-deploy": String(s.pushToDeploy),
        };
    }
    throw new Error(`no stack of deploy/ (${deployStacks().join(", ")}) manages platform stack "${stack}"`);
}

if (require.main === module) {
    try {
        const [stack, access = "write"] = process.argv.slice(2);
        if (!stack || (access !== "write" && access !== "read")) throw new Error("usage: npm run --silent ci-context -- <stack> [write|read]");
        const out = ciContext(stack, access);
        process.stdout.write(Object.entries(out).map(([k, v]) => `${k}=${v}\n`).join(""));
    } catch (e) {
        process.stderr.write(`ci-context: ${(e as Error).message}\n`);
        process.exit(1);
    }
}
