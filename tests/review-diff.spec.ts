import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ROOT } from "../offline/run";
import { diffSnapshots, renderDiff, STATEFUL } from "../scripts/review/diff";
import { review } from "../scripts/review/index";
import { fromRun, Snapshot, SnapResource } from "../scripts/review/snapshot";
import { stackRun, variantRun } from "./helpers";

const LABELS = { before: "a", after: "b" };
const names = (list: Array<{ type: string; name: string }>) => list.map((r) => `${r.type}::${r.name}`).sort();

function res(type: string, name: string, inputs: Record<string, unknown>): SnapResource {
    return { urn: `urn:pulumi:t::platform::platform:data:Data$${type}::${name}`, type, name, component: "platform:data:Data", custom: true, inputs };
}
const snap = (...resources: SnapResource[]): Snapshot => ({ stack: "t", region: "us-east-1", resources });

function stackFile(stack: string): Record<string, any> {
    return (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> }).config;
}

describe("review: diff of two synthesized programs (--against, --against-stack)", function () {
    this.timeout(60_000);
    let dev: Snapshot;
    let biggerDb: Snapshot;
    let release: Snapshot;
    before(async () => {
        dev = fromRun(await stackRun("dev"));
        biggerDb = fromRun(await variantRun("dev", { "platform:database": { instanceClass: "db.t4g.small" } }));
        const pinned = stackFile("dev")["platform:release"];
        release = fromRun(await variantRun("dev", { "platform:release": { ...pinned, api: { tag: "0123456789abcdef0123456789abcdef01234567", digest: `sha256:${"e".repeat(64)}` } } }));
    });

    it("a database class change lists the database (and the connection alarms sized by its class), flags only the database as a stateful update (not a replacement) and prices the difference", () => {
        const d = diffSnapshots(dev, biggerDb, LABELS);
        assert.deepEqual([d.added, d.removed], [[], []]);
        // Connections alarm as a share of the class's max_connections (issue 11), so their thresholds follow the class.
        assert.deepEqual(names(d.changed).sort(), [
            // (dev keeps only the critical level: monitoring.warningLevels false in the dev tier)
            "aws:cloudwatch/metricAlarm:MetricAlarm::dev-monitoring-db-connections-critical",
            "aws:rds/instance:Instance::dev-data-db",
        ]);
        for (const alarm of d.changed.filter((c) => c.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) assert.deepEqual(alarm.changes.map((c) => c.path), ["threshold"]);
        const db = d.changed.find((c) => c.type === "aws:rds/instance:Instance")!;
        assert.deepEqual(db.changes, [{ path: "instanceClass", before: "db.t4g.micro", after: "db.t4g.small" }]);
        assert.deepEqual(db.replacementBy, []);
        assert.deepEqual(d.warnings, ["UPDATE of stateful dev-data-db (aws:rds/instance:Instance): instanceClass"]);
        // db.t4g.small 0.032/h vs db.t4g.micro 0.016/h, Single-AZ, 730 h (aws-prices.md).
        assert.equal(Math.round(d.cost.delta * 100), Math.round((0.032 - 0.016) * 730 * 100));
        assert.match(renderDiff(d).join("\n"), /^!!! UPDATE of stateful dev-data-db/m);
    });

    it("a release lists exactly the service's task definitions and flags nothing", () => {
        const d = diffSnapshots(dev, release, LABELS);
        assert.deepEqual(names(d.changed), ["aws:ecs/taskDefinition:TaskDefinition::dev-compute-api", "aws:ecs/taskDefinition:TaskDefinition::dev-compute-api-migrate"]);
        assert.deepEqual([d.added, d.removed, d.warnings], [[], [], []]);
        assert.equal(d.cost.delta, 0);
        assert.ok(d.changed[0].changes.every((c) => /^containerDefinitions\[0\]\.(image|environment)/.test(c.path)), JSON.stringify(d.changed[0].changes));
    });

    it("a change to an input the provider replaces on is flagged as a likely replacement of a stateful resource", () => {
        const before = snap(res("aws:rds/instance:Instance", "t-db", { storageEncrypted: false, instanceClass: "db.t4g.micro" }));
        const after = snap(res("aws:rds/instance:Instance", "t-db", { storageEncrypted: true, instanceClass: "db.t4g.micro" }));
        const d = diffSnapshots(before, after, LABELS);
        assert.deepEqual(d.changed[0].replacementBy, ["storageEncrypted"]);
        assert.match(d.warnings[0], /^LIKELY REPLACEMENT of stateful t-db .*storageEncrypted changed; replacing it loses the database/);
        assert.match(renderDiff(d).join("\n"), /pulumi preview/);
    });

    it("a stateful resource whose URN disappears is a loud delete", () => {
        const d = diffSnapshots(snap(res("aws:s3/bucket:Bucket", "t-uploads", {})), snap(), LABELS);
        assert.deepEqual(d.warnings, ["DELETE of stateful t-uploads (aws:s3/bucket:Bucket): loses the objects unless the new program aliases this URN"]);
    });

    it("masks secrets: a changed password shows as [secret], never its value", () => {
        const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
        const d = diffSnapshots(
            snap(res("aws:rds/instance:Instance", "t-db", { password: secret("old-pass-1"), tags: { a: secret("old-tag") } })),
            snap(res("aws:rds/instance:Instance", "t-db", { password: secret("new-pass-2"), extra: { nested: secret("new-nested") } })),
            LABELS,
        );
        const text = `${renderDiff(d).join("\n")}${JSON.stringify(d)}`;
        for (const v of ["old-pass-1", "new-pass-2", "old-tag", "new-nested"]) assert.ok(!text.includes(v), `${v} leaked`);
        assert.ok(d.changed[0].changes.some((c) => c.path === "password" && c.before === "[secret]" && c.after === "[secret]"));
    });

    it("every stateful type's replace-on inputs are inputs of that type (names as the pulumi-aws SDK spells them)", async () => {
        // A misspelt key would never match: check against the SDK's own args interfaces via the resource classes' input names.
        const aws = await import("@pulumi/aws");
        const random = await import("@pulumi/random");
        const classes: Record<string, unknown> = {
            "aws:rds/instance:Instance": aws.rds.Instance,
            "aws:elasticache/replicationGroup:ReplicationGroup": aws.elasticache.ReplicationGroup,
            "aws:s3/bucket:Bucket": aws.s3.Bucket,
            "aws:kms/key:Key": aws.kms.Key,
            "aws:secretsmanager/secret:Secret": aws.secretsmanager.Secret,
            "aws:ecr/repository:Repository": aws.ecr.Repository,
            "aws:sqs/queue:Queue": aws.sqs.Queue,
            "aws:backup/vault:Vault": aws.backup.Vault,
            "aws:cloudwatch/logGroup:LogGroup": aws.cloudwatch.LogGroup,
            "random:index/randomPassword:RandomPassword": random.RandomPassword,
        };
        assert.deepEqual(Object.keys(classes).sort(), Object.keys(STATEFUL).sort());
        for (const [type, cls] of Object.entries(classes)) {
            const source = (cls as { toString(): string }).toString();
            for (const key of STATEFUL[type].replaceOn) assert.ok(source.includes(`"${key}"`), `${type}: ${key} is not an input of ${type}`);
        }
    });

    it("--against-stack compares two stacks resource by resource: promoting staging's shape to prod adds the replica and the backup copy", async () => {
        const out = JSON.parse(await review("prod", await stackRun("prod"), { cost: false, diagram: false, json: true, againstStack: "staging" }, undefined, stackRun));
        const added: string[] = out.diff.added.map((r: { name: string }) => r.name);
        assert.ok(added.includes("<stack>-data-db-replica-1"), added.join(", "));
        assert.ok(added.includes("<stack>-data-backup-copy"), added.join(", "));
        assert.deepEqual(out.diff.removed, []);
        assert.ok(out.diff.warnings.some((w: string) => w.startsWith("UPDATE of stateful <stack>-data-db (aws:rds/instance:Instance)")));
        assert.ok(out.diff.cost.delta > 0);
    });

    it("--against-stack diffs the other stack's snapshot started beside this run (the CLI's child process) exactly as one run in this process", async () => {
        const opts = { cost: false, diagram: false, json: true, againstStack: "staging" };
        const inProcess = await review("prod", await stackRun("prod"), opts, undefined, stackRun);
        const started = Promise.resolve(fromRun(await stackRun("staging")));
        const unused = async (): Promise<never> => assert.fail("the started snapshot is used, not a second run");
        assert.equal(await review("prod", await stackRun("prod"), opts, started, unused), inProcess);
    });

    it("--json alone prints the plan's resources and outputs with every secret masked", async () => {
        const out = JSON.parse(await review("dev", await stackRun("dev"), { cost: false, diagram: false, json: true }));
        const db = out.plan.resources.find((r: { type: string }) => r.type === "aws:rds/instance:Instance");
        assert.equal(db.inputs.password, "[secret]");
        assert.ok(!JSON.stringify(out).includes("mock-password"), "a secret value leaked into the JSON");
        assert.equal(out.plan.outputs.tier, "dev");
    });
});
