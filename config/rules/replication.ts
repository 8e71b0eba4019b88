/**
 * A primary's replication to its recovery stack (README "Disaster recovery", `platform:replicateTo`):
 * the uploads bucket and the images go to another region, to a stack that is a recovery stack itself.
 * Checked before any resource exists; S3 and ECR would otherwise refuse half-way through `pulumi up`.
 */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { anyInvalid, check, RuleContext } from "./context";
import { isPassiveRecovery } from "./recovery";

export function replicationRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const r = s.replicateTo;
    if (r === undefined) return [];
    return [
        ...check(ctx, r.stack !== "", "replicateTo.stack", "(not set)", "the recovery stack's name (same project and account): its uploads bucket's name is derived from it", "prod-dr"),
        ...check(ctx, r.region !== "", "replicateTo.region", "(not set)", "the recovery stack's region (its platform:region)", "us-west-2"),
        ...check(ctx, r.stack === "" || r.stack !== s.stack, "replicateTo.stack", r.stack, `a stack other than this one (${s.stack}): a bucket cannot replicate to itself`, `${s.stack}-dr`),
        ...check(
            ctx,
            r.region === "" || r.region !== s.region,
            "replicateTo.region",
            r.region,
            `a region other than this stack's (${s.region}): a copy in the same region fails with it`,
            s.region === "us-west-2" ? "us-east-2" : "us-west-2",
            ["replicateTo.region", "region"],
        ),
        // A passive recovery stack is the destination. An active one serves (its database is the primary now):
        // it may replicate back to the other side, which is the failback runbook's step.
        ...(!isPassiveRecovery(s) || anyInvalid(ctx, "replicateTo", "recovery")
            ? []
            : [
                  {
                      key: "replicateTo",
                      value: r,
                      allowed: "not set on a passive recovery stack (recovery.role is set, recovery.active false): it receives its primary's uploads and images; an active one may replicate back (the failback runbook, README \"Disaster recovery\")",
                      fix: `pulumi config rm replicateTo --stack ${ctx.stack}`,
                  },
              ]),
    ];
}
