/** Data tier: PostgreSQL, cache, buckets, keys, secrets, log groups, and the data-protection options (components/data/). */
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Finding, isTrue, list, ownersWithout, publicAllows, resourcePolicy, stackPolicy, statements } from "./lib";

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUCKET = "aws:s3/bucket:Bucket";
const KMS_KEY = "aws:kms/key:Key";
const SECRET = "aws:secretsmanager/secret:Secret";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** A read replica: backups, Multi-AZ and final snapshots are the primary's business. */
const isReplica = (p: Record<string, any>) => Boolean(p.replicateSourceDb);

/** Resources that hold data or are the only copy of something (seed: stateful resources are protected in prod). */
export const STATEFUL_TYPES = [
    RDS,
    CACHE,
    BUCKET,
    KMS_KEY,
    SECRET,
    "aws:ecr/repository:Repository",
    "aws:backup/vault:Vault",
    "aws:sqs/queue:Queue",
    "aws:dynamodb/table:Table",
    "aws:route53/zone:Zone",
];

export const databasePolicies = [
    resourcePolicy(
        { name: "rds-not-public", control: "RDS.2", summary: "Database instances are not publicly accessible.", level: "mandatory", remediation: "not configurable: components/data/database.ts keeps publiclyAccessible false in private subnets.", types: [RDS] },
        (p) => (p.publiclyAccessible === true ? ["publiclyAccessible is true."] : []),
    ),
    resourcePolicy(
        { name: "rds-storage-encrypted", control: "RDS.3", summary: "Database storage is encrypted (replicas too).", level: "mandatory", remediation: "not configurable: components/data/database.ts sets storageEncrypted with the data key.", types: [RDS] },
        (p) => (p.storageEncrypted === true ? [] : ["storageEncrypted is not true."]),
    ),
    resourcePolicy(
        { name: "rds-multi-az", control: "RDS.5", summary: "The primary database is Multi-AZ.", level: "mandatory", remediation: "database.multiAz: true (the prod tier default).", types: [RDS], tiers: ["prod"] },
        (p) => (isReplica(p) || p.multiAz === true ? [] : ["multiAz is not true."]),
    ),
    resourcePolicy(
        { name: "rds-enhanced-monitoring", control: "RDS.6", summary: "Enhanced monitoring is on (interval and role).", level: "advisory", remediation: "database.monitoringIntervalSeconds: 60 (1, 5, 10, 15, 30 or 60).", types: [RDS] },
        (p) => (Number(p.monitoringInterval ?? 0) > 0 && p.monitoringRoleArn ? [] : [`monitoringInterval is ${p.monitoringInterval ?? 0}.`]),
    ),
    resourcePolicy(
        { name: "rds-deletion-protection", control: "RDS.8", summary: "Database instances have deletion protection.", level: "mandatory", remediation: "database.deletionProtection: true (the prod tier default).", types: [RDS], tiers: ["prod"] },
        (p) => (p.deletionProtection === true ? [] : ["deletionProtection is not true."]),
    ),
    resourcePolicy(
        { name: "rds-log-exports", control: "RDS.9, RDS.36", summary: "PostgreSQL exports its postgresql and upgrade logs to CloudWatch.", level: "mandatory", remediation: "not configurable: components/data/database.ts exports both logs (retention: logs.retentionDays).", types: [RDS] },
        (p) => {
            const missing = ["postgresql", "upgrade"].filter((l) => !list(p.enabledCloudwatchLogsExports as string[]).includes(l));
            return missing.length ? [`enabledCloudwatchLogsExports lacks ${missing.join(", ")}.`] : [];
        },
    ),
    resourcePolicy(
        { name: "rds-iam-auth", control: "RDS.10", summary: "IAM database authentication is enabled.", level: "mandatory", remediation: "not configurable: components/data/database.ts enables it.", types: [RDS] },
        (p) => (p.iamDatabaseAuthenticationEnabled === true ? [] : ["iamDatabaseAuthenticationEnabled is not true."]),
    ),
    resourcePolicy(
        { name: "rds-backups", control: "RDS.11", summary: "Primaries keep automated backups for at least 7 days.", level: "mandatory", remediation: "database.backupRetentionDays: 7 or more (tier defaults 7, 14, 30; config refuses fewer in every tier, config/rules/database.ts).", types: [RDS] },
        (p) => (isReplica(p) || Number(p.backupRetentionPeriod ?? 0) >= 7 ? [] : [`backupRetentionPeriod is ${p.backupRetentionPeriod ?? "unset"} (< 7).`]),
    ),
    resourcePolicy(
        { name: "rds-minor-upgrades", control: "RDS.13", summary: "Automatic minor version upgrades stay on.", level: "mandatory", remediation: "not configurable: components/data/database.ts sets autoMinorVersionUpgrade.", types: [RDS] },
        (p) => (p.autoMinorVersionUpgrade === false ? ["autoMinorVersionUpgrade is false."] : []),
    ),
    resourcePolicy(
        { name: "rds-copy-tags-to-snapshot", control: "RDS.17", summary: "Instances copy their tags to snapshots.", level: "advisory", remediation: "not configurable: components/data/database.ts sets copyTagsToSnapshot.", types: [RDS] },
        (p) => (p.copyTagsToSnapshot === true ? [] : ["copyTagsToSnapshot is not true."]),
    ),
    resourcePolicy(
        { name: "rds-non-default-port", control: "RDS.23", summary: "The database does not listen on the engine's default port.", level: "advisory", remediation: "not configurable (waived, policy/waivers.ts).", types: [RDS] },
        (p) => (isReplica(p) || (p.port !== undefined && Number(p.port) !== 5432) ? [] : [`port is ${p.port ?? "the default"} (5432).`]),
    ),
    resourcePolicy(
        { name: "rds-no-default-admin", control: "RDS.25", summary: "The master user is not the engine's default (postgres).", level: "mandatory", remediation: "not configurable: components/data/database.ts names the admin app_admin.", types: [RDS] },
        (p) => (isReplica(p) || (p.username !== undefined && p.username !== "postgres") ? [] : [`username is ${p.username ?? "unset"}.`]),
    ),
    resourcePolicy(
        { name: "rds-force-ssl", control: "RDS.38", summary: "The parameter group requires TLS (rds.force_ssl = 1).", level: "mandatory", remediation: "not configurable: components/data/database.ts sets rds.force_ssl.", types: ["aws:rds/parameterGroup:ParameterGroup"] },
        (p) => (String(p.family ?? "").startsWith("postgres") && !list(p.parameters as any[]).some((x) => x.name === "rds.force_ssl" && String(x.value) === "1") ? ["rds.force_ssl is not 1."] : []),
    ),
];

