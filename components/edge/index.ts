import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DomainSettings, EdgeSettings, ServiceSettings } from "../../config";
import { rulePriority } from "../../config";
import type { ComputeHandle, LoadBalancerRef } from "../compute";
import type { DataHandle } from "../data";
import { childName, NameScope, namePrefix } from "../naming";
import type { NetworkHandle } from "../network";
import { createDnsCertificate } from "../shared/certificate";
import { pickHandle } from "../shared/handle";
import { LOG_PREFIXES } from "../shared/logs";
import { PORTS } from "../shared/ports";
import { createSiteRecords, EdgeFailoverArgs, failoverOutput, FailoverOutput, siteAliases } from "./failover";
import { createFrontendBucket, createFrontendPieces, frontendBucketPolicy } from "./frontend";
import { createUploadsPieces, uploadsBehaviour, uploadsOrigin, UploadsPieces } from "./uploads";
import { createWaf, EDGE_REGION } from "./waf";

export type { EdgeFailoverArgs, FailoverOutput, PrimaryEdge } from "./failover";
export { FRONTEND_TTL, HSTS_MAX_AGE_SECONDS, SPA_ROUTING_CODE } from "./frontend";
export { EDGE_REGION, MANAGED_RULE_GROUPS, REDACTED_HEADERS, SQL_RULE_GROUP, wafLogGroupName } from "./waf";

/**
 * AWS managed CloudFront policies (CloudFront Developer Guide, "Use managed cache policies" / "Use
 * managed origin request policies"): the API is never cached, and every viewer header, cookie and
 * query string reaches it — including Host, so the load balancer's host rules see the site's host and
 * CloudFront checks the origin's certificate against that same name.
 */
export const MANAGED_POLICIES = {
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    allViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3",
} as const;

/** Viewer TLS floor with our certificate (FSBP CloudFront.15). With the default certificate CloudFront forces TLSv1 and it is left unset (no permanent diff). */
export const VIEWER_TLS_POLICY = "TLSv1.2_2021";

/** The name CloudFront gives the security group its VPC origins' interfaces use (created with the first VPC origin in a VPC). */
export const VPC_ORIGIN_SECURITY_GROUP = "CloudFront-VPCOrigins-Service-SG";

const FRONTEND_ORIGIN = "frontend";
const API_ORIGIN = "api";
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

export interface EdgeArgs {
    scope: NameScope;
    settings: EdgeSettings;
    /** The site's host (frontend and API), with its certificate source. @default - the distribution's *.cloudfront.net name and default certificate */
    domain?: DomainSettings;
    /** Public services' paths become API behaviours. */
    services: ServiceSettings[];
    /** The stack has a database: add WAF's SQL-injection rule group. */
    database: boolean;
    logRetentionDays: number;
    forceDestroy: boolean;
    protectData: boolean;
    network: Pick<NetworkHandle, "vpcId" | "securityGroups">;
    data: Pick<DataHandle, "buckets">;
    /** Its load balancer, when a service is public: the API origin (a VPC origin). Without one the distribution serves the frontend alone. */
    compute: Pick<ComputeHandle, "loadBalancer" | "certificateValidationFqdn">;
    /** The edge's part in moving the site's name to a recovery stack (README "Failover routing"). @default - none */
    failover?: EdgeFailoverArgs;
}

/** What the edge exposes to monitoring and the stack outputs. */
export interface EdgeHandle {
    distributionId: pulumi.Output<string>;
    distributionArn: pulumi.Output<string>;
    /** `dxxxx.cloudfront.net`: the alias target, and the site's host without a domain. */
    distributionDomainName: pulumi.Output<string>;
    webAclName: pulumi.Output<string>;
    /** The web ACL's CloudWatch metric name: the `WebACL` dimension of its AWS/WAFV2 metrics (its visibility config's metricName, not its name). */
    webAclMetricName: pulumi.Output<string>;
    webAclArn: pulumi.Output<string>;
    /** Route 53 health check on https://<site>/health (prod), or undefined. Its metrics live in us-east-1. */
    healthCheckId: pulumi.Output<string> | undefined;
    frontendBucketName: pulumi.Output<string>;
    /** https://<domain> or https://<distribution>.cloudfront.net */
    siteUrl: pulumi.Output<string>;
    /** The services' base URL: the same host (the API is routed by path). */
    apiUrl: pulumi.Output<string>;
    /** Commands that publish a frontend build from ./dist, in order. */
    publishCommands: pulumi.Output<string[]>;
    /** The failover role and what its runbook needs (README "Failover routing"). */
    failover: pulumi.Output<FailoverOutput>;
}

