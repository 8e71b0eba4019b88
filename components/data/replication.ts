/**
 * S3 replication of the uploads bucket to the recovery stack's uploads bucket in another region
 * (README "Disaster recovery"). The replication configuration sits on the SOURCE bucket, so the primary
 * owns it; the destination bucket is the recovery stack's own uploads bucket (what its services use
 * after a failover), named by `uploadsBucketName()` — a pure function both stacks call, so the primary
 * never reads the recovery stack's outputs (the recovery stack already reads the primary's: a second
 * StackReference would close a cycle).
 *
 * The rule (S3 user guide, "Replicating objects"; API PutBucketReplication):
 * - V2 schema (a `filter`), because delete-marker replication exists only there; the filter is
 *   `prefix: ""` (every object) rather than `{}`, which SDKs have dropped from the request;
 * - delete markers replicated (a delete in the primary is a delete in the copy; versions stay, so a
 *   mistaken delete is still recoverable from the copy's noncurrent versions);
 * - SSE-KMS objects selected, replicas encrypted with the recovery stack's data key, named by its
 *   alias ARN (S3 accepts a key ARN or an alias ARN as ReplicaKmsKeyID; the alias resolves in the
 *   requester's account, ours);
 * - replication metrics on, Replication Time Control off: RTC adds $0.015/GB to the $0.02/GB
 *   inter-region transfer for a 15-minute SLA, and the uploads are not what bounds this stack's RPO
 *   (the database replica is). Metrics alone publish ReplicationLatency, BytesPendingReplication and
 *   OperationsFailedReplication (billed as CloudWatch custom metrics). S3 refuses a metrics event
 *   threshold without RTC ("Metrics cannot contain an event threshold when ReplicationTime is not
 *   specified or Disabled"), so none is set.
 *
 * Only objects written after the rule exists replicate; existing objects need one S3 Batch Replication
 * job (README runbook).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";
import { createServiceRole, PolicyStatement } from "../shared/iam";

export interface UploadsReplicationArgs {
    /** The source: the primary's uploads bucket, its versioning (replication needs it on first) and the key its objects are encrypted with. */
    source: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning; keyArn: pulumi.Input<string>; region: string };
    /** The destination: the recovery stack's uploads bucket (name derived), its region and its data key's alias ARN. */
    destination: { bucketName: pulumi.Input<string>; region: string; keyAliasArn: pulumi.Input<string>; keyAlias: string };
    accountId: pulumi.Input<string>;
}

/** The rule's id, as the replication metrics name it (the `RuleId` dimension). */
/** The replication rule's id: the `RuleId` dimension of its CloudWatch metrics. */
export const UPLOADS_REPLICATION_RULE = "uploads-to-recovery";

export interface UploadsReplication {
    role: aws.iam.Role;
    config: aws.s3.BucketReplicationConfig;
}

/** The replication role (least privilege) and the source bucket's replication configuration. */
export function createUploadsReplication(name: string, args: UploadsReplicationArgs, parent: pulumi.Resource): UploadsReplication {
    const destinationArn = pulumi.interpolate`arn:aws:s3:::${args.destination.bucketName}`;
    const { role, policy } = createServiceRole(
        childName(name, "uploads-replication"),
        {
            service: "s3.amazonaws.com",
            description: "S3 replicates the uploads bucket to the recovery stack's uploads bucket",
            sourceAccount: args.accountId,
            statements: replicationStatements({ ...args, destinationArn }),
        },
        parent,
    );
    const config = new aws.s3.BucketReplicationConfig(
        childName(name, "uploads"),
        {
            bucket: args.source.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: UPLOADS_REPLICATION_RULE,
                    status: "Enabled",
                    priority: 1,
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: destinationArn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: args.destination.keyAliasArn },
                        metrics: { status: "Enabled" },
                    },
                },
            ],
        },
        // S3 refuses a replication configuration on a bucket whose versioning is not enabled yet; the
        // role's policy must exist before S3 first assumes the role.
        { parent, dependsOn: [args.source.versioning, ...(policy ? [policy] : [])] },
    );
    return { role, config };
}

/**
 * What S3 needs to replicate SSE-KMS objects (S3 user guide, "Replicating encrypted objects": the
 * replication role's permissions), and nothing more: read the source's configuration and object
 * versions, replicate objects, deletes and tags into the destination only, decrypt with the source key
 * only through S3 in the source region for this bucket, encrypt with the destination key only through
 * S3 in the destination region for the destination bucket. Both encryption-context conditions name the
 * bucket ARN too: with S3 Bucket Keys (on for both buckets) the context is the bucket's ARN, not the object's.
 */
function replicationStatements(args: UploadsReplicationArgs & { destinationArn: pulumi.Input<string> }): PolicyStatement[] {
    const sourceArn = args.source.bucket.arn;
    const context = (bucketArn: pulumi.Input<string>) => [bucketArn, pulumi.interpolate`${bucketArn}/*`];
    return [
        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
        {
            Sid: "ReadSourceVersions",
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: pulumi.interpolate`${sourceArn}/*`,
        },
        {
            Sid: "WriteReplicas",
            Effect: "Allow",
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            Resource: pulumi.interpolate`${args.destinationArn}/*`,
        },
        {
            Sid: "DecryptSourceObjects",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: args.source.keyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${args.source.region}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": context(sourceArn) },
            },
        },
        {
            // The destination key is named by its alias (the primary cannot know its id without reading
            // the recovery stack): any key of the account in that region, but only the one carrying the alias.
            Sid: "EncryptReplicas",
            Effect: "Allow",
            Action: "kms:Encrypt",
            Resource: pulumi.interpolate`arn:aws:kms:${args.destination.region}:${args.accountId}:key/*`,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${args.destination.region}.amazonaws.com` },
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": args.destination.keyAlias },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": context(args.destinationArn) },
            },
        },
    ];
}
