/**
 * The shape of the stack config (`platform:*` keys). Every group is optional and partial: what a
 * stack file leaves out comes from its tier (tiers.ts). Unknown keys are refused at every level, so a
 * typo never silently falls back to a default.
 */
import { z } from "zod";
import { vpcCidrProblem } from "./cidr";
import { backupScheduleProblem, CACHE_ENGINE_VERSIONS, isAwsRegion, isTimeZone, NAT_INSTANCE_TYPES, POSTGRES_MAJOR_VERSIONS, schedulerExpressionProblem } from "./catalog";

export { CACHE_ENGINE_VERSIONS, POSTGRES_MAJOR_VERSIONS };
import { bool, checkedText, intIn, numberIn, oneOf, pattern, withMeta } from "./fields";
import { UPLOADS_PATH, UPLOADS_PATH_ALLOWED } from "./uploads";
import {
    ARCHITECTURES,
    CACHE_ENGINES,
    EXPOSURES,
    FARGATE_SIZES,
    LOG_RETENTION_DAYS,
    NAT_STRATEGIES,
    PRICE_CLASSES,
    FAILOVER_ROLES,
    RECOVERY_ROLES,
    SERVICE_BUCKETS,
    SERVICE_QUEUES,
    SERVICE_SECRETS,
    TIERS,
    WAF_RATE_LIMIT,
    WORKER_TRIGGERS,
} from "./settings";

/** An AWS commercial region (config/catalog.ts lists them; GovCloud and China are other partitions). */
const REGION_ALLOWED = "an AWS commercial region such as us-east-1 or eu-west-1 (config/catalog.ts lists them)";
const regionField = withMeta(z.string({ error: REGION_ALLOWED }).refine(isAwsRegion, { error: REGION_ALLOWED }), {
    example: "us-east-1",
    allowed: REGION_ALLOWED,
    text: true,
});

/** Tag keys we set ourselves on every resource; config `tags` may not override them. */
export const RESERVED_TAG_KEYS = ["project", "stack", "tier", "recovery-role"] as const;

const tagKey = z
    .string({ error: "1-128 letters, digits, spaces or _ . : / = + - @" })
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, {
        error: "1-128 letters, digits, spaces or _ . : / = + - @",
    })
    .refine((k) => !k.toLowerCase().startsWith("aws:"), { error: "tag keys may not start with aws:" })
    .refine((k) => !(RESERVED_TAG_KEYS as readonly string[]).includes(k), {
        error: `tag keys other than the ones set for you (${RESERVED_TAG_KEYS.join(", ")})`,
    });
const tagValue = z
    .string({ error: "a string of at most 256 characters" })
    .max(256, { error: "a string of at most 256 characters" });

export const networkSchema = z.strictObject({
    cidr: z
        .string({ error: "an IPv4 CIDR block such as 10.20.0.0/16" })
        .superRefine((cidr, ctx) => {
            const problem = vpcCidrProblem(cidr);
            if (problem) ctx.addIssue({ code: "custom", message: `a private /16-/20 IPv4 block; this one ${problem}` });
        })
        .meta({ example: "10.20.0.0/16" })
        .optional(),
    azCount: intIn(2, 6, "3").optional(),
    natGateways: oneOf(NAT_STRATEGIES, "perAz").optional(),
    /** Only with natGateways: instance (rules/network.ts); the list is config/catalog.ts NAT_INSTANCE_ARCHITECTURES. */
    natInstanceType: oneOf(NAT_INSTANCE_TYPES, "t4g.nano").optional(),
});

export const logsSchema = z.strictObject({
    retentionDays: numberIn(LOG_RETENTION_DAYS, "365").optional(),
});


/** YAML reads `engineVersion: 17` as a number; a whole-number major version means the same text. */
const majorVersion = z.preprocess((v) => (typeof v === "number" && Number.isInteger(v) ? String(v) : v), oneOf(POSTGRES_MAJOR_VERSIONS, "17"));

