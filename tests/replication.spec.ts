/**
 * Issue 15, "replicated state": S3 replication of the uploads bucket and ECR replication of the images
 * from prod to its recovery stack prod-dr, and the recovery stack's replica-lag alarm. Expected values
 * come from the issue and the AWS documentation (S3 user guide "Replicating encrypted objects", ECR
 * "Private image replication"), not from the code.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ACCOUNT_ID_PLACEHOLDER, physicalNames, NAME_LIMITS } from "../config/naming";
import { ECR_REPOSITORY_FILTER } from "../components/releases/replication";
import { uploadsBucketName } from "../components/naming";
import { ProgramRun } from "../offline/run";
import { activeRecoveryRun, configIssues, ofType, one, recordResourceOptions, Res, stackRun } from "./helpers";

const ACCOUNT = "111111111111"; // the mocks' account (offline/mocks.ts)

function stackFileConfig(stack: string): Record<string, unknown> {
    const file = yaml.load(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^platform:/, ""), v]));
}
const PROD = stackFileConfig("prod");
const DR = stackFileConfig("prod-dr");
const issues = (raw: Record<string, unknown>, stack = "prod") => configIssues(raw, { stack });
const keys = (raw: Record<string, unknown>, stack = "prod") => issues(raw, stack).map((i) => i.key);
const statementsOf = (policy: string) => (JSON.parse(policy) as { Statement: Array<Record<string, any>> }).Statement;
const list = (v: unknown) => (Array.isArray(v) ? v : [v]);

describe("replication config (platform:replicateTo)", () => {
    it("prod names its recovery stack and region; the committed stack files are valid", () => {
        assert.deepEqual(PROD.replicateTo, { stack: "prod-dr", region: "us-west-2" });
        assert.deepEqual(keys(PROD), []);
        assert.deepEqual(keys(DR, "prod-dr"), []);
    });

    it("refuses the stack's own region, and accepts any other", () => {
        const found = issues({ ...PROD, replicateTo: { stack: "prod-dr", region: "us-east-1" } });
        assert.deepEqual(found.map((i) => i.key), ["replicateTo.region"]);
        assert.match(found[0].allowed, /other than this stack's \(us-east-1\)/);
        assert.match(found[0].fix, /pulumi config set --path 'replicateTo.region' 'us-west-2'/);
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "prod-dr", region: "us-east-2" } }), []);
    });

    it("refuses a missing recovery stack or region, each with what to set", () => {
        const noStack = issues({ ...PROD, replicateTo: { region: "us-west-2" } });
        assert.deepEqual(noStack.map((i) => [i.key, i.value]), [["replicateTo.stack", "(not set)"]]);
        assert.match(noStack[0].fix, /replicateTo\.stack' 'prod-dr'/);
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "prod-dr" } }), ["replicateTo.region"]);
        assert.equal(issues({ ...PROD, replicateTo: {} }).length, 0, "Pulumi.yaml's {} default means no replication");
    });

    it("refuses replicating to itself and a name that is not a stack name this program accepts", () => {
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "prod", region: "us-west-2" } }), ["replicateTo.stack"]);
        // Stack names: a lowercase letter, up to 20 characters, single hyphens (config/rules/stack.ts); they name an S3 bucket.
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "Prod-DR", region: "us-west-2" } }), ["replicateTo.stack"]);
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "prod--dr", region: "us-west-2" } }), ["replicateTo.stack"]);
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "a".repeat(20), region: "us-west-2" } }), []);
        assert.deepEqual(keys({ ...PROD, replicateTo: { stack: "a".repeat(21), region: "us-west-2" } }), ["replicateTo.stack"]);
    });

    it("refuses replicateTo on a recovery stack (it is the destination; replicating back is the failback runbook)", () => {
        const found = issues({ ...DR, replicateTo: { stack: "prod", region: "us-east-1" } }, "prod-dr");
        assert.deepEqual(found.map((i) => i.key), ["replicateTo"]);
        assert.match(found[0].allowed, /recovery stack/);
        assert.equal(found[0].fix, "pulumi config rm replicateTo --stack prod-dr");
        // Active, the recovery stack serves: replicating back to the other region is the failback's step.
        const dr = DR as Record<string, any>;
        assert.deepEqual(issues({ ...dr, recovery: { ...dr.recovery, active: true }, replicateTo: { stack: "prod", region: "us-east-1" } }, "prod-dr"), []);
    });

    it("the destination bucket's name fits S3's 63 characters for the longest stack name, and config checks it", () => {
        const longest = uploadsBucketName({ project: "platform", stack: "a".repeat(20) }, ACCOUNT);
        assert.ok(longest.length <= 63, longest);
        const checked = physicalNames("platform", "prod-dr", []).find((n) => n.type === "aws:s3/bucket:Bucket" && !n.autoNamed);
        assert.equal(checked?.name, uploadsBucketName({ project: "platform", stack: "prod-dr" }, ACCOUNT_ID_PLACEHOLDER));
        assert.equal(NAME_LIMITS["aws:s3/bucket:Bucket"].max, 63);
    });
});

describe("uploads replication prod → prod-dr (synthesized)", function () {
    this.timeout(120_000);
    let prod: ProgramRun;
    let dr: ProgramRun;
    let rule: Record<string, any>;
    let config: Res;
    before(async () => {
        prod = await stackRun("prod");
        dr = await stackRun("prod-dr");
        config = one(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        assert.equal(config.inputs.rules.length, 1, "one rule: everything");
        rule = config.inputs.rules[0];
    });

    it("the rule sits on prod's uploads bucket (the source) and only there", () => {
        const uploads = one(prod, "aws:s3/bucket:Bucket", "-data-uploads");
        assert.equal(config.name, uploads.name, "named after its bucket");
        assert.ok(String(config.inputs.bucket).startsWith("prod-data-uploads"), `source bucket ${config.inputs.bucket}`);
        assert.equal(ofType(dr, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0, "the recovery stack replicates nothing");
    });

    it("V2 rule for every object: enabled, a filter, delete markers replicated, SSE-KMS objects selected", () => {
        assert.equal(rule.status, "Enabled");
        assert.deepEqual(rule.filter, { prefix: "" }, "a filter (V2 schema) that matches every key");
        assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
    });

    it("the destination is prod-dr's own uploads bucket, named by the pure function both stacks call", async () => {
        const destination = one(dr, "aws:s3/bucket:Bucket", "-data-uploads");
        assert.equal(destination.inputs.bucket, `platform-prod-dr-uploads-${ACCOUNT}`);
        assert.equal(rule.destination.bucket, `arn:aws:s3:::${destination.inputs.bucket}`);
        assert.equal(ofType(prod, "pulumi:pulumi:StackReference").length, 0, "prod does not read prod-dr (no cycle)");
    });

    it("replicas are encrypted with prod-dr's data key, named by its alias ARN in us-west-2", () => {
        const alias = ofType(dr, "aws:kms/alias:Alias").find((a) => String(a.inputs.name).endsWith("/data"))!;
        assert.equal(rule.destination.encryptionConfiguration.replicaKmsKeyId, `arn:aws:kms:us-west-2:${ACCOUNT}:${alias.inputs.name}`);
        assert.equal(alias.inputs.name, "alias/platform-prod-dr/data");
    });

    it("replication metrics on; no Replication Time Control and no event threshold (S3 refuses one without RTC)", () => {
        assert.deepEqual(rule.destination.metrics, { status: "Enabled" });
        assert.equal(rule.destination.replicationTime, undefined);
    });

    it("the destination bucket is versioned, SSE-KMS with prod-dr's key, fully private, protected and retained", async () => {
        const versioning = ofType(dr, "aws:s3/bucketVersioning:BucketVersioning").find((v) => v.name.endsWith("-data-uploads"))!;
        assert.equal(versioning.inputs.versioningConfiguration.status, "Enabled");
        const sse = ofType(dr, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((v) => v.name.endsWith("-data-uploads"))!;
        const byDefault = sse.inputs.rules[0].applyServerSideEncryptionByDefault;
        assert.equal(byDefault.sseAlgorithm, "aws:kms");
        assert.match(byDefault.kmsMasterKeyId, /^arn:aws:kms:us-west-2:111111111111:key\/prod-dr-data-data-key$/);
        const block = ofType(dr, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").find((v) => v.name.endsWith("-data-uploads"))!;
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(block.inputs[k], true, k);
        const opts = (await recordResourceOptions("prod-dr")).find((o) => o.type === "aws:s3/bucket:Bucket" && o.name.endsWith("-data-uploads"))!;
        assert.deepEqual([opts.opts.protect, opts.opts.retainOnDelete], [true, true]);
    });

    it("the rule waits for the source's versioning and the role's policy (S3 refuses replication on an unversioned bucket)", async () => {
        const recorded = await recordResourceOptions("prod");
        const rec = recorded.find((o) => o.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")!;
        const deps = list(rec.opts.dependsOn);
        const versioning = recorded.find((o) => o.type === "aws:s3/bucketVersioning:BucketVersioning" && o.name.endsWith("-data-uploads"))!;
        const policy = recorded.find((o) => o.type === "aws:iam/rolePolicy:RolePolicy" && o.name.endsWith("-uploads-replication"))!;
        assert.ok(deps.includes(versioning.resource), "depends on the source's BucketVersioning");
        assert.ok(deps.includes(policy.resource), "depends on the role's policy");
    });

    describe("the replication role (least privilege)", () => {
        let statements: Array<Record<string, any>>;
        let trust: Record<string, any>;
        before(() => {
            const role = ofType(prod, "aws:iam/role:Role").find((r) => r.name.endsWith("-uploads-replication"))!;
            assert.ok(String(config.inputs.role).includes(role.name), `the rule uses the role ${role.name}: ${config.inputs.role}`);
            trust = statementsOf(role.inputs.assumeRolePolicy)[0];
            statements = statementsOf(one(prod, "aws:iam/rolePolicy:RolePolicy", "-uploads-replication").inputs.policy);
        });
        const byActions = (actions: string[]) => statements.filter((s) => JSON.stringify(list(s.Action).sort()) === JSON.stringify([...actions].sort()));

        it("only S3 in this account assumes it", () => {
            assert.deepEqual(trust.Principal, { Service: "s3.amazonaws.com" });
            assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
        });

        it("reads the source's configuration and object versions, writes replicas into the destination only", () => {
            const dst = `arn:aws:s3:::platform-prod-dr-uploads-${ACCOUNT}`;
            const bucket = byActions(["s3:GetReplicationConfiguration", "s3:ListBucket"]);
            assert.equal(bucket.length, 1);
            assert.match(bucket[0].Resource, new RegExp(`^arn:aws:s3:::platform-prod-uploads-${ACCOUNT}$`), "the source bucket itself");
            const read = byActions(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]);
            assert.equal(read.length, 1);
            assert.match(read[0].Resource, new RegExp(`^arn:aws:s3:::platform-prod-uploads-${ACCOUNT}/\\*$`));
            const write = byActions(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
            assert.deepEqual(write.map((s) => s.Resource), [`${dst}/*`]);
        });

        it("decrypts with prod's data key only through S3 in us-east-1 for the source bucket", () => {
            const [decrypt] = byActions(["kms:Decrypt"]);
            assert.equal(decrypt.Resource, `arn:aws:kms:us-east-1:${ACCOUNT}:key/prod-data-data-key`);
            assert.equal(decrypt.Condition.StringEquals["kms:ViaService"], "s3.us-east-1.amazonaws.com");
            const context = decrypt.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] as string[];
            assert.equal(context.length, 2);
            assert.equal(context[0], `arn:aws:s3:::platform-prod-uploads-${ACCOUNT}`);
            assert.equal(context[1], `${context[0]}/*`);
        });

        it("encrypts only with the key carrying prod-dr's data alias, through S3 in us-west-2, for the destination bucket", () => {
            const [encrypt] = byActions(["kms:Encrypt"]);
            assert.equal(encrypt.Resource, `arn:aws:kms:us-west-2:${ACCOUNT}:key/*`);
            assert.equal(encrypt.Condition.StringEquals["kms:ViaService"], "s3.us-west-2.amazonaws.com");
            assert.equal(encrypt.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"], "alias/platform-prod-dr/data");
            assert.deepEqual(encrypt.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"], [`arn:aws:s3:::platform-prod-dr-uploads-${ACCOUNT}`, `arn:aws:s3:::platform-prod-dr-uploads-${ACCOUNT}/*`]);
        });

        it("nothing else: five statements, no wildcard action or resource", () => {
            assert.equal(statements.length, 5);
            for (const s of statements) {
                assert.equal(s.Effect, "Allow");
                for (const a of list(s.Action)) assert.doesNotMatch(a, /\*/, a);
                for (const r of list(s.Resource)) assert.notEqual(r, "*");
            }
        });
    });
});

