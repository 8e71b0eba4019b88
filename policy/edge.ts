/**
 * Edge: the CloudFront distribution (S3 origin through OAC, the internal load balancer through a VPC
 * origin), its CLOUDFRONT-scope WAF web ACL and the web ACL's logging (components/edge/).
 * Controls: FSBP CloudFront.1/3/5/6/7/8/9/10/12/13/15, WAF.10/11/12 (reference/aws-controls.md).
 */
import type { PolicyResource } from "@pulumi/policy";
import { Finding, list, ofTypes, resourcePolicy, stackPolicy } from "./lib";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin";
const OAC = "aws:cloudfront/originAccessControl:OriginAccessControl";
const BUCKET = "aws:s3/bucket:Bucket";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

/** Viewer security policies CloudFront.15 accepts (TLSv1.2_2021 or newer). */
export const VIEWER_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];
/** Origin protocols below TLSv1.2: CloudFront.10 fails on SSLv3; we also refuse TLSv1 and TLSv1.1 (the control's remediation: TLSv1.2 or later). */
export const DEPRECATED_ORIGIN_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1"];
/** Request headers WAF logs must redact (issue 10): credentials never reach the log group. */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie"];

interface Origin {
    originId?: string;
    domainName?: string;
    originAccessControlId?: string;
    s3OriginConfig?: { originAccessIdentity?: string };
    customOriginConfig?: { originProtocolPolicy?: string; originSslProtocols?: string[] };
    vpcOriginConfig?: { vpcOriginId?: string };
}

const origins = (p: Record<string, any>): Origin[] => list(p.origins as Origin[]);

