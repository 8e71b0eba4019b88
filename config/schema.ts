/**
 * The shape of the stack config (`platform:*` keys). Every group is optional and partial: what a
 * stack file leaves out comes from its tier (tiers.ts). Unknown keys are refused at every level, so a
 * typo never silently falls back to a default.
 */
import { z } from "zod";
import { vpcCidrProblem } from "./cidr";
import { bool, intIn, numberIn, oneOf, pattern } from "./fields";
import { CACHE_ENGINES, LOG_RETENTION_DAYS, NAT_STRATEGIES, TIERS } from "./settings";

export const REGION_PATTERN = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$/;
const regionField = pattern(REGION_PATTERN, "an AWS region code such as us-east-1 or eu-west-1", "us-east-1");

/** Tag keys we set ourselves on every resource; config `tags` may not override them. */
export const RESERVED_TAG_KEYS = ["project", "stack", "tier"] as const;

const tagKey = z
    .string()
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
});

export const logsSchema = z.strictObject({
    retentionDays: numberIn(LOG_RETENTION_DAYS, "30").optional(),
});

export const POSTGRES_MAJOR_VERSIONS = ["16", "17"] as const;

export const databaseSchema = z.strictObject({
    instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.t4g.micro", "db.t4g.small").optional(),
    engineVersion: oneOf(POSTGRES_MAJOR_VERSIONS, "17").optional(),
    allocatedStorageGb: intIn(20, 65536, "20").optional(),
    maxAllocatedStorageGb: intIn(21, 65536, "100").optional(),
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
    applyImmediately: bool().optional(),
});

/** Engine versions we accept per cache engine (ElastiCache major.minor). */
export const CACHE_ENGINE_VERSIONS: Record<(typeof CACHE_ENGINES)[number], readonly string[]> = {
    valkey: ["7.2", "8.0", "8.1"],
    redis: ["7.0", "7.1"],
};

export const cacheSchema = z.strictObject({
    engine: oneOf(CACHE_ENGINES).optional(),
    engineVersion: pattern(/^\d+\.\d+$/, "a major.minor version such as 8.0", "8.0").optional(),
    nodeType: pattern(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.t4g.micro", "cache.t4g.small").optional(),
    nodes: intIn(1, 6, "2").optional(),
    snapshotRetentionDays: intIn(0, 35, "7").optional(),
});

const days = (example: string) => intIn(1, 3650, example).optional();

export const storageSchema = z.strictObject({
    forceDestroy: bool("false").optional(),
    uploads: z
        .strictObject({ noncurrentToGlacierDays: days("30"), noncurrentExpireDays: days("365") })
        .optional(),
    logs: z.strictObject({ toGlacierDays: days("90"), expireDays: days("730") }).optional(),
});

export const backupSchema = z.strictObject({
    retentionDays: intIn(1, 3650, "30").optional(),
    schedule: pattern(/^cron\(.+\)$/, "an AWS Backup cron expression such as cron(0 5 * * ? *)", "cron(0 5 * * ? *)").optional(),
    copyToRegion: z
        .union([z.literal(""), regionField], { error: `"" (no copy) or an AWS region code such as us-west-2` })
        .meta({ example: "us-west-2" })
        .optional(),
});

/**
 * Every `platform:*` key the program reads. `pulumiType` is what Pulumi.yaml declares (a test keeps
 * the two in step); object groups are validated here, field by field.
 */
export const CONFIG_KEYS = {
    tier: { pulumiType: "string", schema: oneOf(TIERS, "dev") },
    region: { pulumiType: "string", schema: regionField },
    tags: { pulumiType: "object", schema: z.record(tagKey, tagValue).meta({ example: "{}" }) },
    network: { pulumiType: "object", schema: networkSchema },
    logs: { pulumiType: "object", schema: logsSchema },
    database: { pulumiType: "object", schema: databaseSchema },
    cache: { pulumiType: "object", schema: cacheSchema },
    storage: { pulumiType: "object", schema: storageSchema },
    backup: { pulumiType: "object", schema: backupSchema },
} as const satisfies Record<string, { pulumiType: "string" | "object"; schema: z.ZodType }>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Raw, parsed-but-unmerged stack config: what the stack file (and Pulumi.yaml defaults) said. */
export type RawConfig = { [K in ConfigKey]?: z.infer<(typeof CONFIG_KEYS)[K]["schema"]> };