describe("image replication prod → prod-dr (synthesized)", function () {
    this.timeout(120_000);
    let prod: ProgramRun;
    let dr: ProgramRun;
    before(async () => {
        prod = await stackRun("prod");
        dr = await stackRun("prod-dr");
    });
    const repoNames = (run: ProgramRun) => ofType(run, "aws:ecr/repository:Repository").map((r) => String(r.inputs.name)).sort();

    it("prod owns the registry's one replication configuration: one rule to us-west-2 in this account", () => {
        const rc = one(prod, "aws:ecr/replicationConfiguration:ReplicationConfiguration");
        const rules = rc.inputs.replicationConfiguration.rules;
        assert.equal(rules.length, 1);
        assert.deepEqual(rules[0].destinations, [{ region: "us-west-2", registryId: ACCOUNT }]);
        for (const stack of [dr]) assert.equal(ofType(stack, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length, 0, "the recovery stack is a destination only");
    });

    it("covers every repository prod creates, and no other stack's", () => {
        const [filter] = one(prod, "aws:ecr/replicationConfiguration:ReplicationConfiguration").inputs.replicationConfiguration.rules[0].repositoryFilters;
        assert.equal(filter.filterType, "PREFIX_MATCH");
        assert.match(filter.filter, ECR_REPOSITORY_FILTER, "ECR's RepositoryFilter pattern");
        const names = repoNames(prod);
        assert.equal(names.length, 5, "services and workers: api, notifier, inference, api-fn, cleanup");
        for (const name of names) assert.ok(name.startsWith(filter.filter), `${name} is replicated`);
        for (const other of ["platform/prod-dr/api", "platform/production/api", "platform/staging/api"]) assert.ok(!other.startsWith(filter.filter), other);
    });

    it("ECR's pattern accepts the trailing slash and refuses what ECR refuses", () => {
        for (const ok of ["platform/prod/", "platform/prod", "ab"]) assert.match(ok, ECR_REPOSITORY_FILTER, ok);
        for (const bad of ["Platform/prod/", "platform//prod", "/platform"]) assert.doesNotMatch(bad, ECR_REPOSITORY_FILTER, bad);
    });

    it("prod-dr creates its repositories under prod's names (ECR keeps names across regions), encrypted with its own key", () => {
        assert.deepEqual(repoNames(dr), repoNames(prod));
        for (const repo of ofType(dr, "aws:ecr/repository:Repository")) {
            assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
            assert.match(repo.inputs.encryptionConfigurations[0].kmsKey, /^arn:aws:kms:us-west-2:/);
        }
    });

    it("prod-dr's services run the replicated images from its own region's registry, by digest", () => {
        for (const td of ofType(dr, "aws:ecs/taskDefinition:TaskDefinition")) {
            const images = (JSON.parse(td.inputs.containerDefinitions) as Array<{ image: string }>).map((c) => c.image).filter((i) => i.includes(".dkr.ecr."));
            for (const image of images) assert.match(image, new RegExp(`^${ACCOUNT}\\.dkr\\.ecr\\.us-west-2\\.amazonaws\\.com/platform/prod/[a-z-]+@sha256:`), image);
        }
    });

    it("dev and staging replicate nothing", async () => {
        for (const stack of ["dev", "staging"]) {
            const run = await stackRun(stack);
            assert.equal(ofType(run, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length, 0, stack);
            assert.equal(ofType(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0, stack);
        }
    });
});

describe("replica lag of the recovery stack's cross-region replica", function () {
    this.timeout(120_000);
    const lagAlarms = (run: ProgramRun) => ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === "ReplicaLag");

    it("passive: ReplicaLag of prod-dr's database alarms at the tier's 30 s warning and 300 s critical", async () => {
        const dr = await stackRun("prod-dr");
        const alarms = lagAlarms(dr);
        assert.deepEqual(alarms.map((a) => [a.inputs.dimensions.DBInstanceIdentifier, a.inputs.threshold]).sort(), [
            ["platform-prod-dr-postgres", 30],
            ["platform-prod-dr-postgres", 300],
        ]);
        for (const a of alarms) {
            assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
            assert.ok(list(a.inputs.alarmActions).length > 0, `${a.name} notifies`);
        }
    });

    it("active: the promoted primary has no source to lag behind; its same-region replica is watched instead", async () => {
        const active = await activeRecoveryRun();
        if (active.error) throw active.error;
        const ids = lagAlarms(active).map((a) => a.inputs.dimensions.DBInstanceIdentifier);
        assert.ok(ids.length > 0 && ids.every((id: string) => id === "platform-prod-dr-postgres-replica-1"), ids.join(", "));
    });

    it("prod watches its same-region replica only", async () => {
        const ids = lagAlarms(await stackRun("prod")).map((a) => a.inputs.dimensions.DBInstanceIdentifier);
        assert.ok(ids.length > 0 && ids.every((id: string) => id === "platform-prod-postgres-replica-1"), ids.join(", "));
    });
});

describe("uploads bucket names (one pure function for every stack)", function () {
    this.timeout(60_000);
    it("every stack's uploads bucket is <project>-<stack>-uploads-<account>: the name a primary replicates to, kept when a primary takes the recovery role to fail back", async () => {
        for (const stack of ["dev", "staging", "prod", "prod-dr"]) {
            const uploads = ofType(await stackRun(stack), "aws:s3/bucket:Bucket").find((b) => b.name === `${stack}-data-uploads`)!;
            assert.equal(uploads.inputs.bucket, `platform-${stack}-uploads-${ACCOUNT}`, stack);
        }
    });
});

describe("uploads replication failures are alarmed (prod only: the stack that replicates)", function () {
    this.timeout(60_000);
    it("prod alarms on any object that failed to replicate, by its rule's own source, destination and id; no other stack has the alarm", async () => {
        const prod = await stackRun("prod");
        const rule = one(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules[0];
        const alarms = ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === "OperationsFailedReplication");
        assert.equal(alarms.length, 1);
        const [a] = alarms;
        assert.equal(a.inputs.namespace, "AWS/S3");
        assert.deepEqual(a.inputs.dimensions, {
            SourceBucket: `platform-prod-uploads-${ACCOUNT}`,
            DestinationBucket: String(rule.destination.bucket).replace(/^arn:aws:s3:::/, ""),
            RuleId: rule.id,
        });
        assert.equal(a.inputs.dimensions.DestinationBucket, `platform-prod-dr-uploads-${ACCOUNT}`);
        assert.deepEqual([a.inputs.statistic, a.inputs.comparisonOperator, a.inputs.threshold], ["Sum", "GreaterThanThreshold", 0]);
        assert.ok(a.inputs.alarmActions.length > 0 && a.inputs.okActions.length > 0);
        for (const stack of ["dev", "staging", "prod-dr"]) {
            const other = ofType(await stackRun(stack), "aws:cloudwatch/metricAlarm:MetricAlarm").filter((x) => x.inputs.metricName === "OperationsFailedReplication");
            assert.equal(other.length, 0, stack);
        }
    });
});

describe("project names (they prefix S3 bucket and ECR repository names, and the registry's replication filter)", () => {
    const projectIssue = (project: string) => configIssues({ tier: "dev" }, { stack: "dev", project }).find((i) => i.key === "(project name)");
    it("accepts lowercase letters, digits and single hyphens, and every accepted name makes a valid ECR filter prefix", () => {
        for (const ok of ["platform", "a", "my-app2", "shop-api"]) {
            assert.equal(projectIssue(ok), undefined, ok);
            assert.match(`${ok}/prod-dr/`, ECR_REPOSITORY_FILTER, ok);
        }
    });
    it("refuses what Pulumi accepts but S3 or ECR do not (upper case, _, ., a double or trailing hyphen), with the fix", () => {
        for (const bad of ["Platform", "my_app", "my.app", "my--app", "app-", "1app"]) {
            const issue = projectIssue(bad);
            assert.ok(issue, bad);
            assert.equal(issue!.value, bad);
            assert.match(issue!.allowed, /lowercase letters, digits and single hyphens/);
            assert.match(issue!.fix, /Pulumi\.yaml/);
        }
    });
});
