/**
 * `npm run plan:deploy -- <account>`: what deploy/ would create for one AWS account, offline (mocked
 * providers): the IAM OIDC providers (or the existing ones it references, under Outputs) and roles with
 * their session length and the subjects each role trusts, and per platform
 * stack the Pulumi Deployments settings, drift schedule, team permissions and webhook.
 * Exit codes: 0 printed, 1 invalid config or program error, 2 usage/unknown stack.
 */
import { ConfigError } from "../config/errors";
import { buildTree, registeredResources, renderTree } from "../offline/tree";
import { deployStacks, runDeploy } from "./offline";

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run plan:deploy -- <account>   (deploy stacks: ${deployStacks().join(", ")})\n`);
    process.exit(2);
}

const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v));

/** One line of detail per resource type deploy/ creates. */
function details(type: string, i: Record<string, any>): string {
    switch (type) {
        case "pulumi:providers:aws":
            return `allowedAccountIds=${list(JSON.parse(i.allowedAccountIds ?? "[]"))}`;
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return `${i.url} audiences=${list(i.clientIdLists)}`;
        case "aws:iam/role:Role": {
            const trust = JSON.parse(i.assumeRolePolicy) as { Statement: Array<{ Sid: string; Condition: { StringEquals: Record<string, unknown> } }> };
            const subs = trust.Statement.flatMap((s) => Object.entries(s.Condition.StringEquals).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => (Array.isArray(v) ? v : [v])));
            return `${i.name} maxSession=${Number(i.maxSessionDuration) / 3600}h trusts:\n${subs.map((s) => `        ${s}`).join("\n")}`;
        }
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return String(i.policyArn);
        case "pulumiservice:index:DeploymentSettings":
            return `push-to-deploy=${i.vcs?.deployCommits} pr-previews=${i.vcs?.previewPullRequests} image=${i.executorContext?.executorImage} role=${i.operationContext?.oidc?.aws?.roleARN} session=${i.operationContext?.oidc?.aws?.duration} pre-run=[${list(i.operationContext?.preRunCommands)}] paths=[${list(i.vcs?.paths)}]`;
        case "pulumiservice:index:DriftSchedule":
            return `cron="${i.scheduleCron}" autoRemediate=${i.autoRemediate}`;
        case "pulumiservice:index:TeamStackPermission":
            return `team=${i.team} permission=${({ 101: "read", 102: "edit", 103: "admin" } as Record<number, string>)[i.permission] ?? i.permission}`;
        case "pulumiservice:index:Webhook":
            return `format=${i.format} events=${list(i.filters)}`;
        case "pulumiservice:index:PolicyGroup":
            return `${i.name} mode=${i.mode} packs=${(i.policyPacks ?? []).map((p: any) => p.name + (p.versionTag ? `@${p.versionTag}` : "")).join(", ")} stacks=${(i.stacks ?? []).map((s: any) => s.name).join(", ")}`;
        case "pulumiservice:index:OidcIssuer":
            return `${i.url} policies:\n${(i.policies ?? []).map((p: any) => `        ${p.rules.sub} → team ${p.teamName}`).join("\n")}`;
        default:
            return "";
    }
}

async function main(): Promise<void> {
    const [stack, ...rest] = process.argv.slice(2);
    if (!stack || rest.length > 0) usage("plan:deploy: name exactly one stack of deploy/");
    if (!deployStacks().includes(stack)) usage(`plan:deploy: unknown stack "${stack}" (no deploy/Pulumi.${stack}.yaml)`);
    const run = await runDeploy(stack);
    if (run.error) {
        process.stderr.write(`${ConfigError.isInstance(run.error) ? run.error.message : `program failed: ${run.error.message}`}\n`);
        process.exit(1);
    }
    const inputs = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
    const tree = buildTree(registeredResources(), (type, name) => inputs.get(`${type}::${name}`) ?? {});
    // offline/tree.ts knows the platform's types; deploy/'s details are added to its lines here.
    const lines = renderTree(tree).map((line) => {
        const m = /^(.*?)(\S+)  \(([^)]+)\)(?:  .*)?$/.exec(line);
        const extra = m ? details(m[3], inputs.get(`${m[3]}::${m[2]}`) ?? {}) : "";
        return extra ? `${line}  ${extra}` : line;
    });
    const out = [
        `OFFLINE PLAN  deploy stack=${stack} (AWS account ${run.outputs.account})`,
        "Providers are mocked: no AWS account or Pulumi Cloud was contacted. This is what deploy/ registers for",
        "this stack's config; run `pulumi preview` in deploy/ with the account's credentials for the real diff.",
        "",
        `Resources (${run.resources.filter((r) => r.custom).length} resources):`,
        ...lines.map((l) => `  ${l}`),
        "",
        "Outputs:",
        ...Object.entries(run.outputs).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
}

main().then(
    () => process.exit(0),
    (e: Error) => {
        process.stderr.write(`plan:deploy: ${e.message}\n`);
        process.exit(1);
    },
);
