import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { SPA_ROUTING_CODE } from "../components/edge";
import { ACCOUNT_ID, mockArn, mockId, mockKeyArn } from "../offline/mocks";
import { ROOT } from "../offline/run";
import { ofType, one, policy, Res, stackRun, variantRun } from "./helpers";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const RECORD = "aws:route53/record:Record";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
/** AWS managed policies (CloudFront Developer Guide, "Use managed cache policies" / "managed origin request policies"). */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
/** CloudFront's hosted zone for alias records (Route 53 docs). */
const CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";
/** Log retention per tier (design notes: 7 / 30 / 365 days). */
const RETENTION: Record<string, number> = { dev: 7, staging: 30, prod: 365 };

interface StackFile {
    "platform:services": Record<string, { paths?: string[]; expose?: string }>;
    "platform:domain"?: { name: string; hostedZoneId: string };
}
const stackFile = (stack: string): StackFile => (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: StackFile }).config;
const publicPaths = (stack: string) => Object.values(stackFile(stack)["platform:services"]).filter((s) => (s.expose ?? "public") === "public").flatMap((s) => s.paths ?? []);
const behaviours = (d: Res): Array<Record<string, any>> => [d.inputs.defaultCacheBehavior, ...(d.inputs.orderedCacheBehaviors ?? [])];
const distributionArn = (stack: string) => `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${mockId(`${stack}-edge-cdn`)}`;

/** What the SPA function does to a viewer request's URI (run as CloudFront would: handler(event)). */
function routed(uri: string): string {
    const sandbox: { handler?: (e: unknown) => { uri: string } } = {};
    vm.runInNewContext(`${SPA_ROUTING_CODE}\nthis.handler = handler;`, sandbox);
    return sandbox.handler!({ request: { uri } }).uri;
}