export const cachePolicies = [
    resourcePolicy(
        { name: "elasticache-backups", control: "ElastiCache.1", summary: "The cache keeps automatic snapshots (at least 1 day).", level: "mandatory", remediation: "cache.snapshotRetentionDays: 1 or more (tier defaults 1, 3, 7; config refuses 0 in every tier, config/rules/cache.ts).", types: [CACHE] },
        (p) => (Number(p.snapshotRetentionLimit ?? 0) >= 1 ? [] : [`snapshotRetentionLimit is ${p.snapshotRetentionLimit ?? 0}.`]),
    ),
    resourcePolicy(
        { name: "elasticache-minor-upgrades", control: "ElastiCache.2", summary: "Automatic minor version upgrades stay on.", level: "mandatory", remediation: "not configurable: components/data/cache.ts sets autoMinorVersionUpgrade.", types: [CACHE] },
        (p) => (p.autoMinorVersionUpgrade === false || p.autoMinorVersionUpgrade === "false" ? ["autoMinorVersionUpgrade is false."] : []),
    ),
    resourcePolicy(
        { name: "elasticache-failover", control: "ElastiCache.3", summary: "Automatic failover and Multi-AZ with at least two nodes.", level: "mandatory", remediation: "cache.nodes: 2 or more (failover and Multi-AZ follow).", types: [CACHE] },
        (p) => (isTrue(p.automaticFailoverEnabled) && isTrue(p.multiAzEnabled) ? [] : ["automaticFailoverEnabled/multiAzEnabled are not both true."]),
    ),
    resourcePolicy(
        { name: "elasticache-encrypted-at-rest", control: "ElastiCache.4", summary: "The cache is encrypted at rest with the data key.", level: "mandatory", remediation: "not configurable: components/data/cache.ts sets atRestEncryptionEnabled and kmsKeyId.", types: [CACHE] },
        (p) => (isTrue(p.atRestEncryptionEnabled) ? [] : ["atRestEncryptionEnabled is not true."]),
    ),
    resourcePolicy(
        { name: "elasticache-encrypted-in-transit", control: "ElastiCache.5", summary: "The cache requires TLS.", level: "mandatory", remediation: "not configurable: components/data/cache.ts sets transitEncryptionEnabled with mode required.", types: [CACHE] },
        (p) => (isTrue(p.transitEncryptionEnabled) && (p.transitEncryptionMode ?? "required") === "required" ? [] : ["transit encryption is not required."]),
    ),
    resourcePolicy(
        { name: "elasticache-auth", control: "ElastiCache.6", summary: "Clients authenticate (AUTH token or RBAC user groups).", level: "mandatory", remediation: "not configurable: components/data/cache.ts sets the AUTH token.", types: [CACHE] },
        (p) => (p.authToken || list(p.userGroupIds).length > 0 ? [] : ["neither authToken nor userGroupIds is set."]),
    ),
    resourcePolicy(
        { name: "elasticache-subnet-group", control: "ElastiCache.7", summary: "The cache runs in its own (private) subnet group, not the default one.", level: "mandatory", remediation: "not configurable: components/data/cache.ts creates a subnet group on the private subnets.", types: [CACHE] },
        (p) => (p.subnetGroupName && p.subnetGroupName !== "default" ? [] : [`subnetGroupName is ${p.subnetGroupName ?? "unset"}.`]),
    ),
];

