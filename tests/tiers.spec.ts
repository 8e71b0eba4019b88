import * as assert from "node:assert/strict";
import { ofType, one, recordResourceOptions, settingsFor, stackRun, TIER_STACKS } from "./helpers";
import { tierOnly } from "./fixtures";

/**
 * Every tier default that matters for safety or cost, written out as literals: the README's stack
 * matrix, plus the fields it does not list, pinned at their reviewed values. A stack that names only
 * its tier gets exactly these. The second half checks the same values on what each committed stack
 * file synthesizes (those files override only the CIDR, prod's backup copy region and services).
 *
 * Each section is compared whole: a new field in a tier default fails here until it is pinned.
 */
const TIERS = {
    dev: {
        protectData: false,
        network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "instance" },
        logs: { retentionDays: 7 },
        database: {
            instanceClass: "db.t4g.micro", engineVersion: "17", allocatedStorageGb: 20, maxAllocatedStorageGb: 100,
            multiAz: false, readReplicas: 0, backupRetentionDays: 7, deletionProtection: false, finalSnapshot: false,
            monitoringIntervalSeconds: 0, dbName: "app", applyImmediately: true,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.micro", nodes: 1, clusterMode: false, shards: 1, replicasPerShard: 0, snapshotRetentionDays: 1, applyImmediately: true },
        storage: {
            forceDestroy: true,
            uploads: { noncurrentToGlacierDays: 0, noncurrentExpireDays: 60 },
            logs: { toGlacierDays: 0, expireDays: 90 },
        },
        backup: { retentionDays: 7, schedule: "cron(0 5 * * ? *)", copyToRegion: "" },
        compute: {
            spot: true, keepReleases: 10, loadBalancerDeletionProtection: false, allowHttpWithoutDomain: true,
            defaultMinTasks: 1, defaultMaxTasks: 2, waitForSteadyState: false,
        },
    },
    staging: {
        protectData: false,
        network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "single" },
        logs: { retentionDays: 30 },
        database: {
            instanceClass: "db.t4g.small", engineVersion: "17", allocatedStorageGb: 20, maxAllocatedStorageGb: 200,
            multiAz: false, readReplicas: 0, backupRetentionDays: 14, deletionProtection: true, finalSnapshot: true,
            monitoringIntervalSeconds: 0, dbName: "app", applyImmediately: true,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.small", nodes: 2, clusterMode: false, shards: 1, replicasPerShard: 1, snapshotRetentionDays: 3, applyImmediately: true },
        storage: {
            forceDestroy: false,
            uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 180 },
            logs: { toGlacierDays: 0, expireDays: 180 },
        },
        backup: { retentionDays: 14, schedule: "cron(0 5 * * ? *)", copyToRegion: "" },
        compute: {
            spot: false, keepReleases: 20, loadBalancerDeletionProtection: false, allowHttpWithoutDomain: false,
            defaultMinTasks: 2, defaultMaxTasks: 4, waitForSteadyState: true,
        },
    },
    prod: {
        protectData: true,
        network: { cidr: "10.0.0.0/16", azCount: 3, natGateways: "perAz" },
        logs: { retentionDays: 365 },
        database: {
            instanceClass: "db.m7g.large", engineVersion: "17", allocatedStorageGb: 100, maxAllocatedStorageGb: 1000,
            multiAz: true, readReplicas: 1, backupRetentionDays: 30, deletionProtection: true, finalSnapshot: true,
            monitoringIntervalSeconds: 60, dbName: "app", applyImmediately: false,
        },
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.m7g.large", nodes: 2, clusterMode: false, shards: 1, replicasPerShard: 1, snapshotRetentionDays: 7, applyImmediately: false },
        storage: {
            forceDestroy: false,
            uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 365 },
            logs: { toGlacierDays: 90, expireDays: 730 },
        },
        backup: { retentionDays: 30, schedule: "cron(0 5 * * ? *)", copyToRegion: "" },
        compute: {
            spot: false, keepReleases: 50, loadBalancerDeletionProtection: true, allowHttpWithoutDomain: false,
            defaultMinTasks: 2, defaultMaxTasks: 10, waitForSteadyState: true,
        },
    },
} as const;

