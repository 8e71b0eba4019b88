import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { RECOVERY_RELAXATIONS, recoveryState } from "../config";
import { PRIMARY_OUTPUTS } from "../components/recovery";
import { mockPrimaryOutputs } from "../offline/primary-outputs";
import { ProgramRun } from "../offline/run";
import { activeRecoveryRun, configIssues, ofType, one, recordResourceOptions, Res, settingsFor, stackRun } from "./helpers";

/** prod-dr's config as its stack file gives it (keys without the `platform:` namespace). */
function stackFileConfig(stack: string): Record<string, unknown> {
    const file = yaml.load(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^platform:/, ""), v]));
}
const DR = stackFileConfig("prod-dr");
const RECOVERY = DR.recovery as Record<string, unknown>;
const withRecovery = (r: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...DR, ...extra, recovery: r });
const keys = (raw: Record<string, unknown>) => configIssues(raw, { stack: "prod-dr" }).map((i) => i.key);

describe("recovery config (issue 15)", () => {
    it("prod-dr's stack file is a valid recovery stack: tier prod, the recovery role, another region than its primary", () => {
        assert.deepEqual(keys(DR), []);
        const s = settingsFor(DR, "prod-dr");
        assert.equal(s.tier, "prod");
        assert.equal(s.recovery?.role, "recovery");
        assert.notEqual(s.region, s.recovery?.primaryRegion);
    });

    it("refuses the primary's own region, and accepts any other", () => {
        assert.deepEqual(keys(withRecovery(RECOVERY, { region: "us-east-1" })), ["region"]);
        const issue = configIssues(withRecovery(RECOVERY, { region: "us-east-1" }), { stack: "prod-dr" })[0];
        assert.match(issue.allowed, /other than the primary's \(us-east-1\)/);
        assert.deepEqual(keys(withRecovery(RECOVERY, { region: "us-east-2" })), []);
    });

    it("refuses a missing primary stack reference, and one that is not <organization>/<project>/<stack>", () => {
        const { primaryStack: _, ...noStack } = RECOVERY;
        assert.deepEqual(keys(withRecovery(noStack)), ["recovery.primaryStack"]);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, primaryStack: "platform/prod" })), ["recovery.primaryStack"]);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, primaryStack: "acme/platform/prod" })), []);
    });

    it("refuses a missing primary region", () => {
        const { primaryRegion: _, ...noRegion } = RECOVERY;
        assert.deepEqual(keys(withRecovery(noRegion)), ["recovery.primaryRegion"]);
    });

    it("refuses active: true without a replica to promote (no primary stack), and accepts it with one", () => {
        const { primaryStack: _, ...noStack } = RECOVERY;
        assert.deepEqual(keys(withRecovery({ ...noStack, active: true })), ["recovery.primaryStack", "recovery.active"]);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, active: true })), []);
    });

    it("refuses recovery fields without a role (Pulumi.yaml's {} default stays silent)", () => {
        const { role: _, ...noRole } = RECOVERY;
        assert.deepEqual(keys(withRecovery(noRole)), ["recovery.role"]);
        assert.equal(settingsFor({ ...DR, recovery: {} }, "prod-dr").recovery, undefined);
    });

    it("bounds passiveTasks at 0-100", () => {
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, passiveTasks: 0 })), []);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, passiveTasks: 100 })), []);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, passiveTasks: 101 })), ["recovery.passiveTasks"]);
        assert.deepEqual(keys(withRecovery({ ...RECOVERY, passiveTasks: -1 })), ["recovery.passiveTasks"]);
    });
});

describe("recovery relaxations (one table, config/rules/recovery.ts)", () => {
    const passive = settingsFor(DR, "prod-dr");
    const active = settingsFor(withRecovery({ ...RECOVERY, active: true }), "prod-dr");

    it("every relaxation gives its reason", () => {
        for (const r of RECOVERY_RELAXATIONS) assert.ok(r.reason.length > 40 && r.passive && r.active, r.what);
    });

    it("passive: no tasks, one cache node, no same-region replica, no backups; active: the stack file's prod values", () => {
        const p = recoveryState(passive);
        for (const svc of p.services) assert.deepEqual([svc.minTasks, svc.maxTasks], [0, 0], svc.name);
        assert.deepEqual([p.cache.nodes, p.database.readReplicas, p.database.backupRetentionDays, p.backup.copyToRegion], [1, 0, 0, ""]);

        const a = recoveryState(active);
        assert.deepEqual(a.services.map((s) => [s.minTasks, s.maxTasks]), active.services.map((s) => [s.minTasks, s.maxTasks]));
        assert.deepEqual(a.services.find((s) => s.name === "api") && [a.services.find((s) => s.name === "api")!.minTasks, a.services.find((s) => s.name === "api")!.maxTasks], [3, 12]);
        assert.deepEqual([a.cache.nodes, a.database.readReplicas, a.database.backupRetentionDays], [2, 1, 30]);
    });

    it("passive: schedules paused and no provisioned concurrency; active: the stack file's", () => {
        const p = recoveryState(passive);
        assert.ok(p.workers.some((w) => w.trigger.type === "schedule"), "prod-dr has a schedule worker");
        for (const w of p.workers) {
            assert.equal(w.provisionedConcurrency, 0, w.name);
            if (w.trigger.type === "schedule") assert.equal(w.trigger.paused, true, w.name);
        }
        const a = recoveryState(active);
        assert.deepEqual(a.workers, active.workers);
        assert.equal(a.workers.find((w) => w.name === "api-fn")!.provisionedConcurrency, 1);
    });

    it("passiveTasks is what every service runs while passive", () => {
        const s = recoveryState(settingsFor(withRecovery({ ...RECOVERY, passiveTasks: 1 }), "prod-dr"));
        for (const svc of s.services) assert.deepEqual([svc.minTasks, svc.maxTasks], [1, 1], svc.name);
    });

    it("stacks without a recovery role are unchanged", () => {
        const prod = settingsFor(stackFileConfig("prod"), "prod");
        assert.equal(recoveryState(prod), prod);
    });
});

