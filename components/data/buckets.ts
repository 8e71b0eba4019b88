import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StorageSettings } from "../../config";
import type { PolicyStatement } from "../shared/iam";
import { LOG_PREFIXES } from "../shared/logs";
import { statefulOptions } from "../shared/protection";
import { albLogDeliveryPrincipals } from "./log-delivery";
import { cloudFrontReadsUploads, UploadsCdn } from "./uploads-cdn";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

export interface HardenedBucketArgs {
    /** SSE-KMS with this key; without one, SSE-S3 (what ALB and S3 log delivery require). */
    kmsKeyArn?: pulumi.Input<string>;
    versioned: boolean;
    /** `BucketOwnerEnforced` (ACLs off) unless a log writer needs ACLs. */
    objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    lifecycle: LifecycleRule[];
    /** Server access logs go here (bucket name + prefix); the log bucket itself has none. */
    accessLogs?: { bucket: pulumi.Input<string>; prefix: string };
    /** Statements added to the TLS-only policy (e.g. log delivery). */
    extraStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
    forceDestroy: boolean;
    protectData: boolean;
    /** A fixed physical name (a replication destination another stack derives). @default - auto-named from the logical name */
    bucketName?: pulumi.Input<string>;
}

/** Deny any request not made over TLS (FSBP S3.5). */
export function tlsOnlyStatement(bucketArn: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export const ABORT_INCOMPLETE_UPLOADS: LifecycleRule = {
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: {},
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};

/**
 * A bucket with every guard on: all public access blocked, object ownership, default encryption,
 * TLS-only policy, lifecycle, server access logging. One place, so no bucket can miss one.
 */
export function createHardenedBucket(name: string, args: HardenedBucketArgs, parent: pulumi.Resource): HardenedBucket {
    const guarded = createGuardedBucket(name, args, parent);
    const policy = attachBucketPolicy(name, guarded, args.extraStatements?.(guarded.bucket.arn) ?? [], parent);
    return { bucket: guarded.bucket, policy, versioning: guarded.versioning };
}

/** A hardened bucket before its policy: for a bucket whose policy names something created after it (a CloudFront distribution reading it through OAC). */
export interface GuardedBucket {
    bucket: aws.s3.Bucket;
    publicAccess: aws.s3.BucketPublicAccessBlock;
    /** Versioning, when on (what a replication configuration must wait for). */
    versioning?: aws.s3.BucketVersioning;
}

/** Every guard of createHardenedBucket except the policy; attach it with attachBucketPolicy. */
export function createGuardedBucket(name: string, args: Omit<HardenedBucketArgs, "extraStatements">, parent: pulumi.Resource): GuardedBucket {
    const bucket = new aws.s3.Bucket(name, { ...(args.bucketName !== undefined ? { bucket: args.bucketName } : {}), forceDestroy: args.forceDestroy }, { parent, ...statefulOptions(args.protectData) });
    const opts = { parent };

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: args.objectOwnership } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [
                args.kmsKeyArn
                    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ],
        },
        opts,
    );
    const versioning = args.versioned ? new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts) : undefined;
    new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: [...args.lifecycle, ABORT_INCOMPLETE_UPLOADS] }, opts);
    if (args.accessLogs) {
        new aws.s3.BucketLogging(
            name,
            { bucket: bucket.id, targetBucket: args.accessLogs.bucket, targetPrefix: args.accessLogs.prefix },
            opts,
        );
    }
    return { bucket, publicAccess, versioning };
}

/** The bucket's policy: TLS only (FSBP S3.5) plus `extra` statements. */
export function attachBucketPolicy(name: string, guarded: GuardedBucket, extra: PolicyStatement[], parent: pulumi.Resource): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
        name,
        {
            bucket: guarded.bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [tlsOnlyStatement(guarded.bucket.arn), ...extra],
            }),
        },
        // A policy granting a service principal counts as "public" to the block until it exists.
        { parent, dependsOn: [guarded.publicAccess] },
    );
}

export interface HardenedBucket {
    bucket: aws.s3.Bucket;
    policy: aws.s3.BucketPolicy;
    versioning?: aws.s3.BucketVersioning;
}

export interface Buckets {
    uploads: HardenedBucket;
    logs: HardenedBucket;
}

/**
 * S3 never transitions objects of 128 KiB or less by default, and Glacier Flexible Retrieval bills
 * 90 days minimum plus per-object overhead: transition rules state the size floor explicitly.
 */
export const GLACIER_MIN_OBJECT_BYTES = 131072;

