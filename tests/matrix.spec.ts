import * as assert from "node:assert/strict";
import { ofType, one, Res, stackRun } from "./helpers";

/**
 * The README's stack matrix, written out as literal values and checked against what each committed
 * stack file synthesizes. Other specs derive expectations from the tier table; this one would catch
 * a tier default drifting away from what the README promises.
 */
const MATRIX = {
    dev: {
        azs: 2, nat: "None", logDays: 7, // dev: the NAT instance (awsx strategy None + one instance)
        db: { instanceClass: "db.t4g.micro", multiAz: false, backupRetentionPeriod: 7, deletionProtection: false, skipFinalSnapshot: true, monitoringInterval: 0 },
        replicas: 0,
        cache: { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false, snapshotRetentionLimit: 1 },
        backupDays: 7, backupCopies: 0, forceDestroy: true,
        apiTasks: [1, 2], spot: true, https: false, albDeletionProtection: false, keepReleases: 10,
    },
    staging: {
        azs: 2, nat: "Single", logDays: 30,
        db: { instanceClass: "db.t4g.small", multiAz: false, backupRetentionPeriod: 14, deletionProtection: true, skipFinalSnapshot: false, monitoringInterval: 0 },
        replicas: 0,
        cache: { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true, snapshotRetentionLimit: 3 },
        backupDays: 14, backupCopies: 0, forceDestroy: false,
        apiTasks: [2, 4], spot: false, https: true, albDeletionProtection: false, keepReleases: 20,
    },
    prod: {
        azs: 3, nat: "OnePerAz", logDays: 365,
        db: { instanceClass: "db.m7g.large", multiAz: true, backupRetentionPeriod: 30, deletionProtection: true, skipFinalSnapshot: false, monitoringInterval: 60 },
        replicas: 1,
        cache: { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true, snapshotRetentionLimit: 7 },
        backupDays: 30, backupCopies: 1, forceDestroy: false,
        apiTasks: [3, 12], spot: false, https: true, albDeletionProtection: true, keepReleases: 50,
    },
} as const;

const pick = (r: Res, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, r.inputs[k]]));

describe("stack matrix (README) as deployed by each stack file", () => {
    for (const [stack, m] of Object.entries(MATRIX)) {
        it(`${stack} synthesizes the README's ${stack} column`, async () => {
            const run = await stackRun(stack);
            const vpc = one(run, "awsx:ec2:Vpc");
            assert.deepEqual([vpc.inputs.numberOfAvailabilityZones, vpc.inputs.natGateways.strategy], [m.azs, m.nat], `${stack}: network.azCount, network.natGateways`);
            for (const g of ofType(run, "aws:cloudwatch/logGroup:LogGroup")) assert.equal(g.inputs.retentionInDays, m.logDays, `${stack}: logs.retentionDays on ${g.name}`);

            const dbs = ofType(run, "aws:rds/instance:Instance");
            const primary = dbs.find((d) => !d.inputs.replicateSourceDb)!;
            assert.deepEqual(pick(primary, Object.keys(m.db)), m.db, `${stack}: database instance ${primary.name}`);
            assert.equal(dbs.length - 1, m.replicas, `${stack}: database.readReplicas`);
            assert.deepEqual(pick(one(run, "aws:elasticache/replicationGroup:ReplicationGroup"), Object.keys(m.cache)), m.cache, `${stack}: cache replication group`);

            const rule = one(run, "aws:backup/plan:Plan").inputs.rules[0];
            assert.deepEqual([rule.lifecycle.deleteAfter, rule.copyActions?.length ?? 0], [m.backupDays, m.backupCopies], `${stack}: backup.retentionDays, cross-region copies`);
            for (const b of ofType(run, "aws:s3/bucket:Bucket")) assert.equal(b.inputs.forceDestroy, m.forceDestroy, `${stack}: storage.forceDestroy on ${b.name}`);

            const target = one(run, "aws:appautoscaling/target:Target", "compute-api");
            assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], m.apiTasks, `${stack}: api minTasks-maxTasks`);
            for (const s of ofType(run, "aws:ecs/service:Service")) {
                assert.equal(s.inputs.capacityProviderStrategies[0].capacityProvider, m.spot ? "FARGATE_SPOT" : "FARGATE", `${stack}: compute.spot on ${s.name}`);
            }
            assert.equal(ofType(run, "aws:lb/listener:Listener").some((l) => l.inputs.protocol === "HTTPS"), m.https, `${stack}: HTTPS listener`);
            assert.equal(one(run, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, m.albDeletionProtection, `${stack}: compute.loadBalancerDeletionProtection`);
            for (const lp of ofType(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
                assert.equal(JSON.parse(lp.inputs.policy).rules[1].selection.countNumber, m.keepReleases, `${stack}: compute.keepReleases on ${lp.name}`);
            }
        });
    }
});
