import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupSettings, CacheSettings, DatabaseSettings, StorageSettings } from "../../config";
import { createBackup } from "./backup";
import { createBuckets } from "./buckets";
import { cacheEndpoint, createCache } from "./cache";
import { createDatabase } from "./database";
import { createKeys } from "./keys";
import { kmsAliasName, NameScope, namePrefix, replicaKeyAliasArn, uploadsBucketName } from "../naming";
import { createUploadsReplication, UPLOADS_REPLICATION_RULE } from "./replication";
import type { NetworkHandle } from "../network";
import type { ReplicaOf } from "./database";
import { cloudFrontDecryptsUploads, UploadsCdn } from "./uploads-cdn";
export type { UploadsCdn } from "./uploads-cdn";
import { pickHandle } from "../shared/handle";


export interface DataArgs {
    region: string;
    database: DatabaseSettings;
    cache: CacheSettings;
    storage: StorageSettings;
    backup: BackupSettings;
    /** Retention of the database's log groups, in days. */
    logRetentionDays: number;
    /** Pulumi `protect` + retain-on-delete on every stateful resource (prod). */
    protectData: boolean;
    /** Project and stack: fixed physical names (RDS identifier, key aliases) start `<project>-<stack>`, unique per account and region. */
    scope: NameScope;
    /**
     * Private subnets and security groups. The database password-rotation function runs in the app
     * tier's group, because it needs exactly the app tier's reach: PostgreSQL in the data SG and
     * HTTPS (Secrets Manager, via NAT).
     */
    network: Pick<NetworkHandle, "privateSubnetIds" | "securityGroups">;
    /** A recovery stack's database: a cross-region replica of the primary stack's, or its promotion (README "Disaster recovery"). */
    replicaOf?: ReplicaOf;
    /**
     * A primary's uploads replication (README "Disaster recovery"): the recovery stack (its scope) and
     * region whose uploads bucket receives this one's objects (replication.ts). @default - none
     */
    replicateUploadsTo?: { scope: NameScope; region: string };
    /**
     * The uploads served by the edge's CloudFront distribution (edge.uploads): its bucket policy and the
     * data key admit that distribution (uploads-cdn.ts). @default - none: uploads are reachable with IAM only
     */
    uploadsCdn?: UploadsCdn;
}

/** What the data tier exposes to later components (and the stack outputs). Secrets appear as ARNs only. */
export interface DataHandle {
    database: {
        /** Primary endpoint (host name). */
        endpoint: pulumi.Output<string>;
        /** Read-replica endpoints (empty where the tier has none). */
        readerEndpoints: pulumi.Output<string[]>;
        port: pulumi.Output<number>;
        /** Database created on the primary. */
        name: pulumi.Output<string>;
        /** Secrets Manager ARN of the master credentials (rotated). */
        secretArn: pulumi.Output<string>;
        /** ARN of the primary (a recovery stack's cross-region replica is created from it). */
        arn: pulumi.Output<string>;
        /** RDS identifiers (the `DBInstanceIdentifier` metric dimension) of the primary and the replicas. */
        identifier: pulumi.Output<string>;
        replicaIdentifiers: pulumi.Output<string[]>;
        /** The DB subnet group (the restore drill restores into it). */
        subnetGroupName: pulumi.Output<string>;
    };
    cache: {
        endpoint: pulumi.Output<string>;
        readerEndpoint: pulumi.Output<string>;
        /** Secrets Manager ARN of host, port and AUTH token. */
        authSecretArn: pulumi.Output<string>;
        /** The `ReplicationGroupId` metric dimension. */
        replicationGroupId: pulumi.Output<string>;
        /** Cluster mode: `endpoint` is the configuration endpoint and clients must be cluster-aware. */
        clusterMode: boolean;
    };
    buckets: {
        uploadsName: pulumi.Output<string>;
        uploadsArn: pulumi.Output<string>;
        /** `<bucket>.s3.<region>.amazonaws.com`: the uploads bucket as a CloudFront S3 origin. */
        uploadsRegionalDomainName: pulumi.Output<string>;
        logsName: pulumi.Output<string>;
        /** The logs bucket's name, resolving only once its policy admits log writers (the ALB checks it can write when logging is turned on). */
        logsReadyName: pulumi.Output<string>;
    };
    /** Customer-managed keys: data (database, cache, uploads, secrets, images, backups) and logs (CloudWatch Logs). */
    keys: { dataArn: pulumi.Output<string>; logsArn: pulumi.Output<string> };
    backupVaultName: pulumi.Output<string>;
    /** The role AWS Backup restores with (README "Runbook: monthly restore drill"). */
    backupRoleArn: pulumi.Output<string>;
    /**
     * The uploads' replication to the recovery stack (the `AWS/S3` replication metrics' dimensions), or
     * undefined where the stack replicates nothing.
     */
    uploadsReplication: { sourceBucket: pulumi.Output<string>; destinationBucket: pulumi.Output<string>; ruleId: string } | undefined;
}

const HANDLE: Record<keyof DataHandle, true> = { database: true, cache: true, buckets: true, keys: true, backupVaultName: true, backupRoleArn: true, uploadsReplication: true };

/**
 * The stack's state: encryption keys, PostgreSQL (primary + replicas, master credentials in Secrets
 * Manager rotated every 30 days), the cache, the uploads and logs buckets, and AWS Backup for the database.
 *
 * Rough monthly cost, us-east-1 list prices (AWS pricing pages, 2026), before traffic and
 * storage growth: dev ≈ $35 (db.t4g.micro single-AZ, cache.t4g.micro, 2 keys); prod ≈ $700
 * (db.m7g.large Multi-AZ + replica, 2× cache.m7g.large, 3 keys, backups).
 */