export const databaseSchema = z.strictObject({
    /** Checked against config/catalog.ts in rules/database.ts (unless allowUnlistedInstanceClass). */
    instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.t4g.micro", "db.t4g.small").optional(),
    /** Use an instance class newer than config/catalog.ts knows (the deploy fails if RDS lacks it). */
    allowUnlistedInstanceClass: bool("false").optional(),
    engineVersion: majorVersion.optional(),
    allocatedStorageGb: intIn(20, 65536, "20").optional(),
    maxAllocatedStorageGb: intIn(21, 65536, "1000").optional(),
    multiAz: bool().optional(),
    readReplicas: intIn(0, 5, "1").optional(),
    backupRetentionDays: intIn(1, 35, "30").optional(),
    deletionProtection: bool().optional(),
    finalSnapshot: bool().optional(),
    monitoringIntervalSeconds: numberIn([0, 1, 5, 10, 15, 30, 60], "60").optional(),
    dbName: pattern(
        /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
        "a letter followed by up to 62 letters, digits or underscores",
        "app",
    ).optional(),
    applyImmediately: bool("false").optional(),
});


export const cacheSchema = z.strictObject({
    engine: oneOf(CACHE_ENGINES).optional(),
    // YAML reads `engineVersion: 8.0` as the number 8 and 7.2 as 7.2: both mean the major.minor text.
    engineVersion: z
        .preprocess((v) => (typeof v === "number" && Number.isFinite(v) ? (Number.isInteger(v) ? `${v}.0` : String(v)) : v), pattern(/^\d+\.\d+$/, "a major.minor version such as 8.0", "8.0"))
        .optional(),
    /** Checked against config/catalog.ts in rules/cache.ts (unless allowUnlistedNodeType). */
    nodeType: pattern(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.t4g.micro", "cache.t4g.small").optional(),
    /** Use a node type newer than config/catalog.ts knows (the deploy fails if ElastiCache lacks it). */
    allowUnlistedNodeType: bool("false").optional(),
    nodes: intIn(1, 6, "2").optional(),
    /** Cluster mode (sharding): shards × (1 + replicasPerShard) nodes instead of `nodes`; rules/cache.ts checks the combination. */
    clusterMode: bool("true").optional(),
    shards: intIn(1, 10, "2").optional(),
    replicasPerShard: intIn(0, 5, "1").optional(),
    snapshotRetentionDays: intIn(0, 35, "7").optional(),
    applyImmediately: bool("false").optional(),
});

const days = (example: string) => intIn(1, 3650, example).optional();
/** Days before a transition to Glacier Flexible Retrieval; 0 means never (objects stay in S3 Standard until they expire). */
const glacierDays = (example: string) => intIn(0, 3650, example).optional();
// Fix examples are safe in every tier: 0 (no Glacier transition) never conflicts with an expiry.

export const storageSchema = z.strictObject({
    forceDestroy: bool("false").optional(),
    uploads: z
        .strictObject({ noncurrentToGlacierDays: glacierDays("0"), noncurrentExpireDays: days("365") })
        .optional(),
    logs: z.strictObject({ toGlacierDays: glacierDays("0"), expireDays: days("730") }).optional(),
});

export const backupSchema = z.strictObject({
    retentionDays: intIn(1, 3650, "30").optional(),
    schedule: checkedText(
        "an AWS Backup cron expression cron(Minutes Hours Day-of-month Month Day-of-week Year) with one fixed minute, e.g. cron(0 5 * * ? *)",
        "cron(0 5 * * ? *)",
        backupScheduleProblem,
    ).optional(),
    copyToRegion: withMeta(
        z.union([z.literal(""), regionField], { error: `"" (no copy) or ${REGION_ALLOWED}` }),
        { example: "us-west-2", allowed: `"" (no copy) or ${REGION_ALLOWED}`, text: true },
    ).optional(),
});

export const computeSchema = z.strictObject({
    spot: bool("false").optional(),
    keepReleases: intIn(1, 1000, "20").optional(),
    loadBalancerDeletionProtection: bool().optional(),
    allowHttpWithoutDomain: bool("false").optional(),
    defaultMinTasks: intIn(1, 100, "2").optional(),
    defaultMaxTasks: intIn(1, 100, "4").optional(),
    waitForSteadyState: bool().optional(),
});

/** Names of services and images: they become part of ECR repository, log group and task family names. */
export const IMAGE_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,19}$/;
/** ECR repository path components may not end in "-" or hold "--" (ECR CreateRepository repositoryName pattern). */
const IMAGE_NAME_ALLOWED = "a lowercase letter, then up to 19 lowercase letters, digits or single hyphens, not ending in a hyphen";
const imageName = z.string({ error: IMAGE_NAME_ALLOWED }).regex(IMAGE_NAME, { error: IMAGE_NAME_ALLOWED });

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, { error: "letters, digits and underscores, not starting with a digit" });
/** ALB path patterns: up to 128 characters from A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ? and a leading slash. */
const pathPattern = pattern(/^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/, "a path pattern starting with /, e.g. /api/*", "/api/*");
const hostPattern = pattern(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/, "a host name such as api.example.com or *.example.com", "api.example.com");
const COMMAND_ALLOWED = 'a non-empty list of strings, e.g. ["node", "server.js"]';
const command = withMeta(
    z.array(z.string({ error: COMMAND_ALLOWED }), { error: COMMAND_ALLOWED }).min(1, { error: COMMAND_ALLOWED }),
    { example: '["node", "server.js"]', allowed: COMMAND_ALLOWED },
);