function eachBucket(args: StackValidationArgs, type: string, ok: (side: PolicyResource) => boolean, what: string): Finding[] {
    return ownersWithout(args, BUCKET, type, "bucket", ok).map((b) => ({ message: `bucket ${b.name} has no ${what}.`, resource: b }));
}

/** Actions S3.6 forbids granting to other accounts' principals (and `s3:*`, which includes them). */
const S3_6_ACTIONS = ["s3:*", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"];
const isAccountPrincipal = (p: unknown) => p !== null && typeof p === "object" && "AWS" in (p as object);

const TLS_ONLY = (doc: unknown) =>
    statements(doc).some(
        (s) => s.Effect === "Deny" && list(s.Action).some((a) => a === "s3:*") && String((s.Condition as any)?.Bool?.["aws:SecureTransport"]) === "false",
    );

export const bucketPolicies = [
    stackPolicy(
        { name: "s3-block-public-access", control: "S3.8", summary: "Every bucket has a public access block with all four settings on.", level: "mandatory", remediation: "not configurable: components/data/buckets.ts adds the block to every bucket.", types: [BUCKET, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"] },
        (args) => eachBucket(args, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (s) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => s.props[k] === true), "public access block with all four settings true"),
    ),
    stackPolicy(
        { name: "s3-tls-only", control: "S3.5", summary: "Every bucket's policy denies requests without TLS (aws:SecureTransport false).", level: "mandatory", remediation: "not configurable: components/data/buckets.ts puts the DenyInsecureTransport statement in every bucket policy.", types: [BUCKET, "aws:s3/bucketPolicy:BucketPolicy"] },
        (args) => eachBucket(args, "aws:s3/bucketPolicy:BucketPolicy", (s) => TLS_ONLY(s.props.policy), "bucket policy denying non-TLS requests"),
    ),
    resourcePolicy(
        { name: "s3-no-public-access-grants", control: "S3.2, S3.3, S3.6", summary: "No bucket policy or ACL grants access to everyone.", level: "mandatory", remediation: "not configurable: grant named principals (components/data/buckets.ts); the edge reads through CloudFront OAC.", types: ["aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketAcl:BucketAcl"] },
        (p, args) =>
            args.type === "aws:s3/bucketAcl:BucketAcl"
                ? ["public-read", "public-read-write", "authenticated-read"].includes(p.acl) ? [`acl is ${p.acl}.`] : []
                : [
                      ...publicAllows(p.policy).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition.`),
                      ...statements(p.policy)
                          .filter((s) => s.Effect === "Allow" && isAccountPrincipal(s.Principal) && list(s.Action).some((a) => S3_6_ACTIONS.includes(a)))
                          .map((s) => `statement ${s.Sid ?? "(no Sid)"} lets an account principal change the bucket's policy, ACLs or encryption (S3.6).`),
                  ],
    ),
    stackPolicy(
        { name: "s3-access-logging", control: "S3.9", summary: "Every bucket logs its access to the logs bucket.", level: "mandatory", remediation: "not configurable: components/data/buckets.ts adds BucketLogging to every bucket but the logs bucket.", types: [BUCKET, "aws:s3/bucketLogging:BucketLogging"] },
        (args) => eachBucket(args, "aws:s3/bucketLogging:BucketLogging", (s) => Boolean(s.props.targetBucket), "access logging"),
    ),
    stackPolicy(
        { name: "s3-ownership-enforced", control: "S3.12", summary: "Every bucket disables ACLs (object ownership BucketOwnerEnforced).", level: "mandatory", remediation: "not configurable: components/data/buckets.ts sets BucketOwnerEnforced.", types: [BUCKET, "aws:s3/bucketOwnershipControls:BucketOwnershipControls"] },
        (args) => eachBucket(args, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", (s) => s.props.rule?.objectOwnership === "BucketOwnerEnforced", "BucketOwnerEnforced ownership controls"),
    ),
    stackPolicy(
        { name: "s3-lifecycle", control: "S3.13", summary: "Every bucket has an enabled lifecycle rule.", level: "advisory", remediation: "storage.uploads / storage.logs expiry and Glacier days (components/data/buckets.ts).", types: [BUCKET, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"] },
        (args) => eachBucket(args, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", (s) => list(s.props.rules as any[]).some((r) => r.status === "Enabled"), "enabled lifecycle rule"),
    ),
    stackPolicy(
        { name: "s3-kms-encryption", control: "S3.17", summary: "Every bucket encrypts by default with a KMS key.", level: "mandatory", remediation: "not configurable: components/data/buckets.ts encrypts with the data key.", types: [BUCKET, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"] },
        (args) =>
            eachBucket(
                args,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                (s) => list(s.props.rules as any[]).some((r) => String(r.applyServerSideEncryptionByDefault?.sseAlgorithm ?? "").startsWith("aws:kms")),
                "default encryption with aws:kms",
            ),
    ),
    resourcePolicy(
        { name: "s3-no-force-destroy", control: "seed: data protection", summary: "Buckets are not force-destroyed (deleting one never deletes its objects).", level: "mandatory", remediation: "storage.forceDestroy: false (prod refuses true).", types: [BUCKET], tiers: ["prod"] },
        (p) => (isTrue(p.forceDestroy) ? ["forceDestroy is true."] : []),
    ),
];

export const keyPolicies = [
    resourcePolicy(
        { name: "kms-rotation", control: "KMS.4", summary: "Customer-managed keys rotate yearly.", level: "mandatory", remediation: "not configurable: components/shared/kms.ts enables rotation.", types: [KMS_KEY] },
        (p) => (p.enableKeyRotation === true ? [] : ["enableKeyRotation is not true."]),
    ),
    resourcePolicy(
        { name: "kms-deletion-window", control: "KMS.3", summary: "Keys wait the full 30 days before deletion.", level: "mandatory", remediation: "not configurable: components/shared/kms.ts sets deletionWindowInDays 30.", types: [KMS_KEY], tiers: ["prod"] },
        (p) => (Number(p.deletionWindowInDays ?? 30) >= 30 ? [] : [`deletionWindowInDays is ${p.deletionWindowInDays}.`]),
    ),
    resourcePolicy(
        { name: "kms-explicit-policy", control: "KMS.5", summary: "Keys have an explicit policy that allows no public principal without a condition.", level: "mandatory", remediation: "not configurable: components/shared/kms.ts writes the key policy (service grants with source conditions).", types: [KMS_KEY] },
        (p) => (!p.policy ? ["the key has no explicit policy."] : publicAllows(p.policy).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition.`)),
    ),
];

export const secretPolicies = [
    stackPolicy(
        { name: "secrets-rotation", control: "SecretsManager.1", summary: "Every secret has automatic rotation.", level: "mandatory", remediation: "not configurable: components/data/credentials.ts rotates the database secret (the cache AUTH token is waived).", types: [SECRET, "aws:secretsmanager/secretRotation:SecretRotation"] },
        (args) => ownersWithout(args, SECRET, "aws:secretsmanager/secretRotation:SecretRotation", "secretId").map((s) => ({ message: `secret ${s.name} is not rotated.`, resource: s })),
    ),
    resourcePolicy(
        { name: "secrets-rotation-interval", control: "SecretsManager.4", summary: "Secrets rotate at least every 90 days.", level: "mandatory", remediation: "not configurable: components/data/credentials.ts rotates every 30 days.", types: ["aws:secretsmanager/secretRotation:SecretRotation"] },
        (p) => {
            const days = p.rotationRules?.automaticallyAfterDays;
            return days !== undefined && Number(days) <= 90 ? [] : [`automaticallyAfterDays is ${days ?? "unset (schedule expression)"}.`];
        },
    ),
    resourcePolicy(
        { name: "secrets-recovery-window", control: "seed: data protection (CKV_AWS_149)", summary: "Deleted secrets stay recoverable for at least 7 days, with a customer-managed key.", level: "mandatory", remediation: "not configurable: components/shared/protection.ts secretRecoveryWindowDays (30 in prod, 7 otherwise).", types: [SECRET] },
        (p) => [
            ...(p.recoveryWindowInDays !== undefined && Number(p.recoveryWindowInDays) < 7 ? [`recoveryWindowInDays is ${p.recoveryWindowInDays}.`] : []),
            ...(p.kmsKeyId ? [] : ["no kmsKeyId (customer-managed key)."]),
        ],
    ),
];

export const logPolicies = [
    resourcePolicy(
        { name: "log-group-retention", control: "CloudWatch.16", summary: "Log groups have an explicit retention.", level: "advisory", remediation: "logs.retentionDays (tier default).", types: [LOG_GROUP] },
        (p) => (Number(p.retentionInDays ?? 0) > 0 ? [] : ["retentionInDays is not set (logs kept forever)."]),
    ),
    resourcePolicy(
        { name: "log-group-cmk", control: "CKV_AWS_158", summary: "Log groups are encrypted with the logs key.", level: "advisory", remediation: "not configurable: pass DataHandle.keys.logsArn as kmsKeyId (components/shared/logs.ts).", types: [LOG_GROUP] },
        (p) => (p.kmsKeyId ? [] : ["no kmsKeyId."]),
    ),
];

export const protectionPolicies = [
    resourcePolicy(
        {
            name: "stateful-protected",
            control: "seed: stateful resources are protected in prod (KMS.3, REL09)",
            summary: "Stateful resources (database, cache, buckets, keys, secrets, repositories, vaults, queues) carry the `protect` option.",
            level: "mandatory",
            remediation: "components/shared/protection.ts statefulOptions(protectData) on the resource; protectData comes from the tier (prod).",
            types: STATEFUL_TYPES,
            tiers: ["prod"],
        },
        (_p, args) => (args.opts.protect === true ? [] : ["the resource is not protected (protect option)."]),
    ),
    resourcePolicy(
        {
            name: "stateful-no-delete-before-replace",
            control: "seed: nothing stateful is deleted before its replacement exists",
            summary: "Stateful resources never set `deleteBeforeReplace` (it deletes the data before the replacement exists).",
            level: "mandatory",
            remediation: "drop deleteBeforeReplace from the resource's options (statefulOptions never sets it; a replacement that needs it must fail instead).",
            types: STATEFUL_TYPES,
        },
        (_p, args) => (args.opts.deleteBeforeReplace === true ? ["deleteBeforeReplace is set."] : []),
    ),
];

export const backupPolicies = [
    resourcePolicy(
        { name: "backup-vault-cmk", control: "Backup.1", summary: "Backup vaults encrypt recovery points with a customer-managed key.", level: "mandatory", remediation: "not configurable: components/data/backup.ts uses the data key (backup.copyToRegion: the copy key).", types: ["aws:backup/vault:Vault"] },
        (p) => (p.kmsKeyArn ? [] : ["no kmsKeyArn."]),
    ),
];

export const dataPolicies = [...databasePolicies, ...cachePolicies, ...bucketPolicies, ...keyPolicies, ...secretPolicies, ...logPolicies, ...backupPolicies, ...protectionPolicies];
