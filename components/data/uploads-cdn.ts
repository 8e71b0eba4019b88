/**
 * The uploads bucket read through CloudFront (`edge.uploads`): what the data tier grants the edge's
 * distribution. The distribution reads with origin access control (SigV4, as cloudfront.amazonaws.com),
 * so both the bucket policy and the data key's policy must admit that service principal:
 *
 * - the bucket policy: `s3:GetObject` on the served key prefix only, with `AWS:SourceArn` = the
 *   distribution's ARN. The distribution is created after the data tier, so its ARN arrives as an
 *   output resolved later (components/platform.ts); the policy stays the data tier's one resource.
 * - the data key: `kms:Decrypt` for CloudFront on behalf of this account's distributions (SSE-KMS
 *   objects: CloudFront Developer Guide, "Restrict access to an Amazon S3 origin", SSE-KMS). Its source
 *   condition names the account's distribution ARNs (`distribution/*`), not the one distribution: the
 *   key exists before any distribution, and making it wait for one would make the database, cache,
 *   secrets and backups wait for CloudFront. What CloudFront may decrypt is still only what the
 *   bucket policy lets this one distribution read: S3 checks the bucket policy before it asks KMS.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../shared/iam";
import type { ServiceKeyGrant } from "../shared/kms";

export interface UploadsCdn {
    /** The distribution that serves the uploads (resolved once the edge exists). */
    distributionArn: pulumi.Input<string>;
    /** The object-key prefix it serves (`uploads/` for `/uploads/*`): it may read nothing else. */
    keyPrefix: string;
}

export const CLOUDFRONT_PRINCIPAL = "cloudfront.amazonaws.com";

/**
 * Bucket-policy statement: one distribution reads objects under `keyPrefix` (all by default) through
 * origin access control (`AWS:SourceArn`). The frontend bucket's and the uploads bucket's.
 */
export function cloudFrontOacRead(sid: string, bucketArn: pulumi.Input<string>, distributionArn: pulumi.Input<string>, keyPrefix = ""): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: CLOUDFRONT_PRINCIPAL },
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`${bucketArn}/${keyPrefix}*`,
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    };
}

/** Bucket-policy statement: this distribution reads the served prefix through origin access control. */
export function cloudFrontReadsUploads(bucketArn: pulumi.Input<string>, cdn: UploadsCdn): PolicyStatement {
    return cloudFrontOacRead("CloudFrontReadsUploadsThroughOac", bucketArn, cdn.distributionArn, cdn.keyPrefix);
}

/** Data-key grant: CloudFront may decrypt (GET of SSE-KMS objects, never encrypt) for this account's distributions only. */
export function cloudFrontDecryptsUploads(accountId: pulumi.Input<string>): ServiceKeyGrant {
    return {
        sid: "CloudFrontDecryptsUploads",
        service: CLOUDFRONT_PRINCIPAL,
        actions: ["kms:Decrypt"],
        when: [{ sourceAccount: accountId }, { sourceArn: pulumi.interpolate`arn:aws:cloudfront::${accountId}:distribution/*` }],
    };
}