const HANDLE: Record<keyof EdgeHandle, true> = {
    distributionId: true,
    distributionArn: true,
    distributionDomainName: true,
    webAclName: true,
    webAclMetricName: true,
    webAclArn: true,
    healthCheckId: true,
    frontendBucketName: true,
    siteUrl: true,
    apiUrl: true,
    publishCommands: true,
    failover: true,
};

/** API path patterns in the order the load balancer evaluates them (rule priority), each once. */
export function apiPaths(services: readonly ServiceSettings[]): string[] {
    const routed = services.filter((s) => s.expose === "public").sort((a, b) => rulePriority(a) - rulePriority(b));
    return [...new Set(routed.flatMap((s) => s.paths))];
}

/**
 * The shell commands that publish a build in ./dist: hashed assets first (long-lived), then
 * index.html (no-cache), then the invalidation of the shell, and only then `--delete` of files the new
 * build no longer has (the old shell may still reference them until the invalidation completes).
 */
export function publishCommands(bucket: string, distributionId: string): string[] {
    return [
        `aws s3 sync ./dist s3://${bucket} --exclude index.html --cache-control "public,max-age=31536000,immutable"`,
        `aws s3 cp ./dist/index.html s3://${bucket}/index.html --cache-control "no-cache"`,
        `aws cloudfront create-invalidation --distribution-id ${distributionId} --paths "/index.html" "/"`,
        `aws s3 sync ./dist s3://${bucket} --delete --exclude index.html --cache-control "public,max-age=31536000,immutable"`,
    ];
}

/**
 * The stack's public entry: one CloudFront distribution serving the frontend (S3 through origin
 * access control, SPA routing by a CloudFront Function) and the services' public paths (the internal
 * load balancer through a CloudFront VPC origin, never cached; without public services there is no
 * load balancer and no API origin), behind a CLOUDFRONT-scope WAF web ACL.
 * With a domain: a us-east-1 certificate, DNS validation, alias A/AAAA records, and (prod) a Route 53
 * health check on /health; as a failover secondary, what moving the primary's site name here needs (./failover.ts).
 *
 * Rough monthly cost before traffic (us-east-1 list prices, reference/aws-prices.md): web ACL $5 +
 * $1 per rule (5 rules with a database: $10) + $0.60 per million requests; the WAF logs key $1;
 * CloudFront $0.085/GB and $0.01 per 10k HTTPS requests (US); Route 53 health check $0.50 (AWS
 * endpoint; first 50 free); the VPC origin costs nothing extra; the frontend bucket pennies.
 */