const SECTIONS = ["network", "logs", "database", "cache", "storage", "backup", "compute"] as const;

describe("tier defaults (a stack file that names only its tier)", () => {
    for (const tier of TIER_STACKS) {
        const expected = TIERS[tier];
        describe(`${tier} tier`, () => {
            const settings = settingsFor(tierOnly(tier), tier);

            for (const section of SECTIONS) {
                it(`${section}: every field has its reviewed ${tier} value`, () => {
                    assert.deepEqual(settings[section], expected[section], `${tier} tier: ${section}`);
                });
            }

            it(`protectData is ${expected.protectData}`, () => {
                assert.equal(settings.protectData, expected.protectData, `${tier} tier: protectData`);
            });
        });
    }
});

describe("tier defaults as each committed stack file deploys them", () => {
    for (const stack of TIER_STACKS) {
        const t = TIERS[stack];
        describe(`${stack} stack`, () => {
            it("database: engine, storage, name and when changes apply", async () => {
                const run = await stackRun(stack);
                const primary = ofType(run, "aws:rds/instance:Instance").find((d) => !d.inputs.replicateSourceDb)!;
                const got = {
                    engineVersion: primary.inputs.engineVersion,
                    allocatedStorageGb: primary.inputs.allocatedStorage,
                    maxAllocatedStorageGb: primary.inputs.maxAllocatedStorage,
                    dbName: primary.inputs.dbName,
                    applyImmediately: primary.inputs.applyImmediately,
                    publiclyAccessible: primary.inputs.publiclyAccessible,
                    storageEncrypted: primary.inputs.storageEncrypted,
                };
                const want = {
                    engineVersion: t.database.engineVersion,
                    allocatedStorageGb: t.database.allocatedStorageGb,
                    maxAllocatedStorageGb: t.database.maxAllocatedStorageGb,
                    dbName: t.database.dbName,
                    applyImmediately: t.database.applyImmediately,
                    publiclyAccessible: false,
                    storageEncrypted: true,
                };
                assert.deepEqual(got, want, `${stack}: database instance ${primary.name}`);
                for (const replica of ofType(run, "aws:rds/instance:Instance").filter((d) => d.inputs.replicateSourceDb)) {
                    assert.equal(replica.inputs.applyImmediately, t.database.applyImmediately, `${stack}: database.applyImmediately on ${replica.name}`);
                }
            });

            it("cache: engine, version, node type, and whether changes wait for the maintenance window", async () => {
                const rg = one(await stackRun(stack), "aws:elasticache/replicationGroup:ReplicationGroup");
                const got = {
                    engine: rg.inputs.engine,
                    engineVersion: rg.inputs.engineVersion,
                    nodeType: rg.inputs.nodeType,
                    nodes: rg.inputs.numCacheClusters,
                    snapshotRetentionDays: rg.inputs.snapshotRetentionLimit,
                    applyImmediately: rg.inputs.applyImmediately ?? false, // unset: ElastiCache waits for the window
                };
                // Cluster mode is off by default in every tier: shards / replicasPerShard are not used then.
                const { clusterMode, shards: _shards, replicasPerShard: _replicas, ...clusterModeOff } = t.cache;
                assert.equal(clusterMode, false);
                assert.equal(rg.inputs.numNodeGroups, undefined, `${stack}: no node groups with cluster mode off`);
                assert.deepEqual(got, clusterModeOff, `${stack}: cache replication group ${rg.name}`);
            });

            it("storage: S3 lifecycle of the logs and uploads buckets (Glacier only where objects stay 90+ days)", async () => {
                const run = await stackRun(stack);
                const lifecycle = (bucket: string) => one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `-${bucket}`).inputs.rules as any[];
                const logs = lifecycle("logs").filter((r) => !r.abortIncompleteMultipartUpload);
                const uploads = lifecycle("uploads").filter((r) => !r.abortIncompleteMultipartUpload);
                const logsGot = {
                    toGlacierDays: logs.flatMap((r) => r.transitions ?? []).find((x) => x.storageClass === "GLACIER")?.days ?? 0,
                    expireDays: logs.map((r) => r.expiration?.days).find((d) => d !== undefined),
                };
                const uploadsGot = {
                    noncurrentToGlacierDays: uploads.flatMap((r) => r.noncurrentVersionTransitions ?? []).find((x) => x.storageClass === "GLACIER")?.noncurrentDays ?? 0,
                    noncurrentExpireDays: uploads.map((r) => r.noncurrentVersionExpiration?.noncurrentDays).find((d) => d !== undefined),
                };
                assert.deepEqual(logsGot, t.storage.logs, `${stack}: logs bucket lifecycle`);
                assert.deepEqual(uploadsGot, t.storage.uploads, `${stack}: uploads bucket lifecycle`);
                assert.ok(!uploads.some((r) => r.expiration?.days !== undefined), `${stack}: uploads must never expire current objects`);
            });

            it("backup: daily at 05:00 UTC, tier retention", async () => {
                const rule = one(await stackRun(stack), "aws:backup/plan:Plan").inputs.rules[0];
                assert.equal(rule.schedule, t.backup.schedule, `${stack}: backup.schedule`);
                assert.equal(rule.lifecycle.deleteAfter, t.backup.retentionDays, `${stack}: backup.retentionDays`);
            });

            it("compute: services that set no bounds get the tier's default task bounds", async () => {
                // notifier sets no minTasks/maxTasks in any committed stack file.
                const target = one(await stackRun(stack), "aws:appautoscaling/target:Target", "compute-notifier");
                assert.deepEqual(
                    [target.inputs.minCapacity, target.inputs.maxCapacity],
                    [t.compute.defaultMinTasks, t.compute.defaultMaxTasks],
                    `${stack}: compute.defaultMinTasks/defaultMaxTasks on notifier`,
                );
            });

            it("compute: `pulumi up` waits for each service's rollout outside dev", async () => {
                for (const svc of ofType(await stackRun(stack), "aws:ecs/service:Service")) {
                    assert.equal(svc.inputs.waitForSteadyState ?? false, t.compute.waitForSteadyState, `${stack}: compute.waitForSteadyState on ${svc.name}`);
                }
            });

            it("protectData: Pulumi protect on the database, cache, buckets and keys only in prod", async () => {
                const options = await recordResourceOptions(stack);
                const stateful = options.filter((o) =>
                    ["aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:s3/bucket:Bucket", "aws:kms/key:Key"].includes(o.type),
                );
                assert.ok(stateful.length >= 5, `${stack}: found ${stateful.length} stateful resources`);
                for (const o of stateful) assert.equal(o.opts.protect ?? false, t.protectData, `${stack}: protect on ${o.type} ${o.name}`);
            });
        });
    }
});

