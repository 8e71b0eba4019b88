import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupSettings, CacheSettings, DatabaseSettings, StorageSettings } from "../../config";
import { createBackup } from "./backup";
import { createBuckets } from "./buckets";
import { createCache } from "./cache";
import { createDatabase } from "./database";
import { createKeys } from "./keys";

export { statefulOptions } from "./protection";

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
    /** Physical-name prefix for fixed names (RDS identifier, key aliases): `<project>-<stack>`, unique per account and region. */
    namePrefix: string;
    privateSubnetIds: pulumi.Input<string[]>;
    dataSecurityGroupId: pulumi.Input<string>;
    /**
     * The app tier's security group. The database password-rotation function runs in it, because it
     * needs exactly the app tier's reach: PostgreSQL in the data SG and HTTPS (Secrets Manager, via NAT).
     */
    appSecurityGroupId: pulumi.Input<string>;
}

/**
 * The stack's state: encryption keys, PostgreSQL (primary + replicas, master credentials in Secrets
 * Manager rotated every 30 days), the cache, the uploads and logs buckets, and AWS Backup for the database.
 *
 * Rough monthly cost, us-east-1 list prices (../shared/reference/aws-prices.md), before traffic and
 * storage growth: dev ≈ $35 (db.t4g.micro single-AZ, cache.t4g.micro, 2 keys); prod ≈ $700
 * (db.m7g.large Multi-AZ + replica, 2× cache.m7g.large, 3 keys, backups).
 */
export class Data extends pulumi.ComponentResource {
    readonly dbEndpoint: pulumi.Output<string>;
    readonly dbReaderEndpoints: pulumi.Output<string[]>;
    readonly dbPort: pulumi.Output<number>;
    readonly dbName: pulumi.Output<string>;
    readonly dbSecretArn: pulumi.Output<string>;
    readonly dbArn: pulumi.Output<string>;
    readonly cacheEndpoint: pulumi.Output<string>;
    readonly cacheReaderEndpoint: pulumi.Output<string>;
    readonly cacheAuthSecretArn: pulumi.Output<string>;
    readonly uploadsBucketName: pulumi.Output<string>;
    readonly uploadsBucketArn: pulumi.Output<string>;
    readonly logsBucketName: pulumi.Output<string>;
    readonly logsBucketReadyName: pulumi.Output<string>;
    readonly dataKeyArn: pulumi.Output<string>;
    readonly logsKeyArn: pulumi.Output<string>;
    readonly backupVaultName: pulumi.Output<string>;

    constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Data", name, {}, opts);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // Keys and the vault outlive a `pulumi destroy` whenever backups do (final snapshot, kept
        // automated backups): without the key those backups could never be restored.
        const keepBackups = args.protectData || args.database.finalSnapshot;
        const keys = createKeys(name, args.namePrefix, args.region, accountId, { protectData: args.protectData, keepOnDestroy: keepBackups }, this);
        const database = createDatabase(
            name,
            {
                settings: args.database,
                region: args.region,
                namePrefix: args.namePrefix,
                privateSubnetIds: args.privateSubnetIds,
                dataSecurityGroupId: args.dataSecurityGroupId,
                appSecurityGroupId: args.appSecurityGroupId,
                dataKeyArn: keys.data.arn,
                logsKeyArn: keys.logs.arn,
                logRetentionDays: args.logRetentionDays,
                protectData: args.protectData,
            },
            this,
        );
        const cache = createCache(
            name,
            {
                settings: args.cache,
                privateSubnetIds: args.privateSubnetIds,
                dataSecurityGroupId: args.dataSecurityGroupId,
                dataKeyArn: keys.data.arn,
                protectData: args.protectData,
            },
            this,
        );
        const buckets = createBuckets(
            name,
            { settings: args.storage, region: args.region, dataKeyArn: keys.data.arn, accountId, protectData: args.protectData },
            this,
        );
        const backup = createBackup(
            name,
            { settings: args.backup, resources: [database.primary.arn], dataKeyArn: keys.data.arn, accountId, protectData: args.protectData, keepOnDestroy: keepBackups },
            this,
        );

        this.dbEndpoint = database.primary.address;
        this.dbReaderEndpoints = pulumi.all(database.replicas.map((r) => r.address));
        this.dbPort = database.primary.port;
        this.dbName = pulumi.output(args.database.dbName);
        this.dbSecretArn = database.secretArn;
        this.dbArn = database.primary.arn;
        this.cacheEndpoint = cache.group.primaryEndpointAddress;
        this.cacheReaderEndpoint = cache.group.readerEndpointAddress;
        this.cacheAuthSecretArn = cache.authSecretArn;
        this.uploadsBucketName = buckets.uploads.bucket.bucket;
        this.uploadsBucketArn = buckets.uploads.bucket.arn;
        this.logsBucketName = buckets.logs.bucket.bucket;
        // Resolves only once the bucket policy that admits log writers exists: the ALB checks that it
        // can write when access logging is turned on.
        this.logsBucketReadyName = pulumi.all([buckets.logs.bucket.bucket, buckets.logs.policy.id]).apply(([bucket]) => bucket);
        this.dataKeyArn = keys.data.arn;
        this.logsKeyArn = keys.logs.arn;
        this.backupVaultName = backup.vault.name;

        this.registerOutputs({
            dbEndpoint: this.dbEndpoint,
            dbSecretArn: this.dbSecretArn,
            cacheEndpoint: this.cacheEndpoint,
            cacheAuthSecretArn: this.cacheAuthSecretArn,
            uploadsBucketName: this.uploadsBucketName,
            logsBucketName: this.logsBucketName,
        });
    }
}