const QUEUE_ALLOWED = `the name of a queue worker of this stack (platform:workers)${SERVICE_QUEUES.length ? ` or one of: ${SERVICE_QUEUES.join(", ")}` : ""}`;

export const serviceSchema = z.strictObject({
    cpu: numberIn(Object.keys(FARGATE_SIZES).map(Number) as [number, ...number[]], "256"),
    memory: intIn(512, 122880, "512"),
    architecture: oneOf(ARCHITECTURES, "arm64").optional(),
    port: intIn(1024, 65535, "8080"),
    minTasks: intIn(1, 100, "2").optional(),
    maxTasks: intIn(1, 100, "4").optional(),
    // The example never widens exposure: a fix suggests internal, and public stays a deliberate choice.
    expose: oneOf(EXPOSURES, "internal").optional(),
    healthCheckPath: pattern(/^\/[A-Za-z0-9_\-./~]*$/, "a path starting with /", "/health").optional(),
    paths: z.array(pathPattern).optional(),
    hosts: z.array(hostPattern).optional(),
    /** Route hosts the stack's certificate (domain.name) does not cover; off by default. */
    allowForeignHosts: bool("false").optional(),
    priority: intIn(1, 50000, "100").optional(),
    command: command.optional(),
    environment: z
        .record(envName, withMeta(z.string({ error: "a string (quote numbers and booleans)" }), { example: "<value>", allowed: "a string (quote numbers and booleans)", text: true }))
        .optional(),
    featureFlags: z.record(pattern(/^[A-Z][A-Z0-9_]*$/, "UPPER_SNAKE_CASE", "NEW_CHECKOUT"), bool("false")).optional(),
    secrets: z.array(oneOf(SERVICE_SECRETS, "database")).optional(),
    buckets: z.array(oneOf(SERVICE_BUCKETS, "uploads")).optional(),
    // Checked against the stack's queue workers in rules/workers.ts (SERVICE_QUEUES lists none built in).
    queues: z.array(withMeta(z.string({ error: QUEUE_ALLOWED }).regex(IMAGE_NAME, { error: QUEUE_ALLOWED }), { example: "inference", allowed: QUEUE_ALLOWED, text: true })).optional(),
    migrationCommand: command.optional(),
    user: pattern(/^[a-z0-9_][a-z0-9_-]*(:[a-z0-9_][a-z0-9_-]*)?$/, "a user[:group] name or id, e.g. 1000:1000", "1000:1000").optional(),
    cpuTargetPercent: intIn(10, 90, "60").optional(),
    memoryTargetPercent: intIn(10, 90, "70").optional(),
    requestsPerTarget: intIn(1, 100000, "500").optional(),
});

/** A published Lambda version, as text (`--type string`); YAML may read `3` as a number, which means the same. */
const VERSION_ALLOWED = 'a published version number as text, e.g. "3" (pulumi config set --type string)';
const versionText = z.preprocess(
    (v) => (typeof v === "number" && Number.isInteger(v) ? String(v) : v),
    pattern(/^[1-9][0-9]*$/, VERSION_ALLOWED, "1"),
);
/** API Gateway HTTP API route keys: `<METHOD> /path`, path parameters `{name}`, a greedy `{name+}` last. */
export const ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/(?:(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))*(?:\/\{[A-Za-z_][A-Za-z0-9_]*\+\})?|\{[A-Za-z_][A-Za-z0-9_]*\+\})?$/;
const ROUTE_ALLOWED = 'a route "<METHOD> /path": METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; path segments, {param}, and a greedy {param+} last, e.g. "GET /items/{id}"';
const CANARY_WEIGHT_ALLOWED = "a number greater than 0 and less than 1 (the share of invocations the newest version gets), e.g. 0.1";

