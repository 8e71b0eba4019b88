/**
 * Moving the site's name to a recovery stack (README "Failover routing"): the site's records and the
 * move's TXT record live in a Route 53 hosted zone; the primary keeps a health check (its alarm is how
 * the outage is detected); the secondary side is a recovery stack's (it reads its primary's site name
 * and distribution from the primary's outputs).
 */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { refuse, RuleContext } from "./context";
import { isPassiveRecovery } from "./recovery";

export function failoverRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const role = s.edge.failover;
    if (role === "none") return [];
    const issues: ConfigIssue[] = [];
    const add = (allowed: string, example: string, deps: string[]) => issues.push(...refuse(ctx, "edge.failover", role, allowed, example, deps));

    const domain = ctx.raw.domain;
    if (!domain?.name || !domain.hostedZoneId) {
        add("none unless domain.name and domain.hostedZoneId are set: the site's alias records and the alias move's TXT record are written in that Route 53 zone", "none", ["edge.failover", "domain"]);
    }
    const recovery = s.recovery !== undefined;
    if (role === "primary") {
        // A promoted recovery stack (active) is a primary: after a failback prod keeps its recovery block (README "Disaster recovery").
        if (isPassiveRecovery(s)) {
            add(`secondary or none on a passive recovery stack (recovery.role ${s.recovery!.role}, active false): it takes over its primary's site when the primary fails; primary once active`, "secondary", ["edge.failover", "recovery"]);
        }
        const healthRouted = s.services.some((svc) => svc.expose === "public" && svc.paths.includes("/health"));
        if (!s.edge.healthCheck || !healthRouted) {
            add("none unless edge.healthCheck is true and a public service routes /health: its alarm (edge-health-check, us-east-1) is how a failed primary is detected (README, Runbook: region failover, step 1)", "none", ["edge.failover", "edge.healthCheck", "services"]);
        }
    }
    if (role === "secondary" && !recovery) {
        add("primary or none: secondary is a recovery stack's role (recovery.role recovery), which reads its primary's site name and distribution from the primary's outputs", "primary", ["edge.failover", "recovery"]);
    }
    return issues;
}