describe("worker tier defaults (per worker, config/tiers.ts WORKER_TIER_DEFAULTS)", () => {
    const PROVISIONED_HTTP = { dev: 0, staging: 0, prod: 1 } as const;
    const Q = { memoryMb: 512, timeoutSeconds: 30, trigger: { type: "queue" } };
    const H = { memoryMb: 512, timeoutSeconds: 30, trigger: { type: "http", routes: ["ANY /{proxy+}"] } };
    for (const tier of TIER_STACKS) {
        it(`${tier}: http workers get provisioned concurrency ${PROVISIONED_HTTP[tier]}, queue workers 0; queue defaults batch 10, 5 receives, visibility 6 × timeout, arm64`, () => {
            const raw: Record<string, unknown> = { tier, workers: { q: Q, h: H } };
            if (tier !== "dev") raw.domain = { name: "api.example.com", hostedZoneId: "Z123" };
            const workers = Object.fromEntries(settingsFor(raw, tier).workers.map((w) => [w.name, w]));
            assert.equal(workers.h.provisionedConcurrency, PROVISIONED_HTTP[tier]);
            assert.equal(workers.q.provisionedConcurrency, 0);
            assert.deepEqual(workers.q.trigger, { type: "queue", batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: undefined, maxReceiveCount: 5, visibilityTimeoutSeconds: 180 });
            assert.equal(workers.q.architecture, "arm64");
            assert.equal(workers.q.vpc, false);
        });
    }
});
