/**
 * What each tier gets when the stack file says nothing. A stack file may override any of these
 * (inside the limits in schema.ts); rules/ refuses overrides that are unsafe for the tier (prod: rules/prod.ts).
 * Sources: the team design notes (tier table, also the README stack matrix) and the deployment-strategy seeds (30-day backups, Multi-AZ, read replicas).
 */
import type { MonitoringSettings, Settings, Tier } from "./settings";

/** Everything a tier decides; a stack file overrides field by field. */
export type TierDefaults = Pick<Settings, "protectData" | "network" | "logs" | "database" | "cache" | "storage" | "backup" | "compute" | "edge">;

const DAILY_05_UTC = "cron(0 5 * * ? *)";

export const TIER_DEFAULTS: Record<Tier, TierDefaults> = {
    dev: {
        protectData: false,
        network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "instance" },
        logs: { retentionDays: 7 },
        database: {
            instanceClass: "db.t4g.micro",
            engineVersion: "17",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 100,
            multiAz: false,
            readReplicas: 0,
            backupRetentionDays: 7,
            deletionProtection: false,
            finalSnapshot: false,
            monitoringIntervalSeconds: 0,
            dbName: "app",
            applyImmediately: true,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.micro", nodes: 1, clusterMode: false, shards: 1, replicasPerShard: 0, snapshotRetentionDays: 1, applyImmediately: true },
        storage: {
            forceDestroy: true,
            // Glacier bills 90 days minimum: anything deleted sooner stays in S3 Standard.
            uploads: { noncurrentToGlacierDays: 0, noncurrentExpireDays: 60 },
            logs: { toGlacierDays: 0, expireDays: 90 },
        },
        backup: { retentionDays: 7, schedule: DAILY_05_UTC, copyToRegion: "" },
        compute: { spot: true, keepReleases: 10, loadBalancerDeletionProtection: false, allowHttpWithoutDomain: true, defaultMinTasks: 1, defaultMaxTasks: 2, waitForSteadyState: false },
        edge: { priceClass: "PriceClass_100", rateLimitPerIp: 2000, healthCheck: false, failover: "none" },
    },
    staging: {
        protectData: false,
        network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "single" },
        logs: { retentionDays: 30 },
        database: {
            instanceClass: "db.t4g.small",
            engineVersion: "17",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 200,
            multiAz: false,
            readReplicas: 0,
            backupRetentionDays: 14,
            deletionProtection: true,
            finalSnapshot: true,
            monitoringIntervalSeconds: 0,
            dbName: "app",
            applyImmediately: true,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.small", nodes: 2, clusterMode: false, shards: 1, replicasPerShard: 1, snapshotRetentionDays: 3, applyImmediately: true },
        storage: {
            forceDestroy: false,
            uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 180 },
            logs: { toGlacierDays: 0, expireDays: 180 },
        },
        backup: { retentionDays: 14, schedule: DAILY_05_UTC, copyToRegion: "" },
        compute: { spot: false, keepReleases: 20, loadBalancerDeletionProtection: false, allowHttpWithoutDomain: false, defaultMinTasks: 2, defaultMaxTasks: 4, waitForSteadyState: true },
        edge: { priceClass: "PriceClass_100", rateLimitPerIp: 2000, healthCheck: false, failover: "none" },
    },
    prod: {
        protectData: true,
        network: { cidr: "10.0.0.0/16", azCount: 3, natGateways: "perAz" },
        logs: { retentionDays: 365 },
        database: {
            instanceClass: "db.m7g.large",
            engineVersion: "17",
            allocatedStorageGb: 100,
            maxAllocatedStorageGb: 1000,
            multiAz: true,
            readReplicas: 1,
            backupRetentionDays: 30,
            deletionProtection: true,
            finalSnapshot: true,
            monitoringIntervalSeconds: 60,
            dbName: "app",
            applyImmediately: false,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.m7g.large", nodes: 2, clusterMode: false, shards: 1, replicasPerShard: 1, snapshotRetentionDays: 7, applyImmediately: false },
        storage: {
            forceDestroy: false,
            uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 365 },
            logs: { toGlacierDays: 90, expireDays: 730 },
        },
        backup: { retentionDays: 30, schedule: DAILY_05_UTC, copyToRegion: "" },
        compute: { spot: false, keepReleases: 50, loadBalancerDeletionProtection: true, allowHttpWithoutDomain: false, defaultMinTasks: 2, defaultMaxTasks: 10, waitForSteadyState: true },
        // Every edge location (viewers worldwide), and a Route 53 health check on /health for alarms.
        edge: { priceClass: "PriceClass_All", rateLimitPerIp: 2000, healthCheck: true, failover: "none" },
    },
};

/**
 * Worker defaults per tier (kept apart from TIER_DEFAULTS: they apply per worker, not to a group).
 * Provisioned concurrency keeps http workers warm in prod (seed 002: warm functions before traffic);
 * it is billed while configured, so dev and staging get none.
 */
export const WORKER_TIER_DEFAULTS: Record<Tier, { httpProvisionedConcurrency: number }> = {
    dev: { httpProvisionedConcurrency: 0 },
    staging: { httpProvisionedConcurrency: 0 },
    prod: { httpProvisionedConcurrency: 1 },
};

/**
 * Monitoring per tier (kept apart from TIER_DEFAULTS like the worker defaults). Thresholds come from
 * the seeds where they name a number — 002: error rate > 1 % / > 5 %, response time > 1 s / > 3 s,
 * memory and DB connections > 80 % / > 95 %; 004: p95 > 1 s warning, p99 > 5 s critical, disk > 80 %,
 * rollback on error rate > 5 % and a 10 % canary — and are this program's choice where a seed only names
 * the signal (replication lag, queue age, worker duration, the second level of CPU and disk). Every
 * tier watches the same signals; dev routes everything to `warning` (seed 002: dev monitoring "Basic",
 * prod "Full + Alerts"), so nothing in dev pages anyone.
 */
export const MONITORING_TIER_DEFAULTS: Record<Tier, MonitoringSettings> = {
    dev: monitoringDefaults(true),
    staging: monitoringDefaults(false),
    prod: monitoringDefaults(false),
};

function monitoringDefaults(routeAllToWarning: boolean): MonitoringSettings {
    return {
        routeAllToWarning,
        // Dev: one topic, nobody paged; the critical level alone (README "Review tooling": idle cost).
        warningLevels: !routeAllToWarning,
        emails: { critical: [], warning: [] },
        httpsEndpoints: { critical: [], warning: [] },
        thresholds: {
            errorRatePercent: { warning: 1, critical: 5 },
            latencyP95Seconds: { warning: 1, critical: 3 },
            latencyP99Seconds: { warning: 3, critical: 5 },
            cpuPercent: { warning: 80, critical: 95 },
            memoryPercent: { warning: 80, critical: 95 },
            dbConnectionsPercent: { warning: 80, critical: 95 },
            dbCpuPercent: { warning: 80, critical: 95 },
            diskUsedPercent: { warning: 80, critical: 90 },
            replicationLagSeconds: { warning: 30, critical: 300 },
            cacheCpuPercent: { warning: 80, critical: 95 },
            workerDurationPercent: { warning: 80, critical: 95 },
            queueAgeSeconds: { warning: 300, critical: 900 },
        },
        deployment: { errorRatePercent: 5, latencyP99Seconds: 3 },
        canary: { enabled: false, services: [], percent: 10, canaryBakeMinutes: 10, bakeMinutes: 15 },
        tracing: true,
    };
}