/** An S3 REST endpoint (`<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3.amazonaws.com`, `…s3-<region>…`). */
const S3_DOMAIN = /^([^.]+(?:\.[^.]+)*?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

/** Origins served from S3: an S3 domain, an s3OriginConfig, or an OAC (our S3 origins' marker when the domain is not known yet). */
function s3Origins(p: Record<string, any>): Origin[] {
    return origins(p).filter((o) => !o.customOriginConfig && !o.vpcOriginConfig && (S3_DOMAIN.test(String(o.domainName ?? "")) || o.s3OriginConfig !== undefined || o.originAccessControlId !== undefined));
}

function behaviours(p: Record<string, any>): Array<{ label: string; policy: unknown }> {
    return [
        { label: "default behaviour", policy: p.defaultCacheBehavior?.viewerProtocolPolicy },
        ...list(p.orderedCacheBehaviors as any[]).map((b) => ({ label: `behaviour ${b.pathPattern}`, policy: b.viewerProtocolPolicy })),
    ];
}

/** What the viewer certificate is: our ACM/IAM certificate, or CloudFront's default one. */
function customCertificate(p: Record<string, any>): boolean {
    const v = p.viewerCertificate ?? {};
    return v.cloudfrontDefaultCertificate !== true && Boolean(v.acmCertificateArn || v.iamCertificateId);
}

export const cloudFrontPolicies = [
    resourcePolicy(
        { name: "cloudfront-default-root-object", control: "CloudFront.1", summary: "Distributions set a default root object (no bucket listing or error at /).", level: "mandatory", remediation: "not configurable: components/edge/index.ts sets defaultRootObject index.html.", types: [DISTRIBUTION] },
        (p) => (p.defaultRootObject ? [] : ["defaultRootObject is not set."]),
    ),
    resourcePolicy(
        { name: "cloudfront-viewer-https", control: "CloudFront.3", summary: "Every cache behaviour redirects viewers to HTTPS or requires it.", level: "mandatory", remediation: "not configurable: components/edge/index.ts sets viewerProtocolPolicy redirect-to-https on every behaviour.", types: [DISTRIBUTION] },
        (p) => behaviours(p).filter((b) => !["redirect-to-https", "https-only"].includes(String(b.policy))).map((b) => `${b.label} has viewerProtocolPolicy ${b.policy}.`),
    ),
    resourcePolicy(
        { name: "cloudfront-logging", control: "CloudFront.5", summary: "Distributions write standard logs to a bucket.", level: "mandatory", remediation: "not configurable: components/edge/index.ts logs to the logs bucket under cloudfront/ (retention: the logs bucket's lifecycle).", types: [DISTRIBUTION] },
        (p) => (p.loggingConfig?.bucket ? [] : ["loggingConfig.bucket is not set."]),
    ),
    resourcePolicy(
        { name: "cloudfront-waf", control: "CloudFront.6", summary: "Distributions are associated with a WAF web ACL.", level: "mandatory", remediation: "not configurable: components/edge/waf.ts creates the CLOUDFRONT-scope web ACL (edge.rateLimitPerIp tunes its rate rule).", types: [DISTRIBUTION] },
        (p) => (p.webAclId ? [] : ["webAclId is not set."]),
    ),
    resourcePolicy(
        { name: "cloudfront-custom-certificate", control: "CloudFront.7", summary: "Distributions serve viewers with our own (ACM, us-east-1) certificate, not CloudFront's default one.", level: "mandatory", remediation: "domain.name with domain.hostedZoneId (a us-east-1 certificate is issued), or edge.certificateArn.", types: [DISTRIBUTION] },
        (p) => (customCertificate(p) ? [] : [{ message: "the viewer certificate is CloudFront's default certificate.", detail: "default-certificate" }]),
    ),
    resourcePolicy(
        { name: "cloudfront-viewer-tls", control: "CloudFront.15", summary: `Viewers need TLSv1.2 or newer: minimumProtocolVersion ${VIEWER_TLS_POLICIES.join(", ")} (CloudFront's default certificate allows TLSv1).`, level: "mandatory", remediation: "not configurable with a certificate: components/edge/index.ts sets TLSv1.2_2021; without one, give the stack a domain (domain.name).", types: [DISTRIBUTION] },
        (p) => {
            if (!customCertificate(p)) return [{ message: "CloudFront's default certificate accepts TLSv1.", detail: "default-certificate" }];
            const v = p.viewerCertificate.minimumProtocolVersion;
            return VIEWER_TLS_POLICIES.includes(String(v)) ? [] : [`minimumProtocolVersion is ${v ?? "unset"}.`];
        },
    ),
    resourcePolicy(
        { name: "cloudfront-sni", control: "CloudFront.8", summary: "A custom certificate is served with SNI (no dedicated-IP custom SSL).", level: "mandatory", remediation: "not configurable: components/edge/index.ts sets sslSupportMethod sni-only.", types: [DISTRIBUTION] },
        (p) => (customCertificate(p) && p.viewerCertificate.sslSupportMethod !== "sni-only" ? [`sslSupportMethod is ${p.viewerCertificate.sslSupportMethod ?? "unset"}.`] : []),
    ),
    resourcePolicy(
        {
            name: "cloudfront-origin-https",
            control: "CloudFront.9",
            summary: "CloudFront reaches custom and VPC origins over HTTPS only.",
            level: "mandatory",
            remediation: "domain.name (the VPC origin then speaks HTTPS to the load balancer's certificate); without a domain the load balancer has no certificate (dev is waived).",
            types: [DISTRIBUTION, VPC_ORIGIN],
        },
        (p, args) => {
            if (args.type === VPC_ORIGIN) {
                const policy = p.vpcOriginEndpointConfig?.originProtocolPolicy;
                return policy === "https-only" ? [] : [{ message: `the VPC origin's originProtocolPolicy is ${policy}.`, detail: String(policy) }];
            }
            return origins(p)
                .filter((o) => o.customOriginConfig && o.customOriginConfig.originProtocolPolicy !== "https-only")
                .map((o) => ({ message: `origin ${o.originId} has originProtocolPolicy ${o.customOriginConfig!.originProtocolPolicy}.`, detail: String(o.customOriginConfig!.originProtocolPolicy) }));
        },
    ),
    resourcePolicy(
        { name: "cloudfront-origin-tls", control: "CloudFront.10", summary: `Custom and VPC origins allow no ${DEPRECATED_ORIGIN_PROTOCOLS.join(", ")} (TLSv1.2 only).`, level: "mandatory", remediation: "not configurable: components/edge/index.ts sets originSslProtocols [TLSv1.2].", types: [DISTRIBUTION, VPC_ORIGIN] },
        (p, args) => {
            const offered: Array<[string, string[]]> =
                args.type === VPC_ORIGIN
                    ? [["the VPC origin", list(p.vpcOriginEndpointConfig?.originSslProtocols?.items as string[])]]
                    : origins(p).filter((o) => o.customOriginConfig).map((o) => [`origin ${o.originId}`, list(o.customOriginConfig!.originSslProtocols)]);
            return offered.flatMap(([what, protocols]) => protocols.filter((x) => DEPRECATED_ORIGIN_PROTOCOLS.includes(x)).map((x) => `${what} allows ${x}.`));
        },
    ),
    stackPolicy(
        { name: "cloudfront-s3-origin-exists", control: "CloudFront.12", summary: "Every S3 origin is a bucket of this stack (no origin pointing at a bucket someone else could create).", level: "mandatory", remediation: "not configurable: components/edge/index.ts uses the frontend bucket's bucketRegionalDomainName.", types: [DISTRIBUTION, BUCKET] },
        (args) => {
            const buckets = ofTypes(args, [BUCKET]);
            const findings: Finding[] = [];
            for (const d of ofTypes(args, [DISTRIBUTION])) {
                const linked = (d.propertyDependencies?.origins ?? []).filter((r) => r.type === BUCKET);
                for (const o of s3Origins(d.props)) {
                    const name = S3_DOMAIN.exec(String(o.domainName ?? ""))?.[1];
                    // By name when the domain is known; else the origins' dependency on a bucket of the stack (preview of a new bucket).
                    const found = name !== undefined ? buckets.some((b) => b.props.bucket === name) || linked.length > 0 : linked.length > 0;
                    if (!found) findings.push({ message: `S3 origin ${o.originId} (${o.domainName}) is no bucket of this stack.`, resource: d });
                }
            }
            return findings;
        },
    ),
    resourcePolicy(
        { name: "cloudfront-s3-origin-oac", control: "CloudFront.13", summary: "S3 origins use origin access control (no OAI); OACs for S3 sign always with SigV4.", level: "mandatory", remediation: "not configurable: components/edge/frontend.ts creates the OAC and the bucket policy that trusts only this distribution.", types: [DISTRIBUTION, OAC] },
        (p, args) => {
            if (args.type === OAC) {
                if (p.originAccessControlOriginType !== "s3") return [];
                return p.signingBehavior === "always" && p.signingProtocol === "sigv4" ? [] : [`signingBehavior ${p.signingBehavior}, signingProtocol ${p.signingProtocol} (not always/sigv4).`];
            }
            return s3Origins(p).flatMap((o) => [
                ...(o.originAccessControlId ? [] : [`S3 origin ${o.originId} has no originAccessControlId.`]),
                ...(o.s3OriginConfig?.originAccessIdentity ? [`S3 origin ${o.originId} uses a legacy origin access identity.`] : []),
            ]);
        },
    ),
];

/** The logging configurations of a web ACL: the engine's dependency of `resourceArn`, or the ARN as a value. */
function loggingOf(acl: PolicyResource, configs: PolicyResource[]): PolicyResource[] {
    return configs.filter((c) => (c.propertyDependencies?.resourceArn ?? []).some((d) => d.urn === acl.urn) || (acl.props.arn !== undefined && c.props.resourceArn === acl.props.arn));
}

export const wafPolicies = [
    resourcePolicy(
        { name: "waf-has-rules", control: "WAF.10", summary: "Web ACLs have at least one rule or rule group.", level: "mandatory", remediation: "not configurable: components/edge/waf.ts adds the rate rule and the AWS managed rule groups.", types: [WEB_ACL] },
        (p) => (list(p.rules).length > 0 || p.ruleJson ? [] : ["the web ACL has no rules."]),
    ),
    resourcePolicy(
        { name: "waf-rule-metrics", control: "WAF.12", summary: "Every web ACL rule (and the web ACL) publishes CloudWatch metrics.", level: "mandatory", remediation: "not configurable: components/edge/waf.ts sets visibilityConfig on every rule.", types: [WEB_ACL] },
        (p) => [
            ...list(p.rules as any[]).filter((r) => r.visibilityConfig?.cloudwatchMetricsEnabled !== true).map((r) => `rule ${r.name} has no CloudWatch metrics.`),
            ...(p.visibilityConfig?.cloudwatchMetricsEnabled === true ? [] : ["the web ACL has no CloudWatch metrics."]),
        ],
    ),
    stackPolicy(
        { name: "waf-logging", control: "WAF.11", summary: "Every web ACL logs to a destination named aws-waf-logs-….", level: "mandatory", remediation: "not configurable: components/edge/waf.ts logs to the log group aws-waf-logs-<project>-<stack> (retention: logs.retentionDays).", types: [WEB_ACL, WAF_LOGGING] },
        (args) => {
            const configs = ofTypes(args, [WAF_LOGGING]);
            return ofTypes(args, [WEB_ACL]).flatMap((acl): Finding[] => {
                const mine = loggingOf(acl, configs);
                if (mine.length === 0) return [{ message: `web ACL ${acl.name} has no logging configuration.`, resource: acl }];
                // A destination's name (log group, bucket, Firehose stream) must start aws-waf-logs-; unknown ARNs (first preview) pass.
                const bad = mine.flatMap((c) => list(c.props.logDestinationConfigs as string[])).filter((d) => typeof d === "string" && d.startsWith("arn:") && !/[:/]aws-waf-logs-[^:/]*$/.test(d));
                return bad.map((d) => ({ message: `web ACL ${acl.name} logs to ${d}, whose name does not start aws-waf-logs-.`, resource: acl }));
            });
        },
    ),
    resourcePolicy(
        { name: "waf-log-redaction", control: "seed: WAF logs redact authorization and cookie (issue 10)", summary: `WAF logging redacts the ${WAF_REDACTED_HEADERS.join(" and ")} headers.`, level: "mandatory", remediation: "not configurable: components/edge/waf.ts redacts REDACTED_HEADERS.", types: [WAF_LOGGING] },
        (p) => {
            const redacted = list(p.redactedFields as any[]).map((f) => String(f.singleHeader?.name ?? "").toLowerCase());
            return WAF_REDACTED_HEADERS.filter((h) => !redacted.includes(h)).map((h) => `the ${h} header is not redacted.`);
        },
    ),
];

export const edgePolicies = [...cloudFrontPolicies, ...wafPolicies];
