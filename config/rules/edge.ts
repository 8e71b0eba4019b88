/**
 * Edge rules (platform:edge): CloudFront takes certificates from us-east-1 only; the services' public
 * paths become cache behaviours, so none may swallow the frontend and they must fit the distribution's
 * behaviour quota; a Route 53 health check needs a public service answering `/health` (otherwise the
 * frontend's SPA routing would answer it with index.html and 200); a stack without public services
 * gets none. `edge.uploads.path` must not overlap a public service's path (one behaviour per request).
 */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { pathPatternsOverlap } from "../uploads";
import { anyInvalid, refuse, RuleContext } from "./context";

/** CloudFront's region for viewer certificates (ACM certificates for CloudFront must be in us-east-1). */
export const CLOUDFRONT_CERT_REGION = "us-east-1";

/**
 * Cache behaviours per distribution: CloudFront quota, default 25 (CloudFront Developer Guide, "Quotas":
 * "Cache behaviors per distribution", adjustable). The default behaviour (the frontend) is not counted.
 */
export const MAX_CACHE_BEHAVIORS = 25;

/** Path patterns that would take the frontend's requests away from it (the default behaviour serves `/` and `/index.html`). */
export const FRONTEND_PATTERNS: readonly string[] = ["/", "/*", "/index.html"];

/** The region of an ARN (its fourth field). */
export function arnRegion(arn: string): string | undefined {
    return arn.split(":")[3];
}

export function edgeRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (key: string, value: unknown, allowed: string, example: string, deps: string[] = [key]) => issues.push(...refuse(ctx, key, value, allowed, example, deps));
    const rm = (key: string, value: unknown, allowed: string) => {
        if (!anyInvalid(ctx, key)) issues.push({ key, value, allowed, fix: `remove it (pulumi config rm --path '${key}' --stack ${ctx.stack})` });
    };

    // Certificates: CloudFront reads them from us-east-1 only, whatever the stack's region.
    const edgeCert = s.edge.certificateArn;
    const rawDomain = ctx.raw.domain;
    if (edgeCert !== undefined) {
        const region = arnRegion(edgeCert);
        if (region !== CLOUDFRONT_CERT_REGION) {
            add("edge.certificateArn", edgeCert, `an ACM certificate in ${CLOUDFRONT_CERT_REGION} (CloudFront uses no other region's certificates)`, `arn:aws:acm:${CLOUDFRONT_CERT_REGION}:<account>:certificate/<id>`);
        } else if (!rawDomain?.name) {
            rm("edge.certificateArn", edgeCert, "only with a domain (platform:domain.name is the host the certificate serves)");
        } else if (rawDomain.hostedZoneId) {
            rm("edge.certificateArn", edgeCert, "nothing while domain.hostedZoneId is set: the edge certificate is then issued and validated in that zone");
        }
    } else if (rawDomain?.certificateArn && !rawDomain.hostedZoneId && s.region !== CLOUDFRONT_CERT_REGION && !anyInvalid(ctx, "domain", "region")) {
        add("edge.certificateArn", undefined, `an ACM certificate in ${CLOUDFRONT_CERT_REGION} for ${rawDomain.name ?? "domain.name"}: domain.certificateArn is in ${s.region} (the load balancer's), and CloudFront reads certificates from ${CLOUDFRONT_CERT_REGION} only`, `arn:aws:acm:${CLOUDFRONT_CERT_REGION}:<account>:certificate/<id>`);
    }

    // Behaviours: one per public path of a public service, and one for the uploads.
    if (anyInvalid(ctx, "services")) return issues;
    const uploads = anyInvalid(ctx, "edge.uploads") ? undefined : s.edge.uploads;
    let behaviours = uploads ? 1 : 0;
    for (const svc of s.services.filter((x) => x.expose === "public")) {
        svc.paths.forEach((path, i) => {
            behaviours += 1;
            if (FRONTEND_PATTERNS.includes(path)) {
                add(`services.${svc.name}.paths[${i}]`, path, `a path pattern that leaves the frontend its requests (not ${FRONTEND_PATTERNS.join(", ")}: CloudFront's default behaviour serves the frontend), e.g. /api/*`, "/api/*");
            }
            if (uploads && pathPatternsOverlap(path, uploads.path)) {
                // Which behaviour served such a request would depend on their order: one owner per path.
                add("edge.uploads.path", uploads.path, `a path pattern no public service path overlaps: services.${svc.name}.paths[${i}] (${path}) matches requests it would also match`, uploads.path === "/uploads/*" ? "/files/*" : "/uploads/*", ["edge.uploads.path", "services"]);
            }
        });
    }
    if (behaviours > MAX_CACHE_BEHAVIORS) {
        issues.push({
            key: "services",
            value: `${behaviours} public paths`,
            allowed: `at most ${MAX_CACHE_BEHAVIORS} public paths across all services, edge.uploads counting as one (one CloudFront cache behaviour each; CloudFront quota "cache behaviors per distribution")`,
            fix: "merge paths under a common prefix (e.g. /api/*), or raise the CloudFront quota and this limit together",
        });
    }
    // Without public services there is no API to check (the edge then creates no health check).
    const publicServices = s.services.filter((svc) => svc.expose === "public");
    const healthRouted = publicServices.some((svc) => svc.paths.includes("/health"));
    if (s.edge.healthCheck && publicServices.length > 0 && !healthRouted) {
        add("edge.healthCheck", true, "false unless a public service routes /health (without it the frontend answers /health with index.html and 200, and the health check never fails)", "false", ["edge.healthCheck", "services"]);
    }
    return issues;
}