describe("edge", () => {
    it("SPA routing: an app route gets the shell; files keep their path", () => {
        assert.equal(routed("/settings/profile"), "/index.html");
        assert.equal(routed("/"), "/index.html");
        assert.equal(routed("/orders/42/"), "/index.html");
        assert.equal(routed("/assets/app.1a2b3c.js"), "/assets/app.1a2b3c.js");
        assert.equal(routed("/favicon.ico"), "/favicon.ico");
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("without edge.uploads (the reference stacks): no uploads origin, and neither the uploads bucket nor the data key admits CloudFront", async () => {
                const run = await stackRun(stack);
                assert.equal((stackFile(stack) as { "platform:edge"?: { uploads?: unknown } })["platform:edge"]?.uploads, undefined, "the reference stacks leave uploads off (the examples turn it on)");
                const d = one(run, DISTRIBUTION);
                assert.deepEqual(d.inputs.origins.map((o: any) => o.originId).sort(), ["api", "frontend"]);
                const cloudFront = (statements: Array<Record<string, any>>) => statements.filter((st) => JSON.stringify(st.Principal ?? {}).includes("cloudfront"));
                assert.deepEqual(cloudFront(policy(one(run, "aws:s3/bucketPolicy:BucketPolicy", `${stack}-data-uploads`).inputs.policy).Statement), []);
                assert.deepEqual(cloudFront(policy(one(run, "aws:kms/key:Key", `${stack}-data-data-key`).inputs.policy).Statement), []);
            });

            it("the frontend bucket is reachable only through CloudFront origin access control, by this distribution", async () => {
                const run = await stackRun(stack);
                const statements = policy(one(run, "aws:s3/bucketPolicy:BucketPolicy", `${stack}-edge-frontend`).inputs.policy).Statement;
                const allows = statements.filter((s) => s.Effect === "Allow");
                assert.equal(allows.length, 1, "one grant");
                assert.deepEqual(allows[0].Principal, { Service: "cloudfront.amazonaws.com" });
                assert.equal(allows[0].Action, "s3:GetObject");
                assert.deepEqual(allows[0].Condition, { StringEquals: { "AWS:SourceArn": distributionArn(stack) } });
                const d = one(run, DISTRIBUTION);
                const s3 = d.inputs.origins.find((o: any) => o.originId === "frontend");
                assert.equal(s3.originAccessControlId, mockId(`${stack}-edge-oac`));
                assert.equal(s3.s3OriginConfig, undefined, "no origin access identity");
                assert.match(s3.domainName, /\.s3\.us-east-1\.amazonaws\.com$/, "the bucket's regional endpoint, not a website endpoint");
                const oac = one(run, "aws:cloudfront/originAccessControl:OriginAccessControl");
                assert.deepEqual([oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol], ["s3", "always", "sigv4"]);
                const versioning = one(run, "aws:s3/bucketVersioning:BucketVersioning", `${stack}-edge-frontend`);
                assert.equal(versioning.inputs.versioningConfiguration.status, "Enabled");
                const lifecycle = one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${stack}-edge-frontend`);
                assert.ok(lifecycle.inputs.rules.some((r: any) => r.noncurrentVersionExpiration?.noncurrentDays > 0), "noncurrent versions expire");
            });

            it("SPA routing runs on the frontend behaviour only, and nothing rewrites errors distribution-wide", async () => {
                const d = one(await stackRun(stack), DISTRIBUTION);
                assert.deepEqual(d.inputs.defaultCacheBehavior.functionAssociations, [{ eventType: "viewer-request", functionArn: mockArn("aws:cloudfront/function:Function", `${stack}-edge-spa-routing`) }]);
                for (const b of d.inputs.orderedCacheBehaviors) assert.equal(b.functionAssociations, undefined, `${b.pathPattern}: an API error is never rewritten`);
                assert.equal(d.inputs.customErrorResponses, undefined, "no custom error responses (they would turn API 404s and a failing /health into 200s)");
                assert.equal(d.inputs.defaultRootObject, "index.html");
            });

            it("one API behaviour per public service path (incl. /health), to the load balancer, never cached, with every viewer header", async () => {
                const d = one(await stackRun(stack), DISTRIBUTION);
                const api = d.inputs.orderedCacheBehaviors;
                assert.deepEqual(api.map((b: any) => b.pathPattern).sort(), [...new Set(publicPaths(stack))].sort());
                assert.ok(api.some((b: any) => b.pathPattern === "/health"));
                for (const b of api) {
                    assert.equal(b.targetOriginId, "api");
                    assert.equal(b.cachePolicyId, CACHING_DISABLED, `${b.pathPattern} not cached`);
                    assert.equal(b.originRequestPolicyId, ALL_VIEWER, `${b.pathPattern}: Host and the rest reach the origin`);
                    assert.deepEqual([...b.allowedMethods].sort(), ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
                }
                const frontendCache = one(await stackRun(stack), "aws:cloudfront/cachePolicy:CachePolicy");
                // Seed 001: default TTL one hour, max one day.
                assert.deepEqual([frontendCache.inputs.defaultTtl, frontendCache.inputs.maxTtl], [3600, 86400]);
                assert.equal(d.inputs.defaultCacheBehavior.cachePolicyId, mockId(`${stack}-edge-frontend-cache`));
            });

            it("every behaviour sends viewers to HTTPS; HTTP/2 and 3, IPv6, compression, logs under cloudfront/", async () => {
                const d = one(await stackRun(stack), DISTRIBUTION);
                for (const b of behaviours(d)) {
                    assert.ok(["redirect-to-https", "https-only"].includes(b.viewerProtocolPolicy), `${b.pathPattern ?? "default"}`);
                    assert.equal(b.compress, true);
                }
                assert.equal(d.inputs.httpVersion, "http2and3");
                assert.equal(d.inputs.isIpv6Enabled, true);
                assert.equal(d.inputs.loggingConfig.prefix, "cloudfront/");
                const logs = ((await stackRun(stack)).outputs.buckets as { logs: string }).logs;
                assert.equal(d.inputs.loggingConfig.bucket, `${logs}.s3.amazonaws.com`, "the stack's logs bucket");
                assert.equal(d.inputs.priceClass, stack === "prod" ? "PriceClass_All" : "PriceClass_100");
            });

            it("security headers on every response: HSTS (a year or more, subdomains), nosniff, frame DENY, referrer policy", async () => {
                const run = await stackRun(stack);
                const h = one(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs.securityHeadersConfig;
                assert.ok(h.strictTransportSecurity.accessControlMaxAgeSec >= 31536000);
                assert.equal(h.strictTransportSecurity.includeSubdomains, true);
                assert.ok(h.contentTypeOptions);
                assert.equal(h.frameOptions.frameOption, "DENY");
                assert.ok(h.referrerPolicy.referrerPolicy);
                for (const b of behaviours(one(run, DISTRIBUTION))) assert.equal(b.responseHeadersPolicyId, mockId(`${stack}-edge-security-headers`));
            });

            it("the load balancer is reached only through a VPC origin: internal, private subnets, one ingress from CloudFront's group", async () => {
                const run = await stackRun(stack);
                const alb = one(run, "aws:lb/loadBalancer:LoadBalancer");
                assert.equal(alb.inputs.internal, true);
                assert.deepEqual(alb.inputs.subnets, run.outputs.privateSubnetIds);
                const d = one(run, DISTRIBUTION);
                const origin = d.inputs.origins.find((o: any) => o.originId === "api");
                assert.equal(origin.vpcOriginConfig.vpcOriginId, mockId(`${stack}-edge-alb-origin`));
                assert.equal(origin.customOriginConfig, undefined, "not a public custom origin");
                const vpcOrigin = one(run, "aws:cloudfront/vpcOrigin:VpcOrigin").inputs.vpcOriginEndpointConfig;
                assert.equal(vpcOrigin.arn, mockArn("aws:lb/loadBalancer:LoadBalancer", `${stack}-compute-alb`));
                // Origin protocol: HTTPS (TLS 1.2) with a domain; dev's load balancer has no certificate.
                assert.equal(vpcOrigin.originProtocolPolicy, stack === "prod" ? "https-only" : "http-only");
                assert.deepEqual(vpcOrigin.originSslProtocols.items, ["TLSv1.2"]);
                const intoLb = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === mockId(`${stack}-network-lb-sg`));
                assert.equal(intoLb.length, 1, "one rule: weight 1 of the group's 60");
                assert.equal(intoLb[0].inputs.referencedSecurityGroupId, "sg-cloudfront-vpcorigins-service-sg");
                assert.equal(intoLb[0].inputs.fromPort, stack === "prod" ? 443 : 80);
                // No address range anywhere, except the NAT instance's (dev: natGateways instance), which forwards for the VPC's own range only.
                const vpcCidr = one(run, "awsx:ec2:Vpc").inputs.cidrBlock;
                for (const r of ofType(run, INGRESS)) {
                    const range = r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? r.inputs.prefixListId;
                    if (r.inputs.securityGroupId === mockId(`${stack}-network-nat-sg`)) assert.equal(range, vpcCidr, `${r.name}: the VPC's range only`);
                    else assert.equal(range, undefined, `${r.name}: no address range`);
                }
                const lookup = run.invokes.find((i) => i.token === "aws:ec2/getSecurityGroup:getSecurityGroup")!;
                assert.deepEqual(lookup.inputs.filters, [
                    { name: "group-name", values: ["CloudFront-VPCOrigins-Service-SG"] },
                    { name: "vpc-id", values: [run.outputs.vpcId] },
                ]);
            });

            it("no origin secret: no origin carries custom headers, so none can reach an output or the plan", async () => {
                const d = one(await stackRun(stack), DISTRIBUTION);
                for (const o of d.inputs.origins) assert.equal(o.customHeaders, undefined, o.originId);
            });

            it("WAF: CLOUDFRONT scope in us-east-1, managed groups + SQLi + the rate rule, metrics and samples on every rule, on the distribution", async () => {
                const run = await stackRun(stack);
                const acl = one(run, WEB_ACL);
                assert.equal(acl.inputs.scope, "CLOUDFRONT");
                assert.equal(acl.inputs.region, "us-east-1");
                const managed = acl.inputs.rules.filter((r: any) => r.statement.managedRuleGroupStatement).map((r: any) => r.statement.managedRuleGroupStatement);
                assert.deepEqual(managed.map((m: any) => m.vendorName), ["AWS", "AWS", "AWS", "AWS"]);
                assert.deepEqual(managed.map((m: any) => m.name).sort(), ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"]);
                // API bodies over 8 KB (uploads, larger JSON) must not be blocked: the common rule set's body-size rule only counts; nothing else is overridden.
                const overrides = managed.flatMap((m: any) => (m.ruleActionOverrides ?? []).map((o: any) => ({ group: m.name, ...o })));
                assert.deepEqual(overrides, [{ group: "AWSManagedRulesCommonRuleSet", name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
                const rate = acl.inputs.rules.find((r: any) => r.statement.rateBasedStatement);
                assert.deepEqual(rate.statement.rateBasedStatement, { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 });
                assert.deepEqual(rate.action, { block: {} });
                for (const r of [...acl.inputs.rules, acl.inputs]) {
                    assert.equal(r.visibilityConfig.cloudwatchMetricsEnabled, true, r.name);
                    assert.equal(r.visibilityConfig.sampledRequestsEnabled, true, r.name);
                }
                assert.equal(new Set(acl.inputs.rules.map((r: any) => r.priority)).size, acl.inputs.rules.length, "distinct priorities");
                assert.match(one(run, DISTRIBUTION).inputs.webAclId, new RegExp(`^arn:aws:wafv2:us-east-1:${ACCOUNT_ID}:global/webacl/`));
                assert.equal(run.outputs.webAclArn, one(run, DISTRIBUTION).inputs.webAclId);
            });

            it("WAF logs: an encrypted us-east-1 log group named aws-waf-logs-<project>-<stack>, tier retention, authorization and cookie redacted", async () => {
                const run = await stackRun(stack);
                const group = one(run, "aws:cloudwatch/logGroup:LogGroup", `${stack}-edge-waf-logs`);
                assert.equal(group.inputs.name, `aws-waf-logs-platform-${stack}`);
                assert.equal(group.inputs.region, "us-east-1");
                assert.equal(group.inputs.retentionInDays, RETENTION[stack]);
                assert.equal(group.inputs.kmsKeyId, mockKeyArn(`${stack}-edge-waf-log-key`, "us-east-1"));
                const key = one(run, "aws:kms/key:Key", `${stack}-edge-waf-log-key`);
                assert.equal(key.inputs.region, "us-east-1");
                const grant = policy(key.inputs.policy).Statement.find((s) => s.Principal?.Service);
                assert.equal(grant?.Principal.Service, "logs.us-east-1.amazonaws.com");
                assert.deepEqual(grant?.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:aws-waf-logs-platform-${stack}` } });
                const logging = one(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
                assert.equal(logging.inputs.region, "us-east-1");
                assert.equal(logging.inputs.resourceArn, run.outputs.webAclArn);
                assert.deepEqual(logging.inputs.logDestinationConfigs, [`arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:aws-waf-logs-platform-${stack}`]);
                assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
            });

            it("outputs: site and API URL over HTTPS, distribution id, frontend bucket, and the publish commands in a safe order", async () => {
                const o = (await stackRun(stack)).outputs;
                const domain = stackFile(stack)["platform:domain"];
                assert.equal(o.siteUrl, domain ? `https://${domain.name}` : `https://d-${stack}-edge-cdn-abc1234.cloudfront.net`);
                assert.equal(o.apiUrl, o.siteUrl);
                assert.equal(o.url, o.apiUrl);
                assert.equal(o.distributionId, mockId(`${stack}-edge-cdn`));
                const cmds = o.publishCommands as string[];
                assert.match(cmds[0], new RegExp(`^aws s3 sync \\./dist s3://${o.frontendBucket} --exclude index\\.html --cache-control "public,max-age=31536000,immutable"$`));
                assert.match(cmds[1], /index\.html --cache-control "no-cache"$/);
                assert.equal(cmds[2], `aws cloudfront create-invalidation --distribution-id ${o.distributionId} --paths "/index.html" "/"`);
                assert.match(cmds[3], / --delete /, "files are deleted only after the new shell is live");
                assert.ok(!cmds.slice(0, 3).some((c) => c.includes("--delete")));
            });
        });
    }

    describe("certificates and DNS", () => {
        it("with a domain (prod): a DNS-validated certificate in us-east-1 for the site, TLS 1.2 (2021) minimum, SNI", async () => {
            const run = await stackRun("prod");
            const domain = stackFile("prod")["platform:domain"]!;
            const cert = one(run, "aws:acm/certificate:Certificate", "prod-edge-site-cert");
            assert.equal(cert.inputs.region, "us-east-1");
            assert.equal(cert.inputs.domainName, domain.name);
            assert.equal(cert.inputs.validationMethod, "DNS");
            assert.equal(one(run, "aws:acm/certificateValidation:CertificateValidation", "prod-edge-site-cert").inputs.region, "us-east-1");
            const d = one(run, DISTRIBUTION);
            assert.deepEqual(d.inputs.aliases, [domain.name]);
            assert.equal(d.inputs.viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
            assert.equal(d.inputs.viewerCertificate.sslSupportMethod, "sni-only");
            assert.ok(d.inputs.viewerCertificate.acmCertificateArn);
            assert.equal(d.inputs.viewerCertificate.cloudfrontDefaultCertificate, undefined);
        });

        it("with a domain (prod): one owner of the certificates' DNS validation record (ACM asks both certificates of one name for the same CNAME)", async () => {
            const run = await stackRun("prod");
            const validationRecords = ofType(run, RECORD).filter((r) => !r.inputs.aliases);
            assert.deepEqual(validationRecords.map((r) => r.name), ["prod-compute-cert-validation"], "compute's certificate owns the record; the edge's reuses it");
            const validations = ofType(run, "aws:acm/certificateValidation:CertificateValidation");
            assert.deepEqual(validations.map((v) => v.inputs.region ?? "stack region").sort(), ["stack region", "us-east-1"], "the load balancer's and CloudFront's certificates");
            assert.equal(validations[0].inputs.validationRecordFqdns.length, 1);
            assert.deepEqual(validations[0].inputs.validationRecordFqdns, validations[1].inputs.validationRecordFqdns, "both validate through the one record");
        });

        it("with a domain (prod): alias A and AAAA records to the distribution, and a health check on https://<domain>/health", async () => {
            const run = await stackRun("prod");
            const domain = stackFile("prod")["platform:domain"]!;
            const aliases = ofType(run, RECORD).filter((r) => r.inputs.aliases);
            assert.deepEqual(aliases.map((r) => r.inputs.type).sort(), ["A", "AAAA"]);
            for (const r of aliases) {
                assert.equal(r.inputs.name, domain.name);
                assert.equal(r.inputs.zoneId, domain.hostedZoneId);
                assert.deepEqual(r.inputs.aliases, [{ name: "d-prod-edge-cdn-abc1234.cloudfront.net", zoneId: CLOUDFRONT_ZONE, evaluateTargetHealth: false }]);
            }
            const hc = one(run, "aws:route53/healthCheck:HealthCheck");
            assert.deepEqual([hc.inputs.type, hc.inputs.fqdn, hc.inputs.port, hc.inputs.resourcePath, hc.inputs.enableSni], ["HTTPS", domain.name, 443, "/health", true]);
        });

        it("without a domain (dev): CloudFront's default certificate with no TLS minimum set (no permanent diff), no DNS records, no health check", async () => {
            const run = await stackRun("dev");
            const d = one(run, DISTRIBUTION);
            assert.deepEqual(d.inputs.viewerCertificate, { cloudfrontDefaultCertificate: true });
            assert.deepEqual(d.inputs.aliases, []);
            assert.deepEqual(ofType(run, RECORD), []);
            assert.deepEqual(ofType(run, "aws:acm/certificate:Certificate"), []);
            assert.deepEqual(ofType(run, "aws:route53/healthCheck:HealthCheck"), []);
        });

        it("two stacks get distinct WAF log groups (aws-waf-logs-* is unique per account in us-east-1)", async () => {
            const names = await Promise.all(["dev", "prod"].map(async (s) => one(await stackRun(s), "aws:cloudwatch/logGroup:LogGroup", `${s}-edge-waf-logs`).inputs.name));
            assert.notEqual(names[0], names[1]);
            for (const n of names) assert.match(n, /^aws-waf-logs-/);
        });
    });

    it("the rate limit and price class come from platform:edge", async () => {
        const run = await variantRun("dev", { "platform:edge": { rateLimitPerIp: 500, priceClass: "PriceClass_200" } });
        assert.equal(run.error, undefined);
        assert.equal(one(run, WEB_ACL).inputs.rules.find((r: any) => r.statement.rateBasedStatement).statement.rateBasedStatement.limit, 500);
        assert.equal(one(run, DISTRIBUTION).inputs.priceClass, "PriceClass_200");
    });
});
