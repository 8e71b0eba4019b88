import * as assert from "node:assert/strict";
import { MAX_CACHE_BEHAVIORS } from "../config/rules/edge";
import { TIER_DEFAULTS } from "../config";
import { configIssues } from "./helpers";

/** A public service routing `paths` (dev tier: no domain needed). */
const withPaths = (paths: string[], extra: Record<string, unknown> = {}) => ({ tier: "dev", services: { api: { cpu: 256, memory: 512, port: 8080, paths } }, ...extra });
const keys = (raw: Record<string, unknown>, ctx?: { awsRegion?: string }) => configIssues(raw, ctx).map((i) => i.key);
const issue = (raw: Record<string, unknown>, key: string) => configIssues(raw).find((i) => i.key === key);
const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000`;

describe("edge config (platform:edge) refuses bad values before any resource exists", () => {
    it("tier defaults: PriceClass_100 in dev and staging, every location in prod; 2000 requests per IP per 5 minutes; the health check in prod only; no failover routing", () => {
        assert.deepEqual(TIER_DEFAULTS.dev.edge, { priceClass: "PriceClass_100", rateLimitPerIp: 2000, healthCheck: false, failover: "none" });
        assert.deepEqual(TIER_DEFAULTS.staging.edge, { priceClass: "PriceClass_100", rateLimitPerIp: 2000, healthCheck: false, failover: "none" });
        assert.deepEqual(TIER_DEFAULTS.prod.edge, { priceClass: "PriceClass_All", rateLimitPerIp: 2000, healthCheck: true, failover: "none" });
    });

    it("the rate limit is held to WAF's range, 10 to 2,000,000,000, at both edges", () => {
        for (const ok of [10, 2_000_000_000]) assert.deepEqual(keys({ tier: "dev", edge: { rateLimitPerIp: ok } }), [], String(ok));
        for (const bad of [9, 2_000_000_001]) {
            const i = issue({ tier: "dev", edge: { rateLimitPerIp: bad } }, "edge.rateLimitPerIp");
            assert.ok(i, String(bad));
            assert.equal(i.value, bad);
            assert.match(i.allowed, /10 to 2000000000/);
            assert.match(i.fix, /pulumi config set --path 'edge\.rateLimitPerIp'/);
        }
    });

    it("an unknown price class is answered with the three CloudFront has", () => {
        const i = issue({ tier: "dev", edge: { priceClass: "PriceClass_50" } }, "edge.priceClass");
        assert.ok(i);
        assert.equal(i.value, "PriceClass_50");
        assert.match(i.allowed, /PriceClass_100, PriceClass_200, PriceClass_All/);
        assert.match(i.fix, /edge\.priceClass/);
    });

    it("a malformed domain or path is refused with the key, the value and an example", () => {
        const d = issue({ tier: "dev", domain: { name: "Bad_Host", hostedZoneId: "Z0123456789ABCDEFGHIJ" } }, "domain.name");
        assert.ok(d);
        assert.equal(d.value, "Bad_Host");
        assert.match(d.fix, /domain\.name/);
        const p = issue(withPaths(["api/*"]), "services.api.paths[0]");
        assert.ok(p);
        assert.equal(p.value, "api/*");
        assert.match(p.allowed, /starting with \//);
    });

    it("a service path that would take the frontend's requests is refused; a prefix is not", () => {
        for (const path of ["/*", "/", "/index.html"]) {
            const i = issue(withPaths([path]), "services.api.paths[0]");
            assert.ok(i, path);
            assert.match(i.allowed, /frontend/);
            assert.match(i.fix, /\/api\/\*/);
        }
        assert.deepEqual(keys(withPaths(["/api/*", "/health"])), []);
    });

    it(`public paths fit CloudFront's cache-behaviour quota (${MAX_CACHE_BEHAVIORS}), at the edge`, () => {
        const paths = (n: number) => Array.from({ length: n }, (_, i) => `/p${i}/*`);
        assert.equal(MAX_CACHE_BEHAVIORS, 25, "CloudFront quota: 25 cache behaviours per distribution (default)");
        assert.ok(!keys(withPaths(paths(25))).includes("services"));
        const i = issue(withPaths(paths(26)), "services");
        assert.ok(i);
        assert.match(i.allowed, /at most 25 public paths/);
    });

    it("a certificate for CloudFront must be in us-east-1, whatever the stack's region", () => {
        const domain = { name: "app.example.com", certificateArn: CERT("eu-west-1") };
        // The stack in eu-west-1 brings a load-balancer certificate there: CloudFront needs its own, in us-east-1.
        const missing = issue({ tier: "dev", region: "eu-west-1", domain }, "edge.certificateArn");
        assert.ok(missing);
        assert.match(missing.allowed, /us-east-1/);
        const wrong = issue({ tier: "dev", region: "eu-west-1", domain, edge: { certificateArn: CERT("eu-west-1") } }, "edge.certificateArn");
        assert.ok(wrong);
        assert.equal(wrong.value, CERT("eu-west-1"));
        assert.match(wrong.fix, /arn:aws:acm:us-east-1:/);
        assert.deepEqual(keys({ tier: "dev", region: "eu-west-1", domain, edge: { certificateArn: CERT("us-east-1") } }), []);
        // In us-east-1 the domain's own certificate serves both.
        assert.deepEqual(keys({ tier: "dev", region: "us-east-1", domain: { name: "app.example.com", certificateArn: CERT("us-east-1") } }), []);
    });

    it("an edge certificate is refused where it could not apply: no domain, or a hosted zone that issues one", () => {
        assert.ok(issue({ tier: "dev", edge: { certificateArn: CERT("us-east-1") } }, "edge.certificateArn"));
        assert.ok(issue({ tier: "dev", domain: { name: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, edge: { certificateArn: CERT("us-east-1") } }, "edge.certificateArn"));
    });

    it("a health check needs a public service answering /health (the SPA would answer 200)", () => {
        const i = issue(withPaths(["/api/*"], { edge: { healthCheck: true } }), "edge.healthCheck");
        assert.ok(i);
        assert.match(i.allowed, /\/health/);
        assert.deepEqual(keys(withPaths(["/api/*", "/health"], { edge: { healthCheck: true } })), []);
    });

    it("edge.uploads.path is a path prefix ending in /* (it names the key prefix CloudFront may read), at its edges", () => {
        for (const ok of ["/uploads/*", "/media/images/*", "/u/*", "/user_files.v2/*"]) assert.deepEqual(keys({ tier: "dev", edge: { uploads: { path: ok } } }), [], ok);
        for (const bad of ["/*", "/uploads", "/uploads/", "uploads/*", "/uploads*", "/up*/x/*", "/uploads/*.jpg", "/a b/*", "/a/b/c/d/e/f/g/h/i/*"]) {
            const i = issue({ tier: "dev", edge: { uploads: { path: bad } } }, "edge.uploads.path");
            assert.ok(i, bad);
            assert.equal(i.value, bad);
            assert.match(i.allowed, /ending in \/\*/);
            assert.match(i.fix, /pulumi config set --path 'edge\.uploads\.path' '\/uploads\/\*'/);
        }
        assert.deepEqual(keys({ tier: "dev", edge: { uploads: {} } }), ["edge.uploads.path"], "the path is required once uploads are on");
        assert.deepEqual(keys({ tier: "dev", edge: { uploads: { path: "/uploads/*", cache: true } } }), ["edge.uploads.cache"]);
    });

    it("edge.uploads.path may not overlap a public service's path (one cache behaviour per request), whichever is wider", () => {
        const on = (paths: string[], path: string) => issue(withPaths(paths, { edge: { uploads: { path } } }), "edge.uploads.path");
        for (const [paths, path] of [
            [["/api/*", "/health"], "/uploads/*"],
            [["/uploads"], "/uploads/*"], // the exact path /uploads is no request under /uploads/
            [["/upload/*"], "/uploads/*"],
            [["/uploads-old/*"], "/uploads/*"],
        ] as const) {
            assert.equal(on([...paths], path), undefined, `${paths.join(",")} vs ${path}`);
        }
        for (const [paths, path] of [
            [["/uploads/*"], "/uploads/*"],
            [["/uploads/thumbs/*"], "/uploads/*"], // narrower service path inside the uploads prefix
            [["/up*"], "/uploads/*"], // wider service path
            [["/api/*", "/uploads/avatar.png"], "/uploads/*"], // an exact path the uploads pattern matches
            [["/media/*"], "/media/images/*"],
        ] as const) {
            const i = on([...paths], path);
            assert.ok(i, `${paths.join(",")} vs ${path}`);
            assert.match(i.allowed, /no public service path overlaps: services\.api\.paths\[\d\]/);
        }
        assert.match(on(["/uploads/*"], "/uploads/*")!.fix, /'\/files\/\*'/, "the suggested path does not collide again");
        // Internal services have no CloudFront behaviour: nothing to collide with.
        assert.deepEqual(keys({ tier: "dev", services: { jobs: { cpu: 256, memory: 512, port: 8080, expose: "internal" } }, edge: { uploads: { path: "/uploads/*" } } }), []);
    });

    it("the uploads behaviour counts against the cache-behaviour quota", () => {
        const paths = (n: number) => Array.from({ length: n }, (_, i) => `/p${i}/*`);
        assert.ok(!keys(withPaths(paths(24), { edge: { uploads: { path: "/uploads/*" } } })).includes("services"));
        assert.ok(keys(withPaths(paths(25), { edge: { uploads: { path: "/uploads/*" } } })).includes("services"));
    });
});