export class Data extends pulumi.ComponentResource implements DataHandle {
    readonly database: DataHandle["database"];
    readonly cache: DataHandle["cache"];
    readonly buckets: DataHandle["buckets"];
    readonly keys: DataHandle["keys"];
    readonly backupVaultName: pulumi.Output<string>;
    readonly backupRoleArn: pulumi.Output<string>;
    readonly uploadsReplication: DataHandle["uploadsReplication"];

    constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Data", name, {}, opts);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // Keys and the vault outlive a `pulumi destroy` whenever backups do (final snapshot, kept
        // automated backups): without the key those backups could never be restored.
        const prefix = namePrefix(args.scope);
        const { privateSubnetIds } = args.network;
        const { data: dataSecurityGroupId, app: appSecurityGroupId } = args.network.securityGroups;
        const keepBackups = args.protectData || args.database.finalSnapshot;
        const keys = createKeys(name, prefix, args.region, accountId, { protectData: args.protectData, keepOnDestroy: keepBackups }, this, args.uploadsCdn ? [cloudFrontDecryptsUploads(accountId)] : []);
        const database = createDatabase(
            name,
            {
                settings: args.database,
                region: args.region,
                namePrefix: prefix,
                privateSubnetIds,
                dataSecurityGroupId,
                appSecurityGroupId,
                dataKeyArn: keys.data.arn,
                logsKeyArn: keys.logs.arn,
                logRetentionDays: args.logRetentionDays,
                protectData: args.protectData,
                replicaOf: args.replicaOf,
            },
            this,
        );
        const cache = createCache(
            name,
            {
                settings: args.cache,
                privateSubnetIds,
                dataSecurityGroupId,
                dataKeyArn: keys.data.arn,
                protectData: args.protectData,
            },
            this,
        );
        const buckets = createBuckets(
            name,
            {
                settings: args.storage,
                region: args.region,
                dataKeyArn: keys.data.arn,
                accountId,
                protectData: args.protectData,
                // Every stack's uploads bucket has the name a primary's replication derives (uploadsBucketName()): a recovery
                // stack receives there, and a primary keeps its name when it takes the recovery role to fail back.
                uploadsBucketName: accountId.apply((id) => uploadsBucketName(args.scope, id)),
                uploadsCdn: args.uploadsCdn,
            },
            this,
        );
        const to = args.replicateUploadsTo;
        const destinationBucket = to && accountId.apply((id) => uploadsBucketName(to.scope, id));
        this.uploadsReplication = to && destinationBucket ? { sourceBucket: buckets.uploads.bucket.bucket, destinationBucket, ruleId: UPLOADS_REPLICATION_RULE } : undefined;
        if (to && destinationBucket) {
            createUploadsReplication(
                name,
                {
                    source: { bucket: buckets.uploads.bucket, versioning: buckets.uploads.versioning!, keyArn: keys.data.arn, region: args.region },
                    destination: {
                        bucketName: destinationBucket,
                        region: to.region,
                        keyAliasArn: accountId.apply((id) => replicaKeyAliasArn(to.scope, to.region, id)),
                        keyAlias: kmsAliasName(namePrefix(to.scope), "data"),
                    },
                    accountId,
                },
                this,
            );
        }
        const backup = createBackup(
            name,
            { settings: args.backup, resources: args.replicaOf && !args.replicaOf.promoted ? [] : [database.primary.arn], dataKeyArn: keys.data.arn, accountId, protectData: args.protectData, keepOnDestroy: keepBackups },
            this,
        );

        this.database = {
            endpoint: database.primary.address,
            readerEndpoints: pulumi.all(database.replicas.map((r) => r.address)),
            port: database.primary.port,
            name: pulumi.output(args.database.dbName),
            secretArn: database.secretArn,
            arn: database.primary.arn,
            identifier: database.primary.identifier,
            replicaIdentifiers: pulumi.all(database.replicas.map((r) => r.identifier)),
            subnetGroupName: database.primary.dbSubnetGroupName.apply((n) => n ?? ""),
        };
        this.cache = {
            endpoint: cacheEndpoint(cache.group, args.cache.clusterMode),
            // Cluster mode has no reader endpoint: clients read replicas through the configuration endpoint (READONLY).
            readerEndpoint: args.cache.clusterMode ? cacheEndpoint(cache.group, true) : cache.group.readerEndpointAddress,
            authSecretArn: cache.authSecretArn,
            replicationGroupId: cache.group.id,
            clusterMode: args.cache.clusterMode,
        };
        this.buckets = {
            uploadsName: buckets.uploads.bucket.bucket,
            uploadsArn: buckets.uploads.bucket.arn,
            uploadsRegionalDomainName: buckets.uploads.bucket.bucketRegionalDomainName,
            logsName: buckets.logs.bucket.bucket,
            logsReadyName: pulumi.all([buckets.logs.bucket.bucket, buckets.logs.policy.id]).apply(([bucket]) => bucket),
        };
        this.keys = { dataArn: keys.data.arn, logsArn: keys.logs.arn };
        this.backupVaultName = backup.vault.name;
        this.backupRoleArn = backup.role.arn;

        this.registerOutputs(pickHandle<DataHandle>(this, HANDLE));
    }
}