const SCHEDULE_ALLOWED =
    "an EventBridge Scheduler expression: rate(<n> minute|minutes|hour|hours|day|days) (singular for 1), cron(<Minutes> <Hours> <Day-of-month> <Month> <Day-of-week> <Year>) with exactly one of the day fields ?, or at(yyyy-mm-ddThh:mm:ss)";
const TIMEZONE_ALLOWED = "an IANA time zone name such as UTC, Europe/Berlin or America/New_York";

export const workerTriggerSchema = z.strictObject({
    type: oneOf(WORKER_TRIGGERS, "queue"),
    // queue
    batchSize: intIn(1, 10000, "10").optional(),
    maxBatchingWindowSeconds: intIn(0, 300, "0").optional(),
    maxConcurrency: intIn(2, 1000, "2").optional(),
    maxReceiveCount: intIn(1, 1000, "5").optional(),
    visibilityTimeoutSeconds: intIn(0, 43200, "180").optional(),
    // http
    routes: z.array(pattern(ROUTE_KEY, ROUTE_ALLOWED, "GET /items")).optional(),
    // A limit of 0 throttles every request (429): the smallest useful limit is 1. Remove the block for no limit.
    throttle: z.strictObject({ burstLimit: intIn(1, 5000, "100"), rateLimit: intIn(1, 10000, "50") }).optional(),
    // schedule
    expression: checkedText(SCHEDULE_ALLOWED, "rate(5 minutes)", schedulerExpressionProblem).optional(),
    timezone: withMeta(z.string({ error: TIMEZONE_ALLOWED }).refine(isTimeZone, { error: TIMEZONE_ALLOWED }), { example: "UTC", allowed: TIMEZONE_ALLOWED, text: true }).optional(),
    maxRetryAttempts: intIn(0, 185, "3").optional(),
    maxEventAgeSeconds: intIn(60, 86400, "3600").optional(),
});

export const workerSchema = z.strictObject({
    memoryMb: intIn(128, 10240, "512"),
    timeoutSeconds: intIn(1, 900, "30"),
    architecture: oneOf(ARCHITECTURES, "arm64").optional(),
    trigger: workerTriggerSchema,
    environment: z
        .record(envName, withMeta(z.string({ error: "a string (quote numbers and booleans)" }), { example: "<value>", allowed: "a string (quote numbers and booleans)", text: true }))
        .optional(),
    featureFlags: z.record(pattern(/^[A-Z][A-Z0-9_]*$/, "UPPER_SNAKE_CASE", "NEW_CHECKOUT"), bool("false")).optional(),
    reservedConcurrency: intIn(0, 10000, "10").optional(),
    vpc: bool("true").optional(),
    secrets: z.array(oneOf(SERVICE_SECRETS, "database")).optional(),
    buckets: z.array(oneOf(SERVICE_BUCKETS, "uploads")).optional(),
    provisionedConcurrency: intIn(0, 1000, "1").optional(),
    rollbackTo: versionText.optional(),
    canary: z
        .strictObject({
            stable: versionText,
            weight: withMeta(z.number({ error: CANARY_WEIGHT_ALLOWED }).gt(0, { error: CANARY_WEIGHT_ALLOWED }).lt(1, { error: CANARY_WEIGHT_ALLOWED }), {
                example: "0.1",
                allowed: CANARY_WEIGHT_ALLOWED,
            }),
        })
        .optional(),
});

export const TAG_PATTERN = /^[0-9a-f]{7,40}$/;
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
export const imageReleaseSchema = z.strictObject({
    tag: pattern(TAG_PATTERN, "the commit SHA the image was built from: 7 to 40 lowercase hex characters", "4f2c9e1"),
    digest: pattern(DIGEST_PATTERN, "sha256: followed by 64 lowercase hex characters (docker buildx imagetools inspect <image>)", "sha256:<64 hex>"),
});

