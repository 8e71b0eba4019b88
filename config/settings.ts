/**
 * The validated, fully resolved settings one stack deploys with. Components receive slices of this
 * (plain data, no Pulumi config access); only config/ knows how they were derived.
 */

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

/** awsx `NatGatewayStrategy`, in our words: one shared NAT gateway, or one per availability zone. */
export const NAT_STRATEGIES = ["single", "perAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

export interface NetworkSettings {
    /** VPC IPv4 CIDR block, /16 to /20, RFC 1918. */
    cidr: string;
    /** Availability zones the VPC spans (public + private subnet in each). */
    azCount: number;
    /** `single`: one shared NAT gateway (cheaper, one AZ's failure cuts egress); `perAz`: one per AZ. */
    natGateways: NatStrategy;
}

export interface LogSettings {
    /** Retention of every CloudWatch log group the stack creates (flow logs, services, database). */
    retentionDays: number;
}

export interface DatabaseSettings {
    /** RDS instance class, e.g. `db.t4g.micro`. */
    instanceClass: string;
    /** PostgreSQL major version; RDS applies minor versions automatically. */
    engineVersion: string;
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling. */
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    readReplicas: number;
    backupRetentionDays: number;
    deletionProtection: boolean;
    /** Take a uniquely named final snapshot when the instance is deleted. */
    finalSnapshot: boolean;
    /** Enhanced monitoring interval in seconds; 0 turns it off. */
    monitoringIntervalSeconds: number;
    /** Initial database name. */
    dbName: string;
    /** Apply modifications now (true) or in the weekly maintenance window (false). */
    applyImmediately: boolean;
}

export interface CacheSettings {
    engine: CacheEngine;
    /** Major.minor, e.g. `8.0` for Valkey or `7.1` for Redis OSS. */
    engineVersion: string;
    nodeType: string;
    /** Primary + replicas. Two or more turns on automatic failover and Multi-AZ. */
    nodes: number;
    snapshotRetentionDays: number;
}

export interface StorageSettings {
    /** Let `pulumi destroy` delete buckets that still hold objects (dev only). */
    forceDestroy: boolean;
    uploads: {
        /** Days after an object version becomes noncurrent before it moves to Glacier Flexible Retrieval. */
        noncurrentToGlacierDays: number;
        /** Days after an object version becomes noncurrent before it is deleted. */
        noncurrentExpireDays: number;
    };
    logs: {
        toGlacierDays: number;
        expireDays: number;
    };
}

export interface BackupSettings {
    /** Days AWS Backup keeps each daily recovery point. */
    retentionDays: number;
    /** AWS Backup schedule expression (UTC). */
    schedule: string;
    /** Copy each recovery point to a vault in this region; `""` for none. */
    copyToRegion: string;
}

export interface Settings {
    project: string;
    stack: string;
    tier: Tier;
    region: string;
    /** Tags on every resource through the provider's default tags: project, stack, tier + config `tags`. */
    tags: Record<string, string>;
    /** Pulumi `protect` and retain-on-delete for stateful resources (database, cache, buckets, keys, secrets). */
    protectData: boolean;
    network: NetworkSettings;
    logs: LogSettings;
    database: DatabaseSettings;
    cache: CacheSettings;
    storage: StorageSettings;
    backup: BackupSettings;
}
