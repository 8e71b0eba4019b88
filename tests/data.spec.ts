import * as assert from "node:assert/strict";
import { TIER_DEFAULTS } from "../config";
import { statefulOptions } from "../components/data";
import { AUTH_TOKEN_SPECIALS, cacheTopology } from "../components/data/cache";
import { secretRecoveryWindowDays } from "../components/data/protection";
import { isSecretInput, ofType, one, policy, unsecret, recordResourceOptions, RecordedOptions, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUCKET = "aws:s3/bucket:Bucket";

const primaryOf = (run: { resources: Res[] }) => ofType(run, RDS).find((r) => !r.inputs.replicateSourceDb)!;
const replicasOf = (run: { resources: Res[] }) => ofType(run, RDS).filter((r) => r.inputs.replicateSourceDb);
const keyArn = (stack: string, role: "data" | "logs") => `arn:aws:kms:us-east-1:111111111111:key/${stack}-data-${role}-key`;
const dataSg = (stack: string) => `${stack}-network-data-sg-id`;

/** Every resource a bucket's guards attach to it, by type. */
function bucketParts(run: { resources: Res[] }, bucketName: string): Map<string, Res> {
    return new Map(run.resources.filter((r) => r.name === bucketName && r.type.startsWith("aws:s3/")).map((r) => [r.type, r]));
}

describe("data tier", () => {
    describe("encryption keys", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: customer-managed keys rotate yearly and wait 30 days before deletion`, async () => {
                const keys = ofType(await stackRun(stack), "aws:kms/key:Key");
                assert.ok(keys.length >= 2);
                for (const k of keys) {
                    assert.equal(k.inputs.enableKeyRotation, true, k.name);
                    assert.equal(k.inputs.deletionWindowInDays, 30, k.name);
                }
            });
        }

        it("the data key's policy grants nothing beyond the account's own IAM policies", async () => {
            const key = one(await stackRun("dev"), "aws:kms/key:Key", "data-key");
            const statements = policy(key.inputs.policy).Statement;
            assert.deepEqual(statements.map((s) => s.Principal), [{ AWS: "arn:aws:iam::111111111111:root" }]);
        });

        it("the logs key lets CloudWatch Logs use it only for this account's log groups in the region", async () => {
            const key = one(await stackRun("dev"), "aws:kms/key:Key", "logs-key");
            const logs = policy(key.inputs.policy).Statement.find((s) => s.Principal.Service);
            assert.ok(logs);
            assert.equal(logs.Principal.Service, "logs.us-east-1.amazonaws.com");
            assert.equal(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], "arn:aws:logs:us-east-1:111111111111:log-group:*");
            for (const s of policy(key.inputs.policy).Statement) assert.notEqual(s.Principal, "*");
        });
    });

    describe("PostgreSQL", () => {
        for (const stack of TIER_STACKS) {
            describe(`${stack}`, () => {
                const d = TIER_DEFAULTS[stack].database;

                it("runs the current major version, encrypted with the data key, in private subnets, not public", async () => {
                    const run = await stackRun(stack);
                    const db = primaryOf(run);
                    assert.equal(db.inputs.engine, "postgres");
                    assert.equal(db.inputs.engineVersion, "17");
                    assert.equal(db.inputs.storageEncrypted, true);
                    assert.equal(db.inputs.kmsKeyId, keyArn(stack, "data"));
                    assert.equal(db.inputs.publiclyAccessible, false);
                    assert.deepEqual(db.inputs.vpcSecurityGroupIds, [dataSg(stack)]);
                    const subnets = one(run, "aws:rds/subnetGroup:SubnetGroup");
                    assert.equal(db.inputs.dbSubnetGroupName, subnets.name + "-abc1234");
                    assert.deepEqual(subnets.inputs.subnetIds, run.outputs.privateSubnetIds);
                });

                it("lets RDS manage the master password in Secrets Manager; no password in config or inputs", async () => {
                    const db = primaryOf(await stackRun(stack));
                    assert.equal(db.inputs.manageMasterUserPassword, true);
                    assert.equal(db.inputs.masterUserSecretKmsKeyId, keyArn(stack, "data"));
                    assert.equal(db.inputs.password, undefined);
                    assert.notEqual(db.inputs.username, "postgres");
                });

                it("uses gp3 storage that autoscales, forces TLS and logs slow queries to CloudWatch", async () => {
                    const run = await stackRun(stack);
                    const db = primaryOf(run);
                    assert.equal(db.inputs.storageType, "gp3");
                    assert.ok(db.inputs.maxAllocatedStorage > db.inputs.allocatedStorage);
                    const params = one(run, "aws:rds/parameterGroup:ParameterGroup");
                    assert.equal(params.inputs.family, "postgres17");
                    const byName = Object.fromEntries(params.inputs.parameters.map((p: { name: string; value: string }) => [p.name, p.value]));
                    assert.equal(byName["rds.force_ssl"], "1");
                    assert.ok(Number(byName.log_min_duration_statement) > 0);
                    assert.deepEqual(db.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                    assert.equal(db.inputs.caCertIdentifier, "rds-ca-rsa2048-g1");
                });

                it("pre-creates its log groups with the tier's retention and the logs key", async () => {
                    const run = await stackRun(stack);
                    const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name?.startsWith("/aws/rds/instance/"));
                    assert.equal(groups.length, 2 * (1 + d.readReplicas));
                    assert.ok(groups.some((g) => g.inputs.name === `/aws/rds/instance/platform-${stack}-postgres/postgresql`));
                    for (const g of groups) {
                        assert.equal(g.inputs.retentionInDays, TIER_DEFAULTS[stack].logs.retentionDays);
                        assert.equal(g.inputs.kmsKeyId, keyArn(stack, "logs"));
                    }
                });

                it("has Performance Insights (encrypted), minor upgrades, tags copied to snapshots, IAM auth", async () => {
                    const db = primaryOf(await stackRun(stack));
                    assert.equal(db.inputs.performanceInsightsEnabled, true);
                    assert.equal(db.inputs.performanceInsightsKmsKeyId, keyArn(stack, "data"));
                    assert.equal(db.inputs.autoMinorVersionUpgrade, true);
                    assert.equal(db.inputs.copyTagsToSnapshot, true);
                    assert.equal(db.inputs.iamDatabaseAuthenticationEnabled, true);
                });

                it(`is ${d.multiAz ? "Multi-AZ" : "single-AZ"} with ${d.backupRetentionDays}-day backups and ${d.readReplicas} read replica(s)`, async () => {
                    const run = await stackRun(stack);
                    const db = primaryOf(run);
                    assert.equal(db.inputs.multiAz, d.multiAz);
                    assert.equal(db.inputs.backupRetentionPeriod, d.backupRetentionDays);
                    assert.equal(replicasOf(run).length, d.readReplicas);
                });
            });
        }

        it("dev can be torn down: no deletion protection, no final snapshot, no enhanced monitoring", async () => {
            const db = primaryOf(await stackRun("dev"));
            assert.equal(db.inputs.deletionProtection, false);
            assert.equal(db.inputs.skipFinalSnapshot, true);
            assert.equal(db.inputs.finalSnapshotIdentifier, undefined);
            assert.equal(db.inputs.monitoringInterval, 0);
        });

        it("prod has deletion protection, a uniquely named final snapshot, kept automated backups and enhanced monitoring", async () => {
            const run = await stackRun("prod");
            const db = primaryOf(run);
            assert.equal(db.inputs.deletionProtection, true);
            assert.equal(db.inputs.skipFinalSnapshot, false);
            const random = one(run, "random:index/randomId:RandomId", "db-final-snapshot");
            assert.deepEqual(random.inputs.keepers, { identifier: "platform-prod-postgres" });
            assert.match(db.inputs.finalSnapshotIdentifier, /^platform-prod-postgres-final-[0-9a-f]{8}$/);
            assert.equal(db.inputs.deleteAutomatedBackups, false);
            assert.equal(db.inputs.monitoringInterval, 60);
            const role = one(run, "aws:iam/role:Role", "db-monitoring");
            assert.equal(policy(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "monitoring.rds.amazonaws.com");
            assert.ok(db.inputs.backupRetentionPeriod >= 30);
        });

        it("allows the major-version upgrade its engineVersion setting implies", async () => {
            assert.equal(primaryOf(await stackRun("prod")).inputs.allowMajorVersionUpgrade, true);
        });

        it("maintenance starts after the RDS backup window and the AWS Backup job's start window", async () => {
            const db = primaryOf(await stackRun("prod"));
            const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
            const maintenanceStart = minutes(db.inputs.maintenanceWindow.split("-")[0].split(":").slice(1).join(":"));
            const backupEnd = minutes(db.inputs.backupWindow.split("-")[1]);
            const awsBackupHour = Number(/^cron\(0 (\d+) /.exec(TIER_DEFAULTS.prod.backup.schedule)![1]);
            assert.ok(maintenanceStart > backupEnd);
            assert.ok(maintenanceStart >= awsBackupHour * 60 + 60 + 30, "AWS Backup starts within 60 minutes of its schedule");
        });

        it("prod's read replica follows the primary, encrypted, private, in the data security group", async () => {
            const [replica] = replicasOf(await stackRun("prod"));
            assert.equal(replica.inputs.kmsKeyId, undefined, "a same-region replica takes the source's key; the API refuses one");
            assert.equal(replica.inputs.replicateSourceDb, "platform-prod-postgres");
            assert.equal(replica.inputs.storageEncrypted, true);
            assert.equal(replica.inputs.publiclyAccessible, false);
            assert.deepEqual(replica.inputs.vpcSecurityGroupIds, [dataSg("prod")]);
            assert.equal(replica.inputs.username, undefined);
            assert.equal(replica.inputs.manageMasterUserPassword, undefined);
        });

        it("the replica count comes from config", async () => {
            const run = await variantRun("prod", { "platform:database": { readReplicas: 2 } });
            assert.equal(run.error, undefined);
            assert.deepEqual(replicasOf(run).map((r) => r.inputs.identifier), ["platform-prod-postgres-replica-1", "platform-prod-postgres-replica-2"]);
            assert.equal((run.outputs.dbReaderEndpoints as string[]).length, 2);
        });
    });

    describe("cache", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: private, app-only, encrypted at rest with the data key and in transit, AUTH token in Secrets Manager`, async () => {
                const run = await stackRun(stack);
                const cache = one(run, CACHE);
                assert.deepEqual(cache.inputs.securityGroupIds, [dataSg(stack)]);
                assert.deepEqual(one(run, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, run.outputs.privateSubnetIds);
                assert.equal(cache.inputs.atRestEncryptionEnabled, true);
                assert.equal(cache.inputs.kmsKeyId, keyArn(stack, "data"));
                assert.equal(cache.inputs.transitEncryptionEnabled, true);
                assert.equal(cache.inputs.transitEncryptionMode, "required");
                assert.ok(isSecretInput(cache.inputs.authToken), "AUTH token set, and kept secret in state");
                const secret = one(run, "aws:secretsmanager/secret:Secret", "cache-auth");
                assert.equal(secret.inputs.kmsKeyId, keyArn(stack, "data"));
                const version = one(run, "aws:secretsmanager/secretVersion:SecretVersion", "cache-auth");
                assert.ok(isSecretInput(version.inputs.secretString), "secret value is secret in state");
                const value = JSON.parse(unsecret(version.inputs.secretString));
                assert.equal(value.authToken, unsecret(cache.inputs.authToken));
                assert.equal(value.tls, true);
                assert.equal(cache.inputs.engine, "valkey");
            });
        }

        it("dev runs a single node without failover", async () => {
            const cache = one(await stackRun("dev"), CACHE);
            assert.equal(cache.inputs.numCacheClusters, 1);
            assert.equal(cache.inputs.automaticFailoverEnabled, false);
            assert.equal(cache.inputs.multiAzEnabled, false);
        });

        it("prod runs at least two nodes with automatic failover, Multi-AZ and 7+ days of daily snapshots", async () => {
            const cache = one(await stackRun("prod"), CACHE);
            assert.ok(cache.inputs.numCacheClusters >= 2);
            assert.equal(cache.inputs.automaticFailoverEnabled, true);
            assert.equal(cache.inputs.multiAzEnabled, true);
            assert.ok(cache.inputs.snapshotRetentionLimit >= 7);
            assert.match(cache.inputs.finalSnapshotIdentifier, /^prod-data-cache-final-[0-9a-f]{8}$/);
        });

        it("failover and Multi-AZ follow the node count", () => {
            assert.deepEqual(cacheTopology(1), { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false });
            assert.deepEqual(cacheTopology(3), { numCacheClusters: 3, automaticFailoverEnabled: true, multiAzEnabled: true });
        });

        it("the AUTH token generator only uses characters ElastiCache accepts", async () => {
            const pw = one(await stackRun("dev"), "random:index/randomPassword:RandomPassword", "cache-auth");
            assert.equal(pw.inputs.overrideSpecial, AUTH_TOKEN_SPECIALS);
            assert.ok(pw.inputs.length >= 16 && pw.inputs.length <= 128);
            assert.doesNotMatch(AUTH_TOKEN_SPECIALS, /[@"/]/);
        });
    });

    describe("buckets", () => {
        for (const stack of TIER_STACKS) {
            describe(stack, () => {
                it("every bucket blocks public access, denies non-TLS requests, sets object ownership and encryption", async () => {
                    const run = await stackRun(stack);
                    const buckets = ofType(run, BUCKET);
                    assert.deepEqual(buckets.map((b) => b.name).sort(), [`${stack}-data-logs`, `${stack}-data-uploads`]);
                    for (const b of buckets) {
                        const parts = bucketParts(run, b.name);
                        const pab = parts.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")!;
                        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                            assert.equal(pab.inputs[flag], true, `${b.name} ${flag}`);
                        }
                        const statements = policy(parts.get("aws:s3/bucketPolicy:BucketPolicy")!.inputs.policy).Statement;
                        const tls = statements.find((s) => s.Effect === "Deny");
                        const arn = `arn:aws:s3:::${b.name}-abc1234`;
                        assert.deepEqual(
                            { Principal: tls?.Principal, Action: tls?.Action, Resource: tls?.Resource, Condition: tls?.Condition },
                            { Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            `${b.name}: every action on the bucket and its objects is denied without TLS`,
                        );
                        for (const s of statements.filter((x) => x.Effect === "Allow")) {
                            assert.notEqual(s.Principal, "*", `${b.name} allows everyone`);
                            assert.notDeepEqual(s.Principal, { AWS: "*" }, `${b.name} allows everyone`);
                        }
                        assert.ok(parts.get("aws:s3/bucketOwnershipControls:BucketOwnershipControls"));
                        assert.ok(parts.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"));
                        const lifecycle = parts.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")!;
                        assert.ok(lifecycle.inputs.rules.some((r: any) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 7), `${b.name} aborts incomplete uploads`);
                        assert.equal(b.inputs.forceDestroy, stack === "dev", `${b.name} forceDestroy only in dev`);
                    }
                });

                it("uploads: versioned, SSE-KMS with the data key, ACLs off, noncurrent versions to Glacier then expired, access-logged", async () => {
                    const run = await stackRun(stack);
                    const parts = bucketParts(run, `${stack}-data-uploads`);
                    const s = TIER_DEFAULTS[stack].storage.uploads;
                    assert.equal(parts.get("aws:s3/bucketVersioning:BucketVersioning")!.inputs.versioningConfiguration.status, "Enabled");
                    const sse = parts.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")!.inputs.rules[0];
                    assert.equal(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                    assert.equal(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId, keyArn(stack, "data"));
                    assert.equal(parts.get("aws:s3/bucketOwnershipControls:BucketOwnershipControls")!.inputs.rule.objectOwnership, "BucketOwnerEnforced");
                    const rule = parts.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")!.inputs.rules[0];
                    assert.deepEqual(rule.noncurrentVersionTransitions, [{ noncurrentDays: s.noncurrentToGlacierDays, storageClass: "GLACIER" }]);
                    assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: s.noncurrentExpireDays });
                    const logging = parts.get("aws:s3/bucketLogging:BucketLogging")!;
                    assert.equal(logging.inputs.targetBucket, `${stack}-data-logs-abc1234`);
                });

                it("logs: SSE-S3 (all ALB/S3 log writers support), Glacier then expiry, delivery only to its writers' prefixes", async () => {
                    const run = await stackRun(stack);
                    const parts = bucketParts(run, `${stack}-data-logs`);
                    const s = TIER_DEFAULTS[stack].storage.logs;
                    const sse = parts.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")!.inputs.rules[0];
                    assert.equal(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                    const rule = parts.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")!.inputs.rules[0];
                    assert.deepEqual(rule.transitions, [{ days: s.toGlacierDays, storageClass: "GLACIER" }]);
                    assert.deepEqual(rule.expiration, { days: s.expireDays });
                    const allows = policy(parts.get("aws:s3/bucketPolicy:BucketPolicy")!.inputs.policy).Statement.filter((x) => x.Effect === "Allow");
                    const services = allows.map((a) => a.Principal.Service ?? a.Principal.AWS).sort();
                    assert.deepEqual(services, ["arn:aws:iam::127311923021:root", "logdelivery.elasticloadbalancing.amazonaws.com", "logging.s3.amazonaws.com"]);
                    for (const a of allows) {
                        assert.deepEqual(a.Action, "s3:PutObject");
                        assert.match(a.Resource, /\/(s3|alb)\//);
                    }
                    const s3logs = allows.find((a) => a.Principal.Service === "logging.s3.amazonaws.com")!;
                    assert.equal(s3logs.Condition.StringEquals["aws:SourceAccount"], "111111111111");
                });
            });
        }
    });

    describe("backups", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: a CMK-encrypted vault and a daily plan kept ${TIER_DEFAULTS[stack].backup.retentionDays} days cover the database`, async () => {
                const run = await stackRun(stack);
                const vault = one(run, "aws:backup/vault:Vault", "data-backup");
                assert.equal(vault.inputs.kmsKeyArn, keyArn(stack, "data"));
                assert.equal(vault.inputs.forceDestroy, stack === "dev", "only dev's destroy may empty the vault");
                const rule = one(run, "aws:backup/plan:Plan").inputs.rules[0];
                assert.match(rule.schedule, /^cron\(0 \d+ \* \* \? \*\)$/);
                assert.equal(rule.lifecycle.deleteAfter, TIER_DEFAULTS[stack].backup.retentionDays);
                const selection = one(run, "aws:backup/selection:Selection");
                assert.deepEqual(selection.inputs.resources, [`arn:aws:rds:us-east-1:111111111111:db:platform-${stack}-postgres`]);
                const role = one(run, "aws:iam/role:Role", "data-backup");
                assert.equal(policy(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "backup.amazonaws.com");
            });
        }

        it("prod copies every recovery point to a vault with its own key in the configured second region", async () => {
            const run = await stackRun("prod");
            const copyVault = one(run, "aws:backup/vault:Vault", "backup-copy");
            const copyKey = one(run, "aws:kms/key:Key", "backup-copy-key");
            assert.equal(copyVault.inputs.region, "us-west-2");
            assert.equal(copyKey.inputs.region, "us-west-2");
            assert.equal(copyVault.inputs.kmsKeyArn, "arn:aws:kms:us-west-2:111111111111:key/prod-data-backup-copy-key");
            const rule = one(run, "aws:backup/plan:Plan").inputs.rules[0];
            assert.equal(rule.copyActions.length, 1);
            assert.equal(rule.copyActions[0].lifecycle.deleteAfter, 30);
        });

        it("dev and staging make no cross-region copies", async () => {
            for (const stack of ["dev", "staging"]) {
                const run = await stackRun(stack);
                assert.equal(ofType(run, "aws:backup/vault:Vault").length, 1);
                assert.equal(one(run, "aws:backup/plan:Plan").inputs.rules[0].copyActions, undefined);
            }
        });
    });

    describe("data protection", () => {
        it("statefulOptions: protect and retain on delete when data is protected, nothing otherwise, never deleteBeforeReplace", () => {
            assert.deepEqual(statefulOptions(true), { protect: true, retainOnDelete: true });
            assert.deepEqual(statefulOptions(false), {});
            assert.ok(!("deleteBeforeReplace" in statefulOptions(true)));
        });

        it("deleted secrets stay recoverable 30 days when data is protected, 7 otherwise", () => {
            assert.equal(secretRecoveryWindowDays(true), 30);
            assert.equal(secretRecoveryWindowDays(false), 7);
        });

        const STATEFUL = [RDS, CACHE, BUCKET, "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:backup/vault:Vault"];
        let prod: RecordedOptions[];
        let dev: RecordedOptions[];
        before(async () => {
            prod = await recordResourceOptions("prod");
            dev = await recordResourceOptions("dev");
        });

        it("in prod every database, replica, cache, bucket, key, secret and backup vault carries protect", () => {
            const stateful = prod.filter((r) => STATEFUL.includes(r.type));
            assert.deepEqual(
                STATEFUL.filter((t) => !stateful.some((r) => r.type === t)),
                [],
                "every stateful type is present",
            );
            for (const r of stateful) {
                assert.equal(r.opts.protect, true, `${r.type} ${r.name}`);
                assert.equal(r.opts.retainOnDelete, true, `${r.type} ${r.name}`);
            }
            assert.equal(prod.filter((r) => r.type === RDS).length, 2, "primary and replica");
        });

        it("in dev nothing is protected, so the stack can be torn down", () => {
            assert.ok(dev.length > 20);
            for (const r of dev) assert.notEqual(r.opts.protect, true, `${r.type} ${r.name}`);
        });

        it("where backups outlive the stack (staging), the data key and backup vault are retained on destroy; dev's are not", async () => {
            const staging = await recordResourceOptions("staging");
            for (const type of ["aws:kms/key:Key", "aws:backup/vault:Vault"]) {
                const kept = staging.filter((r) => r.type === type && !r.name.includes("logs-key"));
                assert.ok(kept.length > 0);
                for (const r of kept) assert.equal(r.opts.retainOnDelete, true, `${r.type} ${r.name}`);
            }
            for (const r of dev.filter((x) => x.type === "aws:kms/key:Key" || x.type === "aws:backup/vault:Vault")) {
                assert.notEqual(r.opts.retainOnDelete, true, `${r.type} ${r.name}`);
            }
        });

        it("the database waits for the enhanced-monitoring role's policy attachment", () => {
            for (const db of prod.filter((r) => r.type === RDS)) {
                const deps = [db.opts.dependsOn].flat() as Array<{ __pulumiType?: string } | undefined>;
                assert.ok(deps.some((d) => (d as any)?.__pulumiType === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), db.name);
            }
        });

        it("nothing sets deleteBeforeReplace", () => {
            for (const r of [...prod, ...dev]) assert.notEqual(r.opts.deleteBeforeReplace, true, `${r.type} ${r.name}`);
        });
    });

    describe("outputs", () => {
        for (const stack of TIER_STACKS) {
            it(`${stack}: endpoints, secret ARNs (never values), bucket names and key ARNs`, async () => {
                const run = await stackRun(stack);
                const o = run.outputs;
                assert.equal(o.dbEndpoint, `platform-${stack}-postgres.mock.us-east-1.rds.amazonaws.com`);
                assert.match(o.dbSecretArn as string, /^arn:aws:secretsmanager:/);
                assert.match(o.cacheAuthSecretArn as string, /^arn:aws:secretsmanager:/);
                assert.match(o.cacheEndpoint as string, /cache\.amazonaws\.com$/);
                assert.deepEqual(Object.keys(o.buckets as object).sort(), ["logs", "uploads"]);
                assert.deepEqual(o.kmsKeyArns, { data: keyArn(stack, "data"), logs: keyArn(stack, "logs") });
                assert.doesNotMatch(JSON.stringify(o), /mock-password/, "no generated secret in outputs");
            });
        }
    });
});
