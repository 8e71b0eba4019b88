/**
 * Domain rules: a complete domain (name + exactly one certificate source). Without one, only dev: the
 * site then runs on CloudFront's default certificate and the load balancer on HTTP, which the policy
 * pack waives in dev alone (policy/waivers.ts), so config refuses it elsewhere before anything exists.
 */
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
    } else if (s.tier !== "dev" && !anyInvalid(ctx, "domain")) {
        // With or without public services: the site itself needs its own certificate outside dev.
        const publicServices = s.services.some((svc) => svc.expose === "public");
        issues.push(
            ...refuse(
                ctx,
                "domain.name",
                undefined,
                `a domain for HTTPS: ${s.tier} serves the site with its own certificate (CloudFront's default one, on https://<id>.cloudfront.net, allows TLSv1 and is dev-only: FSBP CloudFront.7 and CloudFront.15 in the policy pack)${publicServices ? ` and public services over HTTPS only` : ""}`,
                "api.example.com",
            ),
        );
    } else if (!s.compute.allowHttpWithoutDomain && s.services.some((svc) => svc.expose === "public") && !anyInvalid(ctx, "domain", "compute.allowHttpWithoutDomain")) {
        issues.push(...refuse(ctx, "domain.name", undefined, `a domain for HTTPS: ${s.tier} serves public services over HTTPS only`, "api.example.com"));
    }
    // The policy pack waives HTTP to the load balancer (ELB.1, ELB.18, CloudFront.9) in dev only; prod refuses it in PROD_RULES.
    if (s.tier === "staging" && s.compute.allowHttpWithoutDomain) {
        issues.push(...refuse(ctx, "compute.allowHttpWithoutDomain", true, "false in staging (HTTPS only: plain HTTP to the load balancer is allowed in dev alone)", "false"));
    }
    return issues;
}
