/**
 * The frontend's pieces: its bucket (private, reachable only through CloudFront origin access
 * control), the SPA routing function, and the cache and response-headers policies.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { attachBucketPolicy, createGuardedBucket, GuardedBucket } from "../data/buckets";
import { cloudFrontOacRead } from "../data/uploads-cdn";
import { childName } from "../naming";
import { LOG_PREFIXES } from "../shared/logs";

/**
 * Seed 001's TTLs for the frontend: default one hour, at most one day; min 0 so an origin's
 * `Cache-Control: no-cache` (index.html, see the publish commands) is honoured.
 */
export const FRONTEND_TTL = { minSeconds: 0, defaultSeconds: 3600, maxSeconds: 86400 } as const;

/** HSTS max-age: two years (hstspreload.org asks for at least one). */
export const HSTS_MAX_AGE_SECONDS = 63072000;

/** Days a replaced or deleted frontend file stays recoverable (noncurrent version) before it expires. */
export const FRONTEND_NONCURRENT_DAYS = 30;

/**
 * SPA routing, viewer-request on the default (frontend) behaviour only: a path whose last segment has
 * no file extension is an app route and gets the app shell. Files (`/assets/app.1a2b.js`) pass, and so
 * does everything routed to the API (other behaviours never run this function), so an API 404 or a
 * failing /health stays what the origin said. cloudfront-js-2.0.
 */
export const SPA_ROUTING_CODE = `function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.endsWith("/") || uri.lastIndexOf(".") < uri.lastIndexOf("/")) {
        request.uri = "/index.html";
    }
    return request;
}
`;

export interface FrontendBucketArgs {
    forceDestroy: boolean;
    protectData: boolean;
    /** Logs bucket name: server access logs go under LOG_PREFIXES.s3 + "frontend/". */
    logsBucketName: pulumi.Input<string>;
}

/**
 * The frontend bucket: versioned, SSE-S3, ACLs off, public access blocked, noncurrent versions expire
 * after FRONTEND_NONCURRENT_DAYS. SSE-S3 rather than the data key: the files are public by design (CloudFront serves
 * them to anyone), and SSE-KMS would need the key policy to admit cloudfront.amazonaws.com and a KMS
 * request per cache miss. Its policy is attached once the distribution exists (frontendBucketPolicy).
 */
export function createFrontendBucket(name: string, args: FrontendBucketArgs, parent: pulumi.Resource): GuardedBucket {
    return createGuardedBucket(
        childName(name, "frontend"),
        {
            versioned: true,
            objectOwnership: "BucketOwnerEnforced",
            lifecycle: [
                {
                    id: "noncurrent-expire",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: FRONTEND_NONCURRENT_DAYS },
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
            accessLogs: { bucket: args.logsBucketName, prefix: `${LOG_PREFIXES.s3}frontend/` },
            forceDestroy: args.forceDestroy,
            protectData: args.protectData,
        },
        parent,
    );
}

/** TLS only, and reads by this distribution alone, through origin access control (AWS:SourceArn). */
export function frontendBucketPolicy(name: string, bucket: GuardedBucket, distributionArn: pulumi.Input<string>, parent: pulumi.Resource): aws.s3.BucketPolicy {
    return attachBucketPolicy(
        childName(name, "frontend"),
        bucket,
        [cloudFrontOacRead("CloudFrontReadsThroughOac", bucket.bucket.arn, distributionArn)],
        parent,
    );
}

/** The security headers on every response of the site (HSTS 2 years, nosniff, DENY framing, referrer policy): the frontend's, the API's and the uploads' behaviours. */
export const SITE_SECURITY_HEADERS = {
    strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: false, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    xssProtection: { protection: true, modeBlock: true, override: true },
} satisfies aws.types.input.cloudfront.ResponseHeadersPolicySecurityHeadersConfig;

/** An origin access control for an S3 origin: SigV4, every request signed (what the pack's CloudFront.13 check and the bucket policies expect). */
export function s3OriginAccessControl(name: string, bucketRole: string, parent: pulumi.Resource): aws.cloudfront.OriginAccessControl {
    return new aws.cloudfront.OriginAccessControl(
        name,
        { description: `CloudFront reads the ${bucketRole} bucket (SigV4)`, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
        { parent },
    );
}

export interface FrontendPieces {
    oac: aws.cloudfront.OriginAccessControl;
    spaRouting: aws.cloudfront.Function;
    cachePolicy: aws.cloudfront.CachePolicy;
    headers: aws.cloudfront.ResponseHeadersPolicy;
}

/** Origin access control (SigV4, always signed), the SPA function, the frontend cache policy and the security headers. */
export function createFrontendPieces(name: string, parent: pulumi.Resource): FrontendPieces {
    const opts = { parent };
    const oac = s3OriginAccessControl(childName(name, "oac"), "frontend", parent);
    const spaRouting = new aws.cloudfront.Function(
        childName(name, "spa-routing"),
        { runtime: "cloudfront-js-2.0", comment: "SPA routing: app routes get /index.html (frontend behaviour only)", code: SPA_ROUTING_CODE, publish: true },
        opts,
    );
    const cachePolicy = new aws.cloudfront.CachePolicy(
        childName(name, "frontend-cache"),
        {
            comment: "Frontend: 1 h default, 1 day max (seed 001); compressed variants cached",
            minTtl: FRONTEND_TTL.minSeconds,
            defaultTtl: FRONTEND_TTL.defaultSeconds,
            maxTtl: FRONTEND_TTL.maxSeconds,
            parametersInCacheKeyAndForwardedToOrigin: {
                cookiesConfig: { cookieBehavior: "none" },
                headersConfig: { headerBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
            },
        },
        opts,
    );
    const headers = new aws.cloudfront.ResponseHeadersPolicy(
        childName(name, "security-headers"),
        {
            comment: "HSTS and the usual security headers on every response",
            securityHeadersConfig: SITE_SECURITY_HEADERS,
        },
        opts,
    );
    return { oac, spaRouting, cachePolicy, headers };
}