const STATEFUL = new Set([
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:backup/vault:Vault",
    "aws:ecr/repository:Repository",
    "aws:sqs/queue:Queue",
]);
const key = (r: Res) => `${r.type}::${r.name}`;
/** Top-level input keys that differ between two registrations of one resource. */
function inputDiff(a: Res, b: Res): string[] {
    const all = new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)]);
    return [...all].filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k])).sort();
}

describe("recovery stack prod-dr (synthesized, prod's outputs through a mocked StackReference)", function () {
    this.timeout(120_000);
    let prod: ProgramRun;
    let passive: ProgramRun;
    let active: ProgramRun;
    before(async () => {
        prod = await stackRun("prod");
        passive = await stackRun("prod-dr");
        active = await activeRecoveryRun();
        if (active.error) throw active.error;
    });

    it("prod exports what the recovery stack reads, and the offline StackReference returns exactly prod's synthesized values", () => {
        const mocked = mockPrimaryOutputs("acme/platform/prod");
        for (const name of PRIMARY_OUTPUTS) {
            assert.ok(prod.outputs[name] !== undefined, `prod exports ${name}`);
            assert.deepEqual(mocked[name], prod.outputs[name], name);
        }
    });

    it("reads the primary through one StackReference named by recovery.primaryStack", () => {
        const ref = one(passive, "pulumi:pulumi:StackReference");
        assert.equal(ref.inputs.name, RECOVERY.primaryStack);
        assert.equal(ofType(prod, "pulumi:pulumi:StackReference").length, 0, "prod reads no other stack");
    });

    it("passive: the database is a cross-region replica of prod's primary, encrypted with a key in the recovery region", () => {
        const dbs = ofType(passive, "aws:rds/instance:Instance");
        assert.equal(dbs.length, 1, "no same-region replica of the replica while passive");
        const db = dbs[0];
        assert.equal(db.inputs.replicateSourceDb, prod.outputs.dbArn);
        assert.match(String(db.inputs.replicateSourceDb), /^arn:aws:rds:us-east-1:/, "a cross-region source is an ARN");
        const dataKey = ofType(passive, "aws:kms/key:Key").find((k) => k.name.endsWith("data-key"))!;
        assert.ok(dataKey, "the recovery stack's data key");
        assert.match(String(db.inputs.kmsKeyId), /^arn:aws:kms:us-west-2:/);
        assert.equal(db.inputs.kmsKeyId, `arn:aws:kms:us-west-2:111111111111:key/${dataKey.name}`);
        for (const k of ["username", "password", "dbName"]) assert.equal(db.inputs[k], undefined, `${k} comes from the source`);
        assert.equal(db.inputs.storageEncrypted, true);
    });

    it("passive: no rotation (a read-only replica cannot change its password) and no backup selection; active: both", () => {
        for (const t of ["aws:secretsmanager/secretRotation:SecretRotation", "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "aws:backup/selection:Selection"]) {
            assert.equal(ofType(passive, t).length, 0, `passive: ${t}`);
            assert.equal(ofType(active, t).length, 1, `active: ${t}`);
        }
        const selection = one(active, "aws:backup/selection:Selection");
        assert.deepEqual(selection.inputs.resources, ["arn:aws:rds:us-west-2:111111111111:db:platform-prod-dr-postgres"]);
    });

    it("the promoted database's secret does not rotate at once (the instance still has prod's password until the runbook sets it); prod's does", () => {
        assert.equal(one(active, "aws:secretsmanager/secretRotation:SecretRotation").inputs.rotateImmediately, false);
        assert.equal(one(prod, "aws:secretsmanager/secretRotation:SecretRotation").inputs.rotateImmediately, true);
    });

    it("passive pages nobody for the tasks it does not run: no health check on its site, no no-healthy-targets alarm; active has both, as prod", () => {
        const alarms = (run: ProgramRun) => ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
        const paging = (run: ProgramRun) => alarms(run).filter((n) => /no-healthy-targets|health-check/.test(n)).map((n) => n.replace(/^prod(-dr)?-/, ""));
        assert.equal(ofType(passive, "aws:route53/healthCheck:HealthCheck").length, 0);
        assert.deepEqual(paging(passive), []);
        assert.equal(ofType(active, "aws:route53/healthCheck:HealthCheck").length, 1);
        assert.ok(paging(prod).length >= 2, "prod has them");
        assert.deepEqual(paging(active).sort(), paging(prod).sort());
    });

    it("the database is protected and retained (prod tier)", async () => {
        const opts = await recordResourceOptions("prod-dr");
        const db = opts.find((o) => o.type === "aws:rds/instance:Instance")!;
        assert.deepEqual([db.opts.protect, db.opts.retainOnDelete], [true, true]);
    });

    it("workers: the schedule is DISABLED and nothing is provisioned while passive; enabled and warm when active", () => {
        assert.deepEqual(ofType(passive, "aws:scheduler/schedule:Schedule").map((r) => r.inputs.state), ["DISABLED"]);
        assert.deepEqual(ofType(active, "aws:scheduler/schedule:Schedule").map((r) => r.inputs.state), [undefined], "ENABLED (the API default), as in prod");
        assert.deepEqual(ofType(prod, "aws:scheduler/schedule:Schedule").map((r) => r.inputs.state), [undefined]);
        assert.equal(ofType(passive, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").length, 0);
        assert.equal(ofType(active, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").length, 1);
    });

    it("services: no tasks while passive, prod's bounds when active", () => {
        const targets = (run: ProgramRun) => Object.fromEntries(ofType(run, "aws:appautoscaling/target:Target").map((t) => [t.name, [t.inputs.minCapacity, t.inputs.maxCapacity]]));
        const services = (run: ProgramRun) => Object.fromEntries(ofType(run, "aws:ecs/service:Service").map((s) => [s.name, s.inputs.desiredCount]));
        const prodTargets = Object.fromEntries(Object.entries(targets(prod)).map(([n, b]) => [n.replace(/^prod-/, "prod-dr-"), b]));
        assert.ok(Object.keys(prodTargets).length >= 2);
        for (const [name, bounds] of Object.entries(targets(passive))) assert.deepEqual(bounds, [0, 0], name);
        for (const [name, count] of Object.entries(services(passive))) assert.equal(count, 0, name);
        assert.deepEqual(targets(active), prodTargets);
    });

    it("the active switch changes nothing stateful except promoting the replica (and the cache's rebuilt replica)", () => {
        const before = new Map(passive.resources.map((r) => [key(r), r]));
        const after = new Map(active.resources.map((r) => [key(r), r]));
        const removed = [...before.keys()].filter((k) => !after.has(k));
        // Only the passive replica's lag alarms go: a promoted primary has no source to lag behind.
        assert.deepEqual(removed.sort(), ["warning", "critical"].map((l) => `aws:cloudwatch/metricAlarm:MetricAlarm::prod-dr-monitoring-db-cross-region-replica-lag-${l}`).sort(), "nothing else is removed");
        const changedStateful = [...after.values()].filter((r) => STATEFUL.has(r.type) && before.has(key(r)) && inputDiff(before.get(key(r))!, r).length > 0);
        assert.deepEqual(changedStateful.map(key).sort(), ["aws:elasticache/replicationGroup:ReplicationGroup::prod-dr-data-cache", "aws:rds/instance:Instance::prod-dr-data-db"]);

        const db = "aws:rds/instance:Instance::prod-dr-data-db";
        // skipFinalSnapshot / finalSnapshotIdentifier are provider-side (used only on delete): a read replica cannot be
        // deleted with a final snapshot (DeleteDBInstance API), the promoted primary keeps prod's final snapshot.
        assert.deepEqual(inputDiff(before.get(db)!, after.get(db)!), ["backupRetentionPeriod", "finalSnapshotIdentifier", "replicateSourceDb", "skipFinalSnapshot"]);
        assert.deepEqual([before.get(db)!.inputs.skipFinalSnapshot, before.get(db)!.inputs.finalSnapshotIdentifier], [true, undefined], "passive replica: no final snapshot");
        assert.equal(after.get(db)!.inputs.skipFinalSnapshot, false, "promoted: final snapshot, as prod");
        assert.equal(after.get(db)!.inputs.replicateSourceDb, undefined, "promoted: no source");
        assert.equal(after.get(db)!.inputs.backupRetentionPeriod, 30);
        const cache = "aws:elasticache/replicationGroup:ReplicationGroup::prod-dr-data-cache";
        for (const k of inputDiff(before.get(cache)!, after.get(cache)!)) assert.ok(["numCacheClusters", "automaticFailoverEnabled", "multiAzEnabled"].includes(k), `cache change ${k} is in place`);

        // What is added on promotion holds no data of its own, except the same-region replica of the promoted primary.
        const added = [...after.values()].filter((r) => !before.has(key(r)) && STATEFUL.has(r.type));
        assert.deepEqual(added.map((r) => [r.type, r.inputs.replicateSourceDb !== undefined]), [["aws:rds/instance:Instance", true]]);
    });
});