export class Edge extends pulumi.ComponentResource implements EdgeHandle {
    readonly distributionId: pulumi.Output<string>;
    readonly distributionArn: pulumi.Output<string>;
    readonly distributionDomainName: pulumi.Output<string>;
    readonly webAclName: pulumi.Output<string>;
    readonly webAclMetricName: pulumi.Output<string>;
    readonly webAclArn: pulumi.Output<string>;
    /** Undefined where the stack has no health check (known at synthesis: monitoring alarms on it only then). */
    readonly healthCheckId: pulumi.Output<string> | undefined;
    readonly frontendBucketName: pulumi.Output<string>;
    readonly siteUrl: pulumi.Output<string>;
    readonly apiUrl: pulumi.Output<string>;
    readonly publishCommands: pulumi.Output<string[]>;
    readonly failover: pulumi.Output<FailoverOutput>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);

        const bucket = createFrontendBucket(name, { forceDestroy: args.forceDestroy, protectData: args.protectData, logsBucketName: args.data.buckets.logsName }, this);
        const pieces = createFrontendPieces(name, this);
        const waf = createWaf(
            name,
            { scope: args.scope, rateLimitPerIp: args.settings.rateLimitPerIp, database: args.database, logRetentionDays: args.logRetentionDays, protectData: args.protectData },
            this,
        );
        const loadBalancer = args.compute.loadBalancer;
        const api = loadBalancer && { loadBalancer, vpcOrigin: this.createVpcOrigin(name, args, loadBalancer) };
        const certificateArn = this.certificate(name, args);
        const uploads = args.settings.uploads && { path: args.settings.uploads.path, pieces: createUploadsPieces(name, this) };
        const failover = args.failover ?? { role: "none" };
        const distribution = this.createDistribution(name, args, { bucket: bucket.bucket, pieces, webAclArn: waf.webAcl.arn, api, uploads, certificateArn, failover });
        frontendBucketPolicy(name, bucket, distribution.arn, this);
        if (api) this.admitVpcOrigin(name, args, [api.vpcOrigin, distribution]);
        const healthCheck = this.createHealthCheck(name, args, distribution);
        if (args.domain?.hostedZoneId !== undefined) {
            createSiteRecords(name, { zoneId: args.domain.hostedZoneId, siteName: args.domain.name, failover, distribution }, this);
        }

        this.distributionId = distribution.id;
        this.distributionArn = distribution.arn;
        this.distributionDomainName = distribution.domainName;
        this.webAclName = waf.webAcl.name;
        this.webAclMetricName = waf.webAcl.visibilityConfig.metricName;
        this.webAclArn = waf.webAcl.arn;
        this.healthCheckId = healthCheck?.id;
        this.frontendBucketName = bucket.bucket.bucket;
        this.siteUrl = args.domain ? pulumi.output(`https://${args.domain.name}`) : pulumi.interpolate`https://${distribution.domainName}`;
        this.apiUrl = this.siteUrl;
        this.publishCommands = pulumi.all([bucket.bucket.bucket, distribution.id]).apply(([b, id]) => publishCommands(b, id));
        this.failover = failoverOutput(failover, { name: args.domain?.name, zoneId: args.domain?.hostedZoneId }, distribution, healthCheck);

        this.registerOutputs(pickHandle<EdgeHandle>(this, HANDLE));
    }

    /**
     * The load balancer as a VPC origin: HTTPS with a domain (the load balancer's certificate covers it),
     * plain HTTP without one (dev: the load balancer has no certificate; the hop stays inside the VPC).
     */
    private createVpcOrigin(name: string, args: EdgeArgs, loadBalancer: LoadBalancerRef): aws.cloudfront.VpcOrigin {
        return new aws.cloudfront.VpcOrigin(
            childName(name, "alb-origin"),
            {
                vpcOriginEndpointConfig: {
                    name: namePrefix(args.scope),
                    arn: loadBalancer.arn,
                    httpPort: PORTS.http,
                    httpsPort: PORTS.https,
                    originProtocolPolicy: args.domain ? "https-only" : "http-only",
                    originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
                },
            },
            { parent: this },
        );
    }

    /** The viewer certificate in us-east-1: issued in the hosted zone, or brought (edge.certificateArn, else domain.certificateArn when the stack is in us-east-1). */
    private certificate(name: string, args: EdgeArgs): pulumi.Input<string> | undefined {
        const d = args.domain;
        if (!d) return undefined;
        if (d.hostedZoneId !== undefined) {
            // A secondary's certificate covers its primary's site name too: CloudFront moves a name only to a distribution
            // whose certificate covers it (the primary's certificate owns that name's validation record).
            const failover = args.failover;
            const alternativeNames = failover?.role === "secondary" ? [failover.primary.apply((p) => p.siteName)] : undefined;
            // Same name, same account: ACM asks for the load balancer certificate's CNAME, which compute owns.
            return createDnsCertificate(childName(name, "site"), { domainName: d.name, zoneId: d.hostedZoneId, region: EDGE_REGION, validationRecordFqdn: args.compute.certificateValidationFqdn, alternativeNames }, this).arn;
        }
        return args.settings.certificateArn ?? d.certificateArn;
    }

    private createDistribution(
        name: string,
        args: EdgeArgs,
        parts: {
            bucket: aws.s3.Bucket;
            pieces: ReturnType<typeof createFrontendPieces>;
            webAclArn: pulumi.Output<string>;
            /** The API origin: the load balancer through its VPC origin (no public service: none). */
            api?: { loadBalancer: LoadBalancerRef; vpcOrigin: aws.cloudfront.VpcOrigin };
            /** The uploads bucket at its path (edge.uploads): read-only, cached (uploads.ts). */
            uploads?: { path: string; pieces: UploadsPieces };
            certificateArn?: pulumi.Input<string>;
            /** The edge's failover role (an active secondary also lists the primary's site name). */
            failover: EdgeFailoverArgs;
        },
    ): aws.cloudfront.Distribution {
        const { pieces, api, uploads } = parts;
        const paths = api ? apiPaths(args.services) : [];
        return new aws.cloudfront.Distribution(
            childName(name, "cdn"),
            {
                enabled: true,
                comment: `${namePrefix(args.scope)}: frontend and API`,
                aliases: siteAliases(args.domain?.name, parts.failover),
                defaultRootObject: "index.html",
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: args.settings.priceClass,
                webAclId: parts.webAclArn,
                origins: [
                    { originId: FRONTEND_ORIGIN, domainName: parts.bucket.bucketRegionalDomainName, originAccessControlId: pieces.oac.id },
                    ...(api ? [{ originId: API_ORIGIN, domainName: api.loadBalancer.dnsName, vpcOriginConfig: { vpcOriginId: api.vpcOrigin.id } }] : []),
                    ...(uploads ? [uploadsOrigin(args.data.buckets.uploadsRegionalDomainName, uploads.pieces)] : []),
                ],
                defaultCacheBehavior: {
                    targetOriginId: FRONTEND_ORIGIN,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: pieces.cachePolicy.id,
                    responseHeadersPolicyId: pieces.headers.id,
                    functionAssociations: [{ eventType: "viewer-request", functionArn: pieces.spaRouting.arn }],
                },
                // Config keeps the uploads path clear of every API path (config/rules/edge.ts), so their order does not matter.
                orderedCacheBehaviors: [
                    ...paths.map((pathPattern) => ({
                        pathPattern,
                        targetOriginId: API_ORIGIN,
                        viewerProtocolPolicy: "redirect-to-https",
                        allowedMethods: ALL_METHODS,
                        cachedMethods: ["GET", "HEAD"],
                        compress: true,
                        cachePolicyId: MANAGED_POLICIES.cachingDisabled,
                        originRequestPolicyId: MANAGED_POLICIES.allViewer,
                        responseHeadersPolicyId: pieces.headers.id,
                    })),
                    ...(uploads ? [uploadsBehaviour(uploads.path, uploads.pieces)] : []),
                ],
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: parts.certificateArn
                    ? { acmCertificateArn: parts.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: VIEWER_TLS_POLICY }
                    : { cloudfrontDefaultCertificate: true },
                // Standard logging to the logs bucket (ACLs enabled there for this writer), under its own prefix.
                loggingConfig: { bucket: pulumi.interpolate`${args.data.buckets.logsName}.s3.amazonaws.com`, prefix: LOG_PREFIXES.cloudfront, includeCookies: false },
            },
            { parent: this },
        );
    }

    /**
     * The load balancer admits CloudFront's VPC-origin security group, on the one port the origin uses.
     * CloudFront creates that group with the VPC origin, so it is looked up afterwards.
     */
    private admitVpcOrigin(name: string, args: EdgeArgs, after: pulumi.Resource[]): void {
        const cloudFront = aws.ec2.getSecurityGroupOutput(
            {
                filters: [
                    { name: "group-name", values: [VPC_ORIGIN_SECURITY_GROUP] },
                    { name: "vpc-id", values: [args.network.vpcId] },
                ],
            },
            { parent: this, dependsOn: after },
        );
        const port = args.domain ? PORTS.https : PORTS.http;
        new aws.vpc.SecurityGroupIngressRule(
            childName(name, `lb-from-cloudfront-${port}`),
            {
                securityGroupId: args.network.securityGroups.loadBalancer,
                referencedSecurityGroupId: cloudFront.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: `CloudFront VPC origins to load balancer on ${port}`,
            },
            { parent: this },
        );
    }

    /** HTTPS GET of https://<site>/health every 30 s, unhealthy after 3 failures (monitoring alarms on it, in us-east-1). */
    private createHealthCheck(name: string, args: EdgeArgs, distribution: aws.cloudfront.Distribution): aws.route53.HealthCheck | undefined {
        // Only a service answers /health; without one the SPA would answer 200 (config refuses that where public services exist).
        if (!args.settings.healthCheck || !apiPaths(args.services).includes("/health")) return undefined;
        return new aws.route53.HealthCheck(
            childName(name, "health"),
            {
                type: "HTTPS",
                fqdn: args.domain ? args.domain.name : distribution.domainName,
                port: PORTS.https,
                resourcePath: "/health",
                enableSni: true,
                requestInterval: 30,
                failureThreshold: 3,
            },
            { parent: this },
        );
    }
}
