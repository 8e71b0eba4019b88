/** Domain rules: a complete domain (name + exactly one certificate source), or HTTP only where the tier allows it. */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { anyInvalid, refuse, RuleContext } from "./context";

export function domainRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    // What the stack file said: Settings hold a domain only once it is complete.
    const d = ctx.raw.domain;
    if (d?.name || d?.hostedZoneId || d?.certificateArn) {
        if (!d.name) issues.push(...refuse(ctx, "domain.name", undefined, "a host name when any domain field is set", "api.example.com"));
        if (Boolean(d.hostedZoneId) === Boolean(d.certificateArn)) {
            issues.push(
                ...refuse(ctx, "domain.hostedZoneId", d.hostedZoneId, "exactly one of domain.hostedZoneId (issue a certificate) or domain.certificateArn (bring one)", "Z0123456789ABCDEFGHIJ", [
                    "domain.hostedZoneId",
                    "domain.certificateArn",
                ]),
            );
        }
        const certRegion = d.certificateArn?.split(":")[3];
        if (certRegion && certRegion !== s.region) {
            issues.push(...refuse(ctx, "domain.certificateArn", d.certificateArn, `a certificate in ${s.region}, the load balancer's region`, `arn:aws:acm:${s.region}:<account>:certificate/<id>`, ["domain.certificateArn", "region"]));
        }
    } else if (!s.compute.allowHttpWithoutDomain && s.services.some((svc) => svc.expose === "public") && !anyInvalid(ctx, "domain", "compute.allowHttpWithoutDomain")) {
        issues.push(...refuse(ctx, "domain.name", undefined, `a domain for HTTPS: ${s.tier} serves public services over HTTPS only`, "api.example.com"));
    }
    return issues;
}
