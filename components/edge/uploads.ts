/**
 * The uploads bucket as a second S3 origin (`edge.uploads.path`): read-only (GET and HEAD), HTTPS
 * only, cached like any static file, through an origin access control of its own. The bucket policy
 * and the data key's grant that admit this distribution belong to the data tier
 * (components/data/uploads-cdn.ts): the bucket and its one policy are the data tier's.
 *
 * User files are served from the site's own host, so a file a user uploaded must never run as part of
 * the site: the behaviour's response headers add `Content-Security-Policy: default-src 'none'; sandbox`
 * (the file is its own opaque origin: no script, no form, no cookie of the site) and `nosniff`, on top
 * of the site's security headers. Images and video still display; embedding them in the site's pages
 * is unaffected (a CSP header on an embedded image does not apply to the page).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";
import { s3OriginAccessControl, SITE_SECURITY_HEADERS } from "./frontend";

/** Managed cache policy CachingOptimized (CloudFront Developer Guide, "Use managed cache policies"): TTL 1 s-1 year, 1 day by default or the object's Cache-Control; no cookie, header or query string in the key; gzip and brotli. */
export const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** What a user's file may do when opened from the site's host: nothing but display. */
export const UPLOADS_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

export const UPLOADS_ORIGIN = "uploads";

/** Read-only: the app writes uploads with its IAM role (services.<svc>.buckets), never through CloudFront. */
export const UPLOADS_METHODS = ["GET", "HEAD"];

export interface UploadsPieces {
    oac: aws.cloudfront.OriginAccessControl;
    headers: aws.cloudfront.ResponseHeadersPolicy;
}

/** The uploads origin's access control (SigV4, always signed) and its response headers (the site's, plus the sandbox CSP). */
export function createUploadsPieces(name: string, parent: pulumi.Resource): UploadsPieces {
    const opts = { parent };
    const oac = s3OriginAccessControl(childName(name, "uploads-oac"), "uploads", parent);
    const headers = new aws.cloudfront.ResponseHeadersPolicy(
        childName(name, "uploads-headers"),
        {
            comment: "User files: the site's security headers, and a sandbox CSP so no uploaded file runs as the site",
            securityHeadersConfig: { ...SITE_SECURITY_HEADERS, contentSecurityPolicy: { contentSecurityPolicy: UPLOADS_CSP, override: true } },
        },
        opts,
    );
    return { oac, headers };
}

/** The distribution's origin for the uploads bucket. */
export function uploadsOrigin(regionalDomainName: pulumi.Input<string>, pieces: UploadsPieces): aws.types.input.cloudfront.DistributionOrigin {
    return { originId: UPLOADS_ORIGIN, domainName: regionalDomainName, originAccessControlId: pieces.oac.id };
}

/** The cache behaviour for `path`: GET/HEAD, HTTPS only (no redirect: a file URL is never typed by hand), cached, compressed. */
export function uploadsBehaviour(path: string, pieces: UploadsPieces): aws.types.input.cloudfront.DistributionOrderedCacheBehavior {
    return {
        pathPattern: path,
        targetOriginId: UPLOADS_ORIGIN,
        viewerProtocolPolicy: "https-only",
        allowedMethods: UPLOADS_METHODS,
        cachedMethods: UPLOADS_METHODS,
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED,
        responseHeadersPolicyId: pieces.headers.id,
    };
}
