/** Rules about the stack as a whole: its name (and the physical names it produces), its region, its tags. */
import { SERVERLESS_REPOSITORY_REGIONS } from "../catalog";
import { ConfigIssue, configPath } from "../errors";
import { namingIssues } from "../naming";
import { PROGRAM_STACK_NAME, PROGRAM_STACK_NAME_ALLOWED } from "../schema";
import { secretLikeValue } from "../secrets";
import type { Settings } from "../settings";
import { anyInvalid, RuleContext } from "./context";

/** The stack name and the physical names built from it; `aws:region` agreeing with `platform:region`. */
/** What the project name may be: it prefixes S3 bucket and ECR repository names (lowercase alphabets). */
export const PROJECT_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

export function stackRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    // The stack name prefixes physical names (RDS identifiers, ALB names), so it must fit their rules.
    const stackNameOk = PROGRAM_STACK_NAME.test(ctx.stack);
    if (!stackNameOk) {
        issues.push({
            key: "(stack name)",
            value: ctx.stack,
            allowed: PROGRAM_STACK_NAME_ALLOWED,
            fix: "pulumi stack rename <new-name> (or create the stack under such a name)",
        });
    }
    // The project name prefixes names with the strictest alphabets: S3 buckets (`<project>-<stack>-uploads-…`) and ECR
    // repositories (`<project>/<stack>/<image>`, which the registry's replication filter also matches) take lowercase
    // letters, digits and single hyphens only; Pulumi accepts more (upper case, `_`, `.`).
    if (!PROJECT_NAME.test(ctx.project)) {
        issues.push({
            key: "(project name)",
            value: ctx.project,
            allowed: "lowercase letters, digits and single hyphens, starting with a letter and not ending in a hyphen (it prefixes S3 bucket and ECR repository names)",
            fix: "rename the project in Pulumi.yaml (name:) and move the stacks: pulumi stack rename <org>/<new-project>/<stack>",
        });
    }
    // Every physical name must fit its AWS limit (config/naming.ts).
    issues.push(...namingIssues(ctx.project, stackNameOk ? ctx.stack : "x", s.services.map((svc) => svc.name), s.workers.map((w) => w.name)).filter((i) => stackNameOk || i.key !== "(stack name)"));

    // The database password's rotation function comes from the Serverless Application Repository.
    if (!SERVERLESS_REPOSITORY_REGIONS.includes(s.region) && !anyInvalid(ctx, "region")) {
        issues.push({
            key: "region",
            value: s.region,
            allowed:
                "a region where the Serverless Application Repository runs (the database password's rotation function is deployed from it): " +
                SERVERLESS_REPOSITORY_REGIONS.join(", "),
            fix: `pulumi config set region '<one of those regions>' --stack ${ctx.stack}`,
        });
    }

    if (ctx.awsRegion !== undefined && ctx.awsRegion !== s.region && !anyInvalid(ctx, "region")) {
        issues.push({
            key: "aws:region",
            value: ctx.awsRegion,
            allowed: `unset, or equal to platform:region (${s.region}); the program's provider uses platform:region`,
            fix: `pulumi config rm aws:region --stack ${ctx.stack}, and set platform:region instead`,
        });
    }
    return issues;
}

/** Tags are copied onto every resource and shown in the console: no secrets in them. */
export function tagRules(_s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const [name, value] of Object.entries(ctx.raw.tags ?? {})) {
        const kind = secretLikeValue(value);
        if (kind) issues.push({ key: configPath(["tags", name]), value: "(hidden)", allowed: `no secrets in tags (this looks like ${kind})`, fix: `remove the value from Pulumi.${ctx.stack}.yaml and rotate the secret` });
    }
    return issues;
}