/**
 * Logs bucket: objects over 128 KiB go to Glacier after `toGlacierDays` (0: never); every object,
 * whatever its size, expires after `expireDays`. Two rules, because a size filter on the expiry
 * would keep small log files forever.
 */
export function logsLifecycle(s: StorageSettings["logs"]): LifecycleRule[] {
    return [
        ...(s.toGlacierDays > 0
            ? [
                  {
                      id: "logs-to-glacier",
                      status: "Enabled",
                      filter: { objectSizeGreaterThan: GLACIER_MIN_OBJECT_BYTES },
                      transitions: [{ days: s.toGlacierDays, storageClass: "GLACIER" }],
                  },
              ]
            : []),
        { id: "logs-expire", status: "Enabled", filter: {}, expiration: { days: s.expireDays } },
    ];
}

/**
 * Uploads bucket (versioned): noncurrent versions over 128 KiB go to Glacier after
 * `noncurrentToGlacierDays` (0: never); every noncurrent version expires after
 * `noncurrentExpireDays`, and delete markers with nothing behind them are removed. Current objects stay.
 */
export function uploadsLifecycle(s: StorageSettings["uploads"]): LifecycleRule[] {
    return [
        ...(s.noncurrentToGlacierDays > 0
            ? [
                  {
                      id: "noncurrent-to-glacier",
                      status: "Enabled",
                      filter: { objectSizeGreaterThan: GLACIER_MIN_OBJECT_BYTES },
                      noncurrentVersionTransitions: [{ noncurrentDays: s.noncurrentToGlacierDays, storageClass: "GLACIER" }],
                  },
              ]
            : []),
        {
            id: "noncurrent-expire",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: s.noncurrentExpireDays },
            expiration: { expiredObjectDeleteMarker: true },
        },
    ];
}

/**
 * `logs`: target for S3 server access logs, ALB access logs and CloudFront standard logs. SSE-S3,
 * because ALB log delivery supports nothing else; ACLs stay possible (BucketOwnerPreferred) because
 * CloudFront standard logging writes through an ACL grant. Lifecycle: logsLifecycle.
 * `uploads`: user files. SSE-KMS with the data key, versioned, ACLs off. Lifecycle: uploadsLifecycle.
 */
export function createBuckets(
    name: string,
    args: {
        settings: StorageSettings;
        region: string;
        dataKeyArn: pulumi.Input<string>;
        accountId: pulumi.Input<string>;
        protectData: boolean;
        /** The uploads bucket's fixed name (a recovery stack's: its primary replicates there). @default - auto-named */
        uploadsBucketName?: pulumi.Input<string>;
        /** Reads through the edge's CloudFront distribution (edge.uploads; uploads-cdn.ts). @default - none */
        uploadsCdn?: UploadsCdn;
    },
    parent: pulumi.Resource,
): Buckets {
    const s = args.settings;

    const logs = createHardenedBucket(
        `${name}-logs`,
        {
            versioned: false,
            objectOwnership: "BucketOwnerPreferred",
            lifecycle: logsLifecycle(s.logs),
            extraStatements: (arn) => [
                {
                    Sid: "S3ServerAccessLogs",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${arn}/${LOG_PREFIXES.s3}*`,
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                },
                // Regions opened before August 2022 deliver from the regional ELB account, all regions
                // through the log-delivery service principal (log-delivery.ts).
                ...albLogDeliveryPrincipals(args.region).map((principal): PolicyStatement => ({
                    Sid: "AWS" in principal ? "AlbAccessLogsRegionalAccount" : "AlbAccessLogsDeliveryService",
                    Effect: "Allow",
                    Principal: principal,
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${arn}/${LOG_PREFIXES.alb}/AWSLogs/${args.accountId}/*`,
                })),
            ],
            forceDestroy: s.forceDestroy,
            protectData: args.protectData,
        },
        parent,
    );

    const uploads = createHardenedBucket(
        `${name}-uploads`,
        {
            kmsKeyArn: args.dataKeyArn,
            versioned: true,
            objectOwnership: "BucketOwnerEnforced",
            lifecycle: uploadsLifecycle(s.uploads),
            accessLogs: { bucket: logs.bucket.bucket, prefix: `${LOG_PREFIXES.s3}uploads/` },
            // Read through CloudFront (edge.uploads): the distribution, on the served key prefix only (uploads-cdn.ts).
            ...(args.uploadsCdn ? { extraStatements: (arn: pulumi.Output<string>) => [cloudFrontReadsUploads(arn, args.uploadsCdn!)] } : {}),
            forceDestroy: s.forceDestroy,
            protectData: args.protectData,
            bucketName: args.uploadsBucketName,
        },
        parent,
    );
    return { uploads, logs };
}