export const domainSchema = z.strictObject({
    name: pattern(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "a host name such as api.example.com", "api.example.com").optional(),
    hostedZoneId: pattern(/^Z[A-Z0-9]{1,32}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIJ").optional(),
    certificateArn: pattern(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "an ACM certificate ARN", "arn:aws:acm:us-east-1:123456789012:certificate/<id>").optional(),
});

export const edgeSchema = z.strictObject({
    priceClass: oneOf(PRICE_CLASSES, "PriceClass_100").optional(),
    rateLimitPerIp: intIn(WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max, "2000").optional(),
    healthCheck: bool("true").optional(),
    /** Uploads through CloudFront: collisions with the services' paths are checked in rules/edge.ts. */
    uploads: z.strictObject({ path: pattern(UPLOADS_PATH, UPLOADS_PATH_ALLOWED, "/uploads/*") }).optional(),
    /** Region checked in rules/edge.ts (CloudFront takes us-east-1 certificates only). */
    certificateArn: pattern(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "an ACM certificate ARN in us-east-1", "arn:aws:acm:us-east-1:123456789012:certificate/<id>").optional(),
    /** Checked in rules/failover.ts. */
    failover: oneOf(FAILOVER_ROLES, "primary").optional(),
});

/** A number (not only whole) from min to max, e.g. a threshold of 0.5 %. */
function decimalIn(min: number, max: number, example: string) {
    const allowed = `a number from ${min} to ${max}`;
    return withMeta(z.number({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }), { example, allowed });
}
const EMAIL_ALLOWED = "an email address such as oncall@example.com";
const HTTPS_ALLOWED = "an https:// URL such as https://hooks.example.com/alerts (SNS HTTPS subscriptions)";
/** Percent thresholds: 0-100 (a share can never exceed 100 %). */
const percentLevels = (warning: string, critical: string) =>
    z.strictObject({ warning: decimalIn(0, 100, warning).optional(), critical: decimalIn(0, 100, critical).optional() });
/** Second thresholds: 0 up to a day. */
const secondLevels = (warning: string, critical: string) =>
    z.strictObject({ warning: decimalIn(0, 86400, warning).optional(), critical: decimalIn(0, 86400, critical).optional() });
const perSeverity = <T extends z.ZodType>(item: T) => z.strictObject({ critical: z.array(item).optional(), warning: z.array(item).optional() });

export const monitoringSchema = z.strictObject({
    routeAllToWarning: bool("false").optional(),
    warningLevels: bool("true").optional(),
    emails: perSeverity(pattern(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/, EMAIL_ALLOWED, "oncall@example.com")).optional(),
    httpsEndpoints: perSeverity(pattern(/^https:\/\/[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?(\/[^\s]*)?$/, HTTPS_ALLOWED, "https://hooks.example.com/alerts")).optional(),
    thresholds: z
        .strictObject({
            errorRatePercent: percentLevels("1", "5").optional(),
            latencyP95Seconds: secondLevels("1", "3").optional(),
            latencyP99Seconds: secondLevels("3", "5").optional(),
            cpuPercent: percentLevels("80", "95").optional(),
            memoryPercent: percentLevels("80", "95").optional(),
            dbConnectionsPercent: percentLevels("80", "95").optional(),
            dbCpuPercent: percentLevels("80", "95").optional(),
            diskUsedPercent: percentLevels("80", "90").optional(),
            replicationLagSeconds: secondLevels("30", "300").optional(),
            cacheCpuPercent: percentLevels("80", "95").optional(),
            workerDurationPercent: percentLevels("80", "95").optional(),
            queueAgeSeconds: secondLevels("300", "900").optional(),
        })
        .optional(),
    deployment: z.strictObject({ errorRatePercent: decimalIn(0, 100, "5").optional(), latencyP99Seconds: decimalIn(0, 86400, "3").optional() }).optional(),
    canary: z
        .strictObject({
            enabled: bool("false").optional(),
            services: z.array(withMeta(z.string().regex(IMAGE_NAME), { example: "api", allowed: "the name of a public service of this stack", text: true })).optional(),
            // ECS CanaryConfiguration.canaryPercent: 0.1-100.0.
            percent: decimalIn(0.1, 100, "10").optional(),
            canaryBakeMinutes: intIn(0, 1440, "10").optional(),
            bakeMinutes: intIn(0, 1440, "15").optional(),
        })
        .optional(),
    tracing: bool("true").optional(),
});

/** A fully qualified Pulumi stack name: `<organization>/<project>/<stack>` (what a StackReference takes). */
export const STACK_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** The disaster-recovery role of a stack (README "Disaster recovery"); config/rules/recovery.ts checks it. */
export const recoverySchema = z.strictObject({
    role: oneOf(RECOVERY_ROLES, "recovery").optional(),
    primaryStack: pattern(STACK_REFERENCE, "the primary's fully qualified stack name <organization>/<project>/<stack>", "acme/platform/prod").optional(),
    primaryRegion: regionField.optional(),
    active: bool("false").optional(),
    passiveTasks: intIn(0, 100, "0").optional(),
});

/** A stack name this program accepts (config/rules/stack.ts: it prefixes physical names): what replicateTo.stack names. */
export const PROGRAM_STACK_NAME = /^[a-z](?:[a-z0-9]|-(?!-)){0,18}[a-z0-9]$|^[a-z]$/;
export const PROGRAM_STACK_NAME_ALLOWED = "a lowercase letter, then up to 19 lowercase letters, digits or single hyphens, not ending in a hyphen";

/**
 * A primary stack's replication to its recovery stack (README "Disaster recovery"): the uploads bucket
 * and the images go to `stack` in `region`; config/rules/replication.ts checks it.
 */
export const replicateToSchema = z.strictObject({
    stack: pattern(PROGRAM_STACK_NAME, `the recovery stack's name in this project and account: ${PROGRAM_STACK_NAME_ALLOWED} (e.g. prod-dr)`, "prod-dr").optional(),
    region: regionField.optional(),
});

/**
 * Every `platform:*` key the program reads. `pulumiType` is what Pulumi.yaml declares (a test keeps
 * the two in step); object groups are validated here, field by field.
 */
export const CONFIG_KEYS = {
    tier: { pulumiType: "string", schema: oneOf(TIERS, "dev") },
    region: { pulumiType: "string", schema: regionField },
    tags: { pulumiType: "object", schema: z.record(tagKey, tagValue).meta({ allowed: "a map of tag names to string values" }) },
    network: { pulumiType: "object", schema: networkSchema },
    logs: { pulumiType: "object", schema: logsSchema },
    database: { pulumiType: "object", schema: databaseSchema },
    cache: { pulumiType: "object", schema: cacheSchema },
    storage: { pulumiType: "object", schema: storageSchema },
    backup: { pulumiType: "object", schema: backupSchema },
    compute: { pulumiType: "object", schema: computeSchema },
    services: { pulumiType: "object", schema: z.record(imageName, serviceSchema).meta({ allowed: "a map of service names to service objects (see Pulumi.dev.yaml)" }) },
    workers: { pulumiType: "object", schema: z.record(imageName, workerSchema).meta({ allowed: "a map of worker names to worker objects (see Pulumi.dev.yaml)" }) },
    release: { pulumiType: "object", schema: z.record(imageName, imageReleaseSchema).meta({ allowed: "a map of image names to { tag, digest }" }) },
    domain: { pulumiType: "object", schema: domainSchema },
    monitoring: { pulumiType: "object", schema: monitoringSchema },
    edge: { pulumiType: "object", schema: edgeSchema },
    recovery: { pulumiType: "object", schema: recoverySchema },
    replicateTo: { pulumiType: "object", schema: replicateToSchema },
} as const satisfies Record<string, { pulumiType: "string" | "object"; schema: z.ZodType }>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Raw, parsed-but-unmerged stack config: what the stack file (and Pulumi.yaml defaults) said. */
export type RawConfig = { [K in ConfigKey]?: z.infer<(typeof CONFIG_KEYS)[K]["schema"]> };

/** One service as the stack file gives it (parsed, defaults not applied). */
export type RawService = NonNullable<RawConfig["services"]>[string];
/** One worker as the stack file gives it (parsed, defaults not applied). */
export type RawWorker = NonNullable<RawConfig["workers"]>[string];
