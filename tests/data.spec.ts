import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { TIER_DEFAULTS } from "../config";
import { statefulOptions } from "../components/shared/protection";
import { logsLifecycle, uploadsLifecycle } from "../components/data/buckets";
import { AUTH_TOKEN_SPECIALS, cacheTopology } from "../components/data/cache";
import { rotationFunctionName } from "../components/naming";
import { albLogDeliveryPrincipals } from "../components/data/log-delivery";
import { secretRecoveryWindowDays } from "../components/shared/protection";
import { ACCOUNT_ID, mockId, mockKeyArn, mockPhysicalName } from "../offline/mocks";
import { isSecretInput, ofType, one, policy, unsecret, recordResourceOptions, RecordedOptions, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUCKET = "aws:s3/bucket:Bucket";

const primaryOf = (run: { resources: Res[] }) => ofType(run, RDS).find((r) => !r.inputs.replicateSourceDb)!;
const replicasOf = (run: { resources: Res[] }) => ofType(run, RDS).filter((r) => r.inputs.replicateSourceDb);
const keyArn = (stack: string, role: "data" | "logs") => mockKeyArn(`${stack}-data-${role}-key`);
const dataSg = (stack: string) => mockId(`${stack}-network-data-sg`);
const appSg = (stack: string) => mockId(`${stack}-network-app-sg`);
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const ROTATION_APP = "aws:serverlessrepository/cloudFormationStack:CloudFormationStack";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
/** Recovery window of a deleted secret: 30 days (the maximum) in prod, where data is protected; 7 elsewhere. */
const RECOVERY_DAYS: Record<string, number> = { dev: 7, staging: 7, prod: 30 };
/** S3 does not transition objects of 128 KiB or less by default (S3 user guide, lifecycle transitions). */
const KIB_128 = 131072;
const ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com";

/** A lifecycle rule's inputs, as far as these specs read them. */
interface LifecycleRule {
    id: string;
    filter: { objectSizeGreaterThan?: number };
    transitions?: { days: number; storageClass: string }[];
    noncurrentVersionTransitions?: { noncurrentDays: number; storageClass: string }[];
    noncurrentVersionExpiration?: { noncurrentDays: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
    expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
}

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
            assert.deepEqual(statements.map((s) => s.Principal), [{ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }]);
        });

        it("the logs key lets CloudWatch Logs use it only for this account's log groups in the region", async () => {
            const key = one(await stackRun("dev"), "aws:kms/key:Key", "logs-key");
            const logs = policy(key.inputs.policy).Statement.find((s) => s.Principal.Service);
            assert.ok(logs);
            assert.equal(logs.Principal.Service, "logs.us-east-1.amazonaws.com");
            assert.equal(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:*`);
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
                    assert.equal(db.inputs.dbSubnetGroupName, mockPhysicalName(subnets.name));
                    assert.deepEqual(subnets.inputs.subnetIds, run.outputs.privateSubnetIds);
                });

                it("the master password is not RDS-managed (RDS refuses read replicas of such instances); it is generated, secret in state, never from config", async () => {
                    const run = await stackRun(stack);
                    const db = primaryOf(run);
                    assert.equal(db.inputs.manageMasterUserPassword, false);
                    assert.equal(db.inputs.masterUserSecretKmsKeyId, undefined);
                    assert.ok(isSecretInput(db.inputs.password), "the initial password is a Pulumi secret");
                    one(run, "random:index/randomPassword:RandomPassword", "db-master-password");
                    assert.equal(unsecret(db.inputs.password), "mock-password-0123456789abcdef", "the generated password (the mock's result)");
                    assert.equal(db.inputs.username, "app_admin");
                });

                it("the master credentials live in a secret encrypted with the data key, with the fields AWS's PostgreSQL rotation function reads", async () => {
                    const run = await stackRun(stack);
                    const secret = one(run, SECRET, "db-credentials");
                    assert.equal(secret.inputs.kmsKeyId, keyArn(stack, "data"));
                    assert.equal(secret.inputs.recoveryWindowInDays, RECOVERY_DAYS[stack]);
                    const version = one(run, SECRET_VERSION, "db-credentials");
                    assert.equal(version.inputs.secretId, mockId(`${stack}-data-db-credentials`));
                    assert.ok(isSecretInput(version.inputs.secretString), "the secret value is secret in state");
                    assert.deepEqual(JSON.parse(unsecret(version.inputs.secretString)), {
                        engine: "postgres",
                        host: `platform-${stack}-postgres.mock.us-east-1.rds.amazonaws.com`,
                        port: 5432,
                        username: "app_admin",
                        password: "mock-password-0123456789abcdef",
                        dbname: "app",
                    });
                    assert.equal(run.outputs.dbSecretArn, `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${stack}-data-db-credentials`);
                });

                it("AWS's single-user PostgreSQL rotation function rotates the secret every 30 days from the private subnets, in the app security group", async () => {
                    const run = await stackRun(stack);
                    const app = one(run, ROTATION_APP, "db-rotation");
                    assert.equal(app.inputs.applicationId, "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser");
                    assert.match(app.inputs.semanticVersion, /^\d+\.\d+\.\d+$/, "a pinned version: every stack runs the same rotation code");
                    assert.deepEqual([...app.inputs.capabilities].sort(), ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]);
                    assert.deepEqual(app.inputs.parameters, {
                        endpoint: "https://secretsmanager.us-east-1.amazonaws.com",
                        functionName: `platform-${stack}-db-rotation`,
                        vpcSubnetIds: (run.outputs.privateSubnetIds as string[]).join(","),
                        vpcSecurityGroupIds: appSg(stack),
                        kmsKeyArn: keyArn(stack, "data"),
                    });
                    const rotation = one(run, "aws:secretsmanager/secretRotation:SecretRotation");
                    assert.equal(rotation.inputs.secretId, mockId(`${stack}-data-db-credentials`));
                    assert.equal(rotation.inputs.rotationLambdaArn, `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:platform-${stack}-db-rotation`);
                    assert.deepEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
                });

                it("the rotation function's log group exists before the function, with the tier's retention and the logs key", async () => {
                    const run = await stackRun(stack);
                    const LOG_DAYS: Record<string, number> = { dev: 7, staging: 30, prod: 365 };
                    const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/lambda/platform-${stack}-db-rotation`);
                    assert.ok(group, `${stack}: /aws/lambda/platform-${stack}-db-rotation is pre-created`);
                    assert.equal(group.inputs.retentionInDays, LOG_DAYS[stack], `${stack}: rotation log retention`);
                    assert.equal(group.inputs.kmsKeyId, keyArn(stack, "logs"), `${stack}: rotation log group key`);
                });

                it("the rotation function can reach PostgreSQL and Secrets Manager (HTTPS) from the app security group", async () => {
                    const run = await stackRun(stack);
                    const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === appSg(stack));
                    assert.ok(egress.some((r) => r.inputs.fromPort === 5432 && r.inputs.toPort === 5432 && r.inputs.referencedSecurityGroupId === dataSg(stack)));
                    assert.ok(egress.some((r) => r.inputs.fromPort === 443 && r.inputs.toPort === 443 && r.inputs.cidrIpv4 === "0.0.0.0/0"));
                    const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === dataSg(stack));
                    assert.ok(ingress.some((r) => r.inputs.fromPort === 5432 && r.inputs.referencedSecurityGroupId === appSg(stack)));
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

        it("the initial master password uses only characters RDS accepts, 8-128 long", async () => {
            const pw = one(await stackRun("dev"), "random:index/randomPassword:RandomPassword", "db-master-password");
            assert.ok(pw.inputs.length >= 8 && pw.inputs.length <= 128);
            assert.doesNotMatch(pw.inputs.overrideSpecial, /[/'"@ ]/, "RDS refuses / ' \" @ and spaces");
        });

        it("the rotation function's name fits Lambda's 64-character limit, and a longer one is refused", () => {
            assert.equal(rotationFunctionName("platform-prod"), "platform-prod-db-rotation");
            const prefix52 = "p".repeat(52); // + "-db-rotation" (12) = 64
            assert.equal(rotationFunctionName(prefix52).length, 64);
            assert.throws(() => rotationFunctionName(prefix52 + "x"), /1-64 letters/);
        });

        it("prod's read replica follows the primary, encrypted, private, in the data security group", async () => {
            const [replica] = replicasOf(await stackRun("prod"));
            assert.equal(replica.inputs.kmsKeyId, undefined, "a same-region replica takes the source's key; the API refuses one");
            assert.equal(replica.inputs.replicateSourceDb, "platform-prod-postgres");
            assert.equal(replica.inputs.storageEncrypted, true);
            assert.equal(replica.inputs.publiclyAccessible, false);
            assert.deepEqual(replica.inputs.vpcSecurityGroupIds, [dataSg("prod")]);
            assert.equal(replica.inputs.username, undefined);
            assert.equal(replica.inputs.password, undefined, "a replica takes the source's credentials");
            assert.equal(replica.inputs.manageMasterUserPassword, undefined);
        });

        it("read replicas use gp3 (the API default for a replica is not gp3) and autoscale storage to the configured ceiling", async () => {
            const run = await stackRun("prod");
            const [replica] = replicasOf(run);
            assert.equal(replica.inputs.storageType, "gp3");
            assert.equal(replica.inputs.maxAllocatedStorage, TIER_DEFAULTS.prod.database.maxAllocatedStorageGb);
            const variant = await variantRun("prod", { "platform:database": { readReplicas: 2, maxAllocatedStorageGb: 400 } });
            assert.equal(variant.error, undefined);
            assert.deepEqual(replicasOf(variant).map((r) => [r.inputs.storageType, r.inputs.maxAllocatedStorage]), [["gp3", 400], ["gp3", 400]]);
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

        for (const [stack, applyImmediately] of [["dev", true], ["staging", true], ["prod", false]] as const) {
            it(`${stack}: cache changes ${applyImmediately ? "apply immediately" : "wait for the maintenance window"}`, async () => {
                assert.equal(one(await stackRun(stack), CACHE).inputs.applyImmediately, applyImmediately);
            });
        }

        for (const stack of TIER_STACKS) {
            it(`${stack}: a deleted cache secret stays recoverable ${RECOVERY_DAYS[stack]} days`, async () => {
                assert.equal(one(await stackRun(stack), SECRET, "cache-auth").inputs.recoveryWindowInDays, RECOVERY_DAYS[stack]);
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
                    // The edge's frontend bucket is built by the same hardening helper and held to the same guards.
                    assert.deepEqual(buckets.map((b) => b.name).sort(), [`${stack}-data-logs`, `${stack}-data-uploads`, `${stack}-edge-frontend`]);
                    for (const b of buckets) {
                        const parts = bucketParts(run, b.name);
                        const pab = parts.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")!;
                        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                            assert.equal(pab.inputs[flag], true, `${b.name} ${flag}`);
                        }
                        const statements = policy(parts.get("aws:s3/bucketPolicy:BucketPolicy")!.inputs.policy).Statement;
                        const tls = statements.find((s) => s.Effect === "Deny");
                        const arn = `arn:aws:s3:::${b.inputs.bucket ?? mockPhysicalName(b.name)}`; // uploads: its derived name
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
                        assert.ok((lifecycle.inputs.rules as LifecycleRule[]).some((r) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 7), `${b.name} aborts incomplete uploads`);
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
                    const rules: LifecycleRule[] = parts.get(LIFECYCLE)!.inputs.rules;
                    const transitions = rules.filter((r) => r.noncurrentVersionTransitions);
                    if (s.noncurrentToGlacierDays > 0) {
                        assert.deepEqual(transitions.map((r) => [r.filter, r.noncurrentVersionTransitions]), [
                            [{ objectSizeGreaterThan: KIB_128 }, [{ noncurrentDays: s.noncurrentToGlacierDays, storageClass: "GLACIER" }]],
                        ]);
                    } else {
                        assert.deepEqual(transitions, [], "no Glacier transition when it is off (0)");
                    }
                    const expiry = rules.filter((r) => r.noncurrentVersionExpiration);
                    assert.deepEqual(expiry.map((r) => [r.filter, r.noncurrentVersionExpiration]), [[{}, { noncurrentDays: s.noncurrentExpireDays }]], "every noncurrent version expires, whatever its size");
                    assert.ok(rules.every((r) => r.expiration === undefined || r.expiration.days === undefined), "current objects never expire");
                    const logging = parts.get("aws:s3/bucketLogging:BucketLogging")!;
                    assert.equal(logging.inputs.targetBucket, mockPhysicalName(`${stack}-data-logs`));
                });

                it("logs: SSE-S3 (all ALB/S3 log writers support), Glacier then expiry, delivery only to its writers' prefixes", async () => {
                    const run = await stackRun(stack);
                    const parts = bucketParts(run, `${stack}-data-logs`);
                    const s = TIER_DEFAULTS[stack].storage.logs;
                    const sse = parts.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")!.inputs.rules[0];
                    assert.equal(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                    const rules: LifecycleRule[] = parts.get(LIFECYCLE)!.inputs.rules;
                    const transitions = rules.filter((r) => r.transitions);
                    if (s.toGlacierDays > 0) {
                        assert.deepEqual(transitions.map((r) => [r.filter, r.transitions]), [[{ objectSizeGreaterThan: KIB_128 }, [{ days: s.toGlacierDays, storageClass: "GLACIER" }]]]);
                    } else {
                        assert.deepEqual(transitions, [], "no Glacier transition when it is off (0)");
                    }
                    const expiry = rules.filter((r) => r.expiration);
                    assert.deepEqual(expiry.map((r) => [r.filter, r.expiration]), [[{}, { days: s.expireDays }]], "every log object expires, whatever its size");
                    const allows = policy(parts.get("aws:s3/bucketPolicy:BucketPolicy")!.inputs.policy).Statement.filter((x) => x.Effect === "Allow");
                    const services = allows.map((a) => a.Principal.Service ?? a.Principal.AWS).sort();
                    // us-east-1 opened before August 2022: its ELB account (ALB user guide) and the delivery service.
                    assert.deepEqual(services, ["arn:aws:iam::127311923021:root", ELB_LOG_DELIVERY, "logging.s3.amazonaws.com"]);
                    for (const a of allows) {
                        assert.deepEqual(a.Action, "s3:PutObject");
                        assert.match(a.Resource, /\/(s3|alb)\//);
                    }
                    const s3logs = allows.find((a) => a.Principal.Service === "logging.s3.amazonaws.com")!;
                    assert.equal(s3logs.Condition.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
                });
            });
        }
    });

    describe("bucket lifecycle rules", () => {
        it("logs: Glacier off (0) means no transition rule; every object still expires", () => {
            assert.deepEqual(logsLifecycle({ toGlacierDays: 0, expireDays: 90 }), [{ id: "logs-expire", status: "Enabled", filter: {}, expiration: { days: 90 } }]);
        });

        it("logs: from 1 day on, only objects over 128 KiB go to Glacier; the expiry rule has no size filter", () => {
            const rules = logsLifecycle({ toGlacierDays: 1, expireDays: 91 });
            assert.deepEqual(
                rules.map((r) => [r.filter, r.transitions, r.expiration]),
                [
                    [{ objectSizeGreaterThan: 131072 }, [{ days: 1, storageClass: "GLACIER" }], undefined],
                    [{}, undefined, { days: 91 }],
                ],
            );
        });

        it("uploads: Glacier off (0) means no transition rule; noncurrent versions and orphaned delete markers still expire", () => {
            assert.deepEqual(uploadsLifecycle({ noncurrentToGlacierDays: 0, noncurrentExpireDays: 60 }), [
                { id: "noncurrent-expire", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 60 }, expiration: { expiredObjectDeleteMarker: true } },
            ]);
        });

        it("uploads: from 1 day on, only noncurrent versions over 128 KiB go to Glacier; expiry applies to all", () => {
            const rules = uploadsLifecycle({ noncurrentToGlacierDays: 1, noncurrentExpireDays: 91 });
            assert.deepEqual(
                rules.map((r) => [r.filter, r.noncurrentVersionTransitions, r.noncurrentVersionExpiration]),
                [
                    [{ objectSizeGreaterThan: 131072 }, [{ noncurrentDays: 1, storageClass: "GLACIER" }], undefined],
                    [{}, undefined, { noncurrentDays: 91 }],
                ],
            );
        });

        it("no stack's lifecycle transitions anything at day 0", async () => {
            for (const stack of TIER_STACKS) {
                for (const lc of ofType(await stackRun(stack), LIFECYCLE)) {
                    for (const r of lc.inputs.rules as LifecycleRule[]) {
                        for (const t of r.transitions ?? []) assert.ok(t.days > 0, `${lc.name} ${r.id}`);
                        for (const t of r.noncurrentVersionTransitions ?? []) assert.ok(t.noncurrentDays > 0, `${lc.name} ${r.id}`);
                    }
                }
            }
        });
    });

    describe("ALB access-log delivery", () => {
        it("regions opened before August 2022 admit their ELB account and the log-delivery service", () => {
            assert.deepEqual(albLogDeliveryPrincipals("us-east-1"), [{ AWS: "arn:aws:iam::127311923021:root" }, { Service: ELB_LOG_DELIVERY }]);
            assert.deepEqual(albLogDeliveryPrincipals("eu-west-1"), [{ AWS: "arn:aws:iam::156460612806:root" }, { Service: ELB_LOG_DELIVERY }]);
            assert.deepEqual(albLogDeliveryPrincipals("ap-southeast-3"), [{ AWS: "arn:aws:iam::589379963580:root" }, { Service: ELB_LOG_DELIVERY }]);
            assert.deepEqual(albLogDeliveryPrincipals("us-gov-west-1"), [{ AWS: "arn:aws-us-gov:iam::048591011584:root" }, { Service: ELB_LOG_DELIVERY }]);
        });

        it("regions opened since August 2022 admit only the log-delivery service", () => {
            for (const region of ["ap-southeast-5", "mx-central-1", "me-central-1", "il-central-1"]) {
                assert.deepEqual(albLogDeliveryPrincipals(region), [{ Service: ELB_LOG_DELIVERY }], region);
            }
        });

        it("a stack in a region with a regional ELB account admits it and the delivery service, with no ELB-account lookup", async () => {
            const run = await variantRun("dev", { "platform:region": "me-south-1" });
            assert.equal(run.error, undefined);
            assert.deepEqual(run.invokes.filter((i) => i.token.startsWith("aws:elb/")), []);
            const logsPolicy = policy(one(run, "aws:s3/bucketPolicy:BucketPolicy", "data-logs").inputs.policy);
            const albAllows = logsPolicy.Statement.filter((x) => x.Effect === "Allow" && String(x.Resource).includes("/alb/"));
            // me-south-1's ELB account, from the ALB access-log documentation.
            assert.deepEqual(albAllows.map((a) => a.Principal), [{ AWS: "arn:aws:iam::076674570225:root" }, { Service: ELB_LOG_DELIVERY }]);
            assert.equal(albAllows[0].Resource, `arn:aws:s3:::${mockPhysicalName("dev-data-logs")}/alb/AWSLogs/${ACCOUNT_ID}/*`);
        });
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
                assert.deepEqual(selection.inputs.resources, [`arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:platform-${stack}-postgres`]);
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
            assert.equal(copyVault.inputs.kmsKeyArn, mockKeyArn("prod-data-backup-copy-key", "us-west-2"));
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
            // The edge's frontend bucket and WAF-log key are held to the same rule.
            assert.ok(stateful.some((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "prod-edge-frontend"), "frontend bucket protected");
            assert.ok(stateful.some((r) => r.type === "aws:kms/key:Key" && r.name === "prod-edge-waf-log-key"), "WAF-log key protected");
        });

        it("in dev nothing is protected, so the stack can be torn down", () => {
            assert.ok(dev.length > 20);
            for (const r of dev) assert.notEqual(r.opts.protect, true, `${r.type} ${r.name}`);
        });

        it("where backups outlive the stack (staging), the data key and backup vault are retained on destroy; dev's are not", async () => {
            const staging = await recordResourceOptions("staging");
            for (const type of ["aws:kms/key:Key", "aws:backup/vault:Vault"]) {
                // The data tier's keys (monitoring's alert-topic key and the edge's WAF-log key hold no backups).
                const kept = staging.filter((r) => r.type === type && r.name.startsWith("staging-data-") && !r.name.includes("logs-key"));
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
                assert.ok(deps.some((d) => d instanceof aws.iam.RolePolicyAttachment), db.name);
            }
        });

        it("no data-tier resource sets deleteBeforeReplace", () => {
            const data = [...prod, ...dev].filter((r) => r.name.includes("-data"));
            assert.ok(data.length > 20);
            for (const r of data) assert.notEqual(r.opts.deleteBeforeReplace, true, `${r.type} ${r.name}`);
        });

        it("pulumi up never reverts a rotated password: the primary ignores `password`, the credentials' version ignores `secretString`", () => {
            for (const run of [prod, dev]) {
                const primary = run.find((r) => r.type === RDS && !r.name.includes("replica"))!;
                assert.deepEqual(primary.opts.ignoreChanges, ["password"]);
                const version = run.find((r) => r.type === SECRET_VERSION && r.name.endsWith("db-credentials"))!;
                assert.deepEqual(version.opts.ignoreChanges, ["secretString"]);
            }
        });

        it("the database secret is protected in prod and the rotation waits for its first version", () => {
            const secret = prod.find((r) => r.type === SECRET && r.name.endsWith("db-credentials"))!;
            assert.equal(secret.opts.protect, true);
            const rotation = prod.find((r) => r.type === "aws:secretsmanager/secretRotation:SecretRotation")!;
            const deps = [rotation.opts.dependsOn].flat() as Array<{ __pulumiType?: string } | undefined>;
            assert.ok(deps.some((d) => d instanceof aws.secretsmanager.SecretVersion));
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
