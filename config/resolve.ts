/**
 * Raw stack config → validated Settings. Pure: no Pulumi runtime access, so every rule is unit-tested
 * with plain objects. All problems are collected and reported together: an invalid field is dropped
 * on its own (its group, its service and every other field stay), so the rules that do not depend on
 * it still run, and a rule whose input is itself invalid stays silent rather than reporting nonsense.
 */
import { z } from "zod";
import { ELASTICACHE_NODE_TYPES, RDS_POSTGRES_INSTANCE_CLASSES } from "./catalog";
import { ConfigError, ConfigIssue, configPath, setCommand } from "./errors";
import { allowedFor, exampleFor, isTextField, isValidatorWording, keysAt, schemaAt, unwrap, valueAt } from "./fields";
import { namingIssues } from "./naming";
import { CACHE_ENGINE_VERSIONS, CONFIG_KEYS, ConfigKey, IMAGE_NAME, RawConfig } from "./schema";
import { rulePriority } from "./routing";
import { SECRET_LIKE_NAME, secretLikeValue } from "./secrets";
import { ComputeSettings, FARGATE_SIZES, ImageRelease, ServiceSettings, Settings, Tier, TIERS } from "./settings";
import { TIER_DEFAULTS } from "./tiers";

export interface ConfigContext {
    project: string;
    stack: string;
    /** `aws:region` from the stack config, when set: it must agree with `platform:region`. */
    awsRegion?: string;
}

const STACK_NAME = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/**
 * Listener-rule limits (ALB guide, "Condition types for listener rules" and "Quotas for your
 * Application Load Balancers", checked 2026-11-30): up to 3 match evaluations per condition, up to 5
 * per rule (condition values per rule: 5), up to 5 wildcards per rule. A service's rule has one
 * path-pattern condition (its paths) and one host-header condition (its hosts).
 */
export const ALB_RULE_LIMITS = { valuesPerCondition: 3, valuesPerRule: 5, wildcardsPerRule: 5 } as const;

/** Paths of fields that failed validation, in `configPath` syntax (`services.api.cpu`). */
type Invalid = readonly string[];

export function resolveSettings(raw: Record<string, unknown>, ctx: ConfigContext): Settings {
    const issues: ConfigIssue[] = [];
    const invalid: string[] = [];
    const parsed = parseKeys(raw, ctx.stack, issues, invalid);
    const services = declaredServices(raw.services);

    // The tier decides defaults and rules. Unknown (missing or invalid, already reported): a stack
    // named after a tier is checked as that tier; otherwise only what every tier refuses is reported,
    // so no rule fires against defaults the stack may never get.
    const tier = parsed.tier ?? (TIERS as readonly string[]).find((t) => t === ctx.stack);
    let settings: Settings;
    let ruleIssues: ConfigIssue[];
    if (tier !== undefined) {
        settings = merge(parsed, tier as Tier, ctx, services);
        ruleIssues = invariants(settings, parsed, ctx, invalid);
    } else {
        const perTier = TIERS.map((t) => invariants(merge(parsed, t, ctx, services), parsed, ctx, invalid));
        ruleIssues = perTier[0].filter((i) => perTier.every((list) => list.some((j) => j.key === i.key && j.allowed === i.allowed)));
        settings = merge(parsed, "dev", ctx, services);
    }
    // A field already reported as invalid is not reported again by a rule (e.g. "not set").
    issues.push(...ruleIssues.filter((r) => !issues.some((i) => i.key === r.key)));

    if (issues.length > 0) throw new ConfigError(ctx.stack, issues.map(hideSecrets));
    return settings;
}

/** An error message is printed and logged: a value that looks like a secret (or sits under a secret-like name) is not shown. */
function hideSecrets(issue: ConfigIssue): ConfigIssue {
    const name = issue.key.split(/[.[\]"]+/).filter(Boolean).pop() ?? "";
    const text = typeof issue.value === "string" ? issue.value : JSON.stringify(issue.value ?? "");
    return SECRET_LIKE_NAME.test(name) || secretLikeValue(text) ? { ...issue, value: "(hidden)" } : issue;
}

/** Service names the stack file declares (valid names only; invalid ones are reported by the schema). */
function declaredServices(rawServices: unknown): string[] | undefined {
    if (rawServices === undefined) return [];
    if (!isObject(rawServices)) return undefined;
    return Object.keys(rawServices).filter((name) => IMAGE_NAME.test(name));
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parseKeys(raw: Record<string, unknown>, stack: string, issues: ConfigIssue[], invalid: string[]): RawConfig {
    const parsed: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
        if (!(key in CONFIG_KEYS)) {
            issues.push({
                key,
                value: raw[key],
                allowed: `known keys: ${Object.keys(CONFIG_KEYS).join(", ")}`,
                fix: `remove it (pulumi config rm ${key} --stack ${stack}) or correct the spelling`,
            });
        }
    }
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
        const value = raw[key];
        const schema = spec.schema as z.ZodType;
        if (key === "tier") {
            const result = schema.safeParse(value);
            if (result.success) parsed.tier = result.data;
            else {
                invalid.push("tier");
                issues.push(tierIssue(value, stack));
            }
            continue;
        }
        if (value === undefined) continue;
        const result = schema.safeParse(value);
        if (result.success) {
            parsed[key] = result.data;
            continue;
        }
        for (const issue of result.error.issues) {
            issues.push(...toIssues(key, schema, value, issue, stack));
            if (issue.code !== "unrecognized_keys") invalid.push(configPath([key, ...issue.path]));
        }
        // Keep every valid field, entry and service, so the rules that do not depend on the invalid
        // ones still run: all problems are reported in one go, not one per attempt.
        const salvaged = salvage(schema, value);
        if (salvaged !== undefined) parsed[key] = salvaged;
    }
    return parsed as RawConfig;
}

/** `tier` is required and has no default: the fix names the stack's own tier, or asks for one. */
function tierIssue(value: unknown, stack: string): ConfigIssue {
    const suggestion = (TIERS as readonly string[]).includes(stack) ? stack : "<dev|staging|prod>";
    return { key: "tier", value, allowed: `one of: ${TIERS.join(", ")}`, fix: setCommand(stack, "tier", suggestion) };
}

/** The valid part of `value`: objects and maps keep their valid fields and entries; anything else is dropped. */
function salvage(schema: z.ZodType, value: unknown): unknown {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const s = unwrapOptional(schema);
    if (s instanceof z.ZodObject && isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [field, fieldSchema] of Object.entries(s.shape as Record<string, z.ZodType>)) {
            if (value[field] === undefined) continue;
            const v = salvage(fieldSchema, value[field]);
            if (v !== undefined) out[field] = v;
        }
        return out;
    }
    if (s instanceof z.ZodRecord && isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [entry, v] of Object.entries(value)) {
            if (!(s.keyType as z.ZodType).safeParse(entry).success) continue;
            const sv = salvage(s.valueType as z.ZodType, v);
            if (sv !== undefined) out[entry] = sv;
        }
        return out;
    }
    return undefined;
}

function unwrapOptional(schema: z.ZodType): z.ZodType {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    return s;
}

function toIssues(key: string, schema: z.ZodType, value: unknown, issue: z.core.$ZodIssue, stack: string): ConfigIssue[] {
    const pathText = (path: readonly PropertyKey[]) => configPath([key, ...path]);
    if (issue.code === "unrecognized_keys") {
        const known = keysAt(schema, issue.path);
        return issue.keys.map((unknownKey) => ({
            key: pathText([...issue.path, unknownKey]),
            value: valueAt(value, [...issue.path, unknownKey]),
            allowed: `known keys here: ${known.join(", ")}`,
            fix: `remove it (pulumi config rm --path '${pathText([...issue.path, unknownKey])}' --stack ${stack}) or correct the spelling`,
        }));
    }
    const fullKey = pathText(issue.path);
    const here = valueAt(value, issue.path);
    if (issue.code === "invalid_key") {
        // A map key (a tag, service or image name) failed: report the key's own rule.
        const keySchema = unwrap(schemaAt(schema, issue.path.slice(0, -1)));
        const message = issue.issues[0]?.message ?? "";
        const allowed = isValidatorWording(message) ? allowedFor(keySchema instanceof z.ZodRecord ? (keySchema.keyType as z.ZodType) : undefined) : message;
        return [{ key: fullKey, value: here, allowed, fix: `rename ${fullKey} in Pulumi.${stack}.yaml (under platform:${key})` }];
    }
    const field = schemaAt(schema, issue.path);
    const allowed = issue.code === "custom" || !isValidatorWording(issue.message) ? issue.message : allowedFor(field);
    return [{ key: fullKey, value: here, allowed: isValidatorWording(allowed) ? allowedFor(field) : allowed, fix: fixFor(stack, key, fullKey, field, here) }];
}

/**
 * A fix that works and destroys nothing: a `pulumi config set` for a single value, an edit of the
 * stack file for a whole group, map entry or list (setting `{}` would wipe what is there).
 */
function fixFor(stack: string, group: string, fullKey: string, field: z.ZodType | undefined, value: unknown): string {
    const s = unwrap(field);
    if (s instanceof z.ZodObject || s instanceof z.ZodRecord) {
        return `edit ${fullKey} under platform:${group} in Pulumi.${stack}.yaml so it is ${allowedFor(field)}`;
    }
    if (s instanceof z.ZodArray) {
        // Not a list (a list with a bad item is reported at the item). A single valid item, e.g.
        // paths: "/api/*", is kept: remove the key, then set it as the list's first item.
        const element = s.element as z.ZodType;
        if (value !== undefined && value !== null && element.safeParse(value).success) {
            return `pulumi config rm --path '${fullKey}' --stack ${stack} && ${setCommand(stack, `${fullKey}[0]`, String(value), isTextField(element))}`;
        }
        return `edit ${fullKey} under platform:${group} in Pulumi.${stack}.yaml so it is ${allowedFor(field)}`;
    }
    const text = isTextField(field);
    // A number or boolean where text belongs: the same value, stored as text.
    const sameAsText = (typeof value === "number" || typeof value === "boolean") && field?.safeParse(String(value)).success;
    const example = text && sameAsText ? String(value) : exampleFor(s);
    // No value would be accepted here (e.g. a queue when none exist): the only fix is removing it.
    if (example === undefined) return `remove it (pulumi config rm --path '${fullKey}' --stack ${stack})`;
    return setCommand(stack, fullKey, example, text);
}

function merge(raw: RawConfig, tier: Tier, ctx: ConfigContext, services: readonly string[] | undefined): Settings {
    const d = TIER_DEFAULTS[tier];
    const userTags = raw.tags ?? {};
    const compute = { ...d.compute, ...raw.compute };
    return {
        project: ctx.project,
        stack: ctx.stack,
        tier,
        region: raw.region ?? "us-east-1",
        tags: { ...userTags, project: ctx.project, stack: ctx.stack, tier },
        protectData: d.protectData,
        network: { ...d.network, ...raw.network },
        logs: { ...d.logs, ...raw.logs },
        database: { ...d.database, ...withoutOverrides(raw.database, ["allowUnlistedInstanceClass"]) },
        cache: { ...d.cache, ...withoutOverrides(raw.cache, ["allowUnlistedNodeType"]) },
        storage: {
            forceDestroy: raw.storage?.forceDestroy ?? d.storage.forceDestroy,
            uploads: { ...d.storage.uploads, ...raw.storage?.uploads },
            logs: { ...d.storage.logs, ...raw.storage?.logs },
        },
        backup: { ...d.backup, ...raw.backup },
        // The merged bounds: a stack file's compute.defaultMinTasks / defaultMaxTasks apply to its services.
        compute,
        services: (services ?? [])
            .map((name) => resolveService(name, raw.services?.[name] ?? {}, compute, raw.release?.[name] as ImageRelease | undefined))
            .sort((a, b) => a.name.localeCompare(b.name)),
        release: (raw.release ?? {}) as Record<string, ImageRelease>,
        domain: raw.domain?.name || raw.domain?.hostedZoneId || raw.domain?.certificateArn ? { ...raw.domain, name: raw.domain.name ?? "" } : undefined,
    };
}

/** Config-only switches (escape hatches) are validated here and never reach the components. */
function withoutOverrides<T extends object>(group: T | undefined, keys: readonly string[]): Partial<T> {
    if (!group) return {};
    return Object.fromEntries(Object.entries(group).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

type RawService = NonNullable<RawConfig["services"]>[string];

/**
 * A service's config with its defaults applied (scaling bounds from the stack's compute settings).
 * Fields that failed validation are missing here (NaN for the required numbers); the rules that
 * need them stay silent, and the program never gets this far with them.
 */
function resolveService(name: string, svc: Partial<RawService>, compute: ComputeSettings, release: ImageRelease | undefined): ServiceSettings {
    return {
        name,
        cpu: svc.cpu ?? Number.NaN,
        memory: svc.memory ?? Number.NaN,
        architecture: svc.architecture ?? "arm64",
        port: svc.port ?? Number.NaN,
        minTasks: svc.minTasks ?? compute.defaultMinTasks,
        maxTasks: svc.maxTasks ?? Math.max(compute.defaultMaxTasks, svc.minTasks ?? 0),
        expose: svc.expose ?? "public",
        healthCheckPath: svc.healthCheckPath ?? "/health",
        paths: svc.paths ?? [],
        hosts: svc.hosts ?? [],
        priority: svc.priority,
        command: svc.command,
        environment: svc.environment ?? {},
        featureFlags: svc.featureFlags ?? {},
        secrets: [...new Set(svc.secrets ?? [])],
        buckets: [...new Set(svc.buckets ?? [])],
        queues: [...new Set(svc.queues ?? [])],
        migrationCommand: svc.migrationCommand,
        user: svc.user ?? "1000:1000",
        cpuTargetPercent: svc.cpuTargetPercent ?? 60,
        memoryTargetPercent: svc.memoryTargetPercent ?? 70,
        requestsPerTarget: svc.requestsPerTarget ?? 500,
        release,
    };
}

/** True when `key` or anything inside or around it failed validation (its value is not the user's). */
function isInvalid(invalid: Invalid, key: string): boolean {
    const inside = (a: string, b: string) => a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return invalid.some((k) => k === key || inside(k, key) || inside(key, k));
}

/** The fix for a key, with `--type string` where the field holds text. */
function fixCommand(stack: string, key: string, example: string): string {
    const [group, ...path] = key.split(".");
    const schema = CONFIG_KEYS[group as ConfigKey]?.schema as z.ZodType | undefined;
    return setCommand(stack, key, example, schema !== undefined && isTextField(schemaAt(schema, path)));
}

/**
 * Rules that span fields or depend on the tier. Each names the key the user should change; values
 * that came from the tier default are reported as such. `deps` are the fields a rule reads: when one
 * of them is invalid (and reported), the rule is skipped.
 */
function invariants(s: Settings, raw: RawConfig, ctx: ConfigContext, invalid: Invalid): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const rule = (ok: boolean, key: string, value: unknown, allowed: string, example: string, deps: string[] = [key]) => {
        if (!ok && !deps.some((d) => isInvalid(invalid, d))) issues.push({ key, value, allowed, fix: fixCommand(ctx.stack, key, example) });
    };
    const prod = s.tier === "prod";

    // The stack name prefixes physical names (RDS identifiers, ALB names), so it must fit their rules.
    const stackNameOk = STACK_NAME.test(ctx.stack) && !ctx.stack.includes("--");
    if (!stackNameOk) {
        issues.push({
            key: "(stack name)",
            value: ctx.stack,
            allowed: "a lowercase letter, then up to 19 lowercase letters, digits or single hyphens, not ending in a hyphen",
            fix: "pulumi stack rename <new-name> (or create the stack under such a name)",
        });
    }
    // Every physical name must fit its AWS limit (config/naming.ts).
    issues.push(...namingIssues(ctx.project, stackNameOk ? ctx.stack : "x", s.services.map((svc) => svc.name)).filter((i) => stackNameOk || i.key !== "(stack name)"));

    if (ctx.awsRegion !== undefined && ctx.awsRegion !== s.region && !isInvalid(invalid, "region")) {
        issues.push({
            key: "aws:region",
            value: ctx.awsRegion,
            allowed: `unset, or equal to platform:region (${s.region}); the program's provider uses platform:region`,
            fix: `pulumi config rm aws:region --stack ${ctx.stack}, and set platform:region instead`,
        });
    }

    // Production safety: these are refused, never silently corrected.
    if (prod) {
        rule(s.network.natGateways === "perAz", "network.natGateways", s.network.natGateways, "perAz in prod (a single NAT gateway is a single point of failure)", "perAz");
        rule(s.database.multiAz, "database.multiAz", s.database.multiAz, "true in prod", "true");
        rule(s.database.backupRetentionDays >= 30, "database.backupRetentionDays", s.database.backupRetentionDays, "30 to 35 in prod", "30");
        rule(s.database.deletionProtection, "database.deletionProtection", s.database.deletionProtection, "true in prod", "true");
        rule(s.database.finalSnapshot, "database.finalSnapshot", s.database.finalSnapshot, "true in prod", "true");
        rule(s.cache.nodes >= 2, "cache.nodes", s.cache.nodes, "2 to 6 in prod (automatic failover needs a replica)", "2");
        rule(s.cache.snapshotRetentionDays >= 7, "cache.snapshotRetentionDays", s.cache.snapshotRetentionDays, "7 to 35 in prod", "7");
        rule(s.backup.retentionDays >= 30, "backup.retentionDays", s.backup.retentionDays, "30 or more in prod", "30");
        rule(!s.storage.forceDestroy, "storage.forceDestroy", s.storage.forceDestroy, "false in prod (buckets holding objects are never deleted)", "false");
        rule(!s.compute.allowHttpWithoutDomain, "compute.allowHttpWithoutDomain", s.compute.allowHttpWithoutDomain, "false in prod (HTTPS only)", "false");
        rule(s.compute.loadBalancerDeletionProtection, "compute.loadBalancerDeletionProtection", s.compute.loadBalancerDeletionProtection, "true in prod", "true");
        rule(s.compute.defaultMinTasks >= 2, "compute.defaultMinTasks", s.compute.defaultMinTasks, "2 or more in prod (tasks spread over AZs)", "2");
        rule(s.logs.retentionDays >= 365, "logs.retentionDays", s.logs.retentionDays, "365 or more in prod", "365");
    }

    // Cross-field rules, all tiers.
    // RDS: "set the maximum storage threshold to be at least 10% more than the current allocated storage".
    const minCeiling = Math.ceil((s.database.allocatedStorageGb * 11) / 10);
    rule(
        s.database.maxAllocatedStorageGb >= minCeiling,
        "database.maxAllocatedStorageGb",
        s.database.maxAllocatedStorageGb,
        `at least ${minCeiling} (10 % above database.allocatedStorageGb ${s.database.allocatedStorageGb}, RDS storage autoscaling)`,
        String(Math.max(minCeiling, s.database.allocatedStorageGb * 2)),
        ["database.maxAllocatedStorageGb", "database.allocatedStorageGb"],
    );
    const unlistedClass = raw.database?.allowUnlistedInstanceClass === true;
    rule(
        unlistedClass || RDS_POSTGRES_INSTANCE_CLASSES.has(s.database.instanceClass),
        "database.instanceClass",
        s.database.instanceClass,
        "an RDS for PostgreSQL instance class listed in config/catalog.ts (e.g. db.t4g.small, db.m7g.large); for a newer one set database.allowUnlistedInstanceClass: true",
        "db.t4g.small",
        ["database.instanceClass", "database.allowUnlistedInstanceClass"],
    );
    const unlistedNode = raw.cache?.allowUnlistedNodeType === true;
    rule(
        unlistedNode || ELASTICACHE_NODE_TYPES.has(s.cache.nodeType),
        "cache.nodeType",
        s.cache.nodeType,
        "an ElastiCache node type listed in config/catalog.ts (e.g. cache.t4g.small, cache.m7g.large); for a newer one set cache.allowUnlistedNodeType: true",
        "cache.t4g.small",
        ["cache.nodeType", "cache.allowUnlistedNodeType"],
    );
    const versions = CACHE_ENGINE_VERSIONS[s.cache.engine];
    rule(versions.includes(s.cache.engineVersion), "cache.engineVersion", s.cache.engineVersion, `for ${s.cache.engine}: ${versions.join(", ")}`, versions[versions.length - 1], [
        "cache.engineVersion",
        "cache.engine",
    ]);
    // Lifecycle: Glacier Flexible Retrieval bills 90 days minimum, so an object that moves there
    // stays at least 90 days before it expires; 0 means no transition.
    const lifecycles: Array<[string, number, string, number]> = [
        ["storage.uploads.noncurrentExpireDays", s.storage.uploads.noncurrentExpireDays, "storage.uploads.noncurrentToGlacierDays", s.storage.uploads.noncurrentToGlacierDays],
        ["storage.logs.expireDays", s.storage.logs.expireDays, "storage.logs.toGlacierDays", s.storage.logs.toGlacierDays],
    ];
    for (const [key, expire, glacierKey, glacier] of lifecycles) {
        rule(
            glacier === 0 || expire >= glacier + 90,
            key,
            expire,
            `at least ${glacier + 90}: ${glacierKey} (${glacier}) + 90 days, Glacier Flexible Retrieval's minimum storage; or set ${glacierKey} to 0`,
            String(glacier + 90),
            [key, glacierKey],
        );
    }
    rule(s.compute.defaultMinTasks <= s.compute.defaultMaxTasks, "compute.defaultMaxTasks", s.compute.defaultMaxTasks, `at least compute.defaultMinTasks (${s.compute.defaultMinTasks})`, String(s.compute.defaultMinTasks), [
        "compute.defaultMaxTasks",
        "compute.defaultMinTasks",
    ]);
    issues.push(...serviceInvariants(s, raw, ctx, invalid));
    rule(s.backup.copyToRegion !== s.region, "backup.copyToRegion", s.backup.copyToRegion, `"" or a region other than ${s.region}`, s.region === "us-west-2" ? "us-east-2" : "us-west-2", ["backup.copyToRegion", "region"]);
    for (const [name, value] of Object.entries(raw.tags ?? {})) {
        const kind = secretLikeValue(value);
        if (kind) issues.push({ key: configPath(["tags", name]), value: "(hidden)", allowed: `no secrets in tags (this looks like ${kind})`, fix: `remove the value from Pulumi.${ctx.stack}.yaml and rotate the secret` });
    }
    return issues;
}

/** Environment names the platform sets itself; a service's `environment` may not shadow them. */
export const RESERVED_ENV = /^(DB_|REDIS_|UPLOADS_|FEATURE_|AWS_|ECS_)/;

function serviceInvariants(s: Settings, raw: RawConfig, ctx: ConfigContext, invalid: Invalid): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const bad = (...keys: string[]) => keys.some((k) => isInvalid(invalid, k));
    const add = (key: string, value: unknown, allowed: string, example: string, deps: string[] = [key]) => {
        if (!bad(...deps)) issues.push({ key, value, allowed, fix: fixCommand(ctx.stack, key, example) });
    };
    const hiddenSecret = (key: string, allowed: string, fix: string) => {
        if (!bad(key)) issues.push({ key, value: "(hidden)", allowed, fix });
    };

    const seenPaths = new Map<string, string>();
    const seenPriorities = new Map<number, string>();
    for (const svc of s.services) {
        const k = (field: string) => `services.${svc.name}.${field}`;
        const rawSvc: Partial<RawService> = raw.services?.[svc.name] ?? {};
        const memories = FARGATE_SIZES[svc.cpu] ?? [];
        if (!memories.includes(svc.memory)) {
            const range = memories.length > 3 ? `${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}` : memories.join(", ");
            add(k("memory"), svc.memory, `for cpu ${svc.cpu}: ${range} (MiB)`, String(memories[0]), [k("memory"), k("cpu")]);
        }
        if (svc.minTasks > svc.maxTasks) add(k("maxTasks"), svc.maxTasks, `at least minTasks (${svc.minTasks})`, String(svc.minTasks), [k("maxTasks"), k("minTasks"), "compute"]);
        // Bounds from compute.defaultMinTasks are checked there; a service's own minTasks here.
        if (s.tier === "prod" && rawSvc.minTasks !== undefined && svc.minTasks < 2) add(k("minTasks"), svc.minTasks, "2 or more in prod (tasks spread over AZs)", "2");
        const routeDeps = [k("paths"), k("hosts"), k("expose")];
        if (svc.expose === "public" && svc.paths.length + svc.hosts.length === 0) {
            add(k("paths"), svc.paths, "at least one path pattern or host for a public service", '/api/*', routeDeps);
        }
        if (svc.expose === "internal" && svc.paths.length + svc.hosts.length > 0) {
            issues.push(...(bad(...routeDeps) ? [] : [{
                key: k("paths"),
                value: [...svc.paths, ...svc.hosts],
                allowed: "none for an internal service (it is not behind the load balancer)",
                fix: `remove them (pulumi config rm --path '${k("paths")}' and '${k("hosts")}' --stack ${ctx.stack})`,
            }]));
        }
        if (svc.expose === "public" && !bad(...routeDeps, k("priority"))) {
            const priority = rulePriority(svc);
            const other = seenPriorities.get(priority);
            if (other) add(k("priority"), svc.priority, `a listener-rule priority other than ${priority}, which ${other} has`, String(priority + 1));
            seenPriorities.set(priority, svc.name);
        }
        issues.push(...routeLimitIssues(svc, ctx.stack, bad));
        for (const path of svc.paths) {
            const other = seenPaths.get(path);
            if (other && !bad(k("paths"))) add(k("paths"), path, `a path no other service routes (${other} has it)`, "/other/*");
            seenPaths.set(path, svc.name);
        }
        // The certificate covers exactly domain.name; another host would fail TLS (or, without a
        // domain, has no certificate at all). allowForeignHosts says the mismatch is known.
        if (rawSvc.allowForeignHosts !== true && !bad(k("hosts"), k("allowForeignHosts"), "domain")) {
            const foreign = svc.hosts.filter((h) => h !== s.domain?.name);
            if (foreign.length > 0) {
                issues.push({
                    key: k("hosts"),
                    value: foreign,
                    allowed: s.domain?.name
                        ? `only ${s.domain.name}, the name the stack's certificate covers (domain.name)`
                        : "none without platform:domain (there is no certificate for any host)",
                    fix: `route by path instead, or set ${k("allowForeignHosts")}: pulumi config set --path '${k("allowForeignHosts")}' true --stack ${ctx.stack} (then serve those names with a certificate of your own)`,
                });
            }
        }
        for (const [name, value] of Object.entries(svc.environment)) {
            const key = k(`environment.${name}`);
            if (RESERVED_ENV.test(name)) {
                issues.push({ key, value, allowed: "a name not starting with DB_, REDIS_, UPLOADS_, FEATURE_, AWS_ or ECS_ (set by the platform)", fix: `rename or remove it (pulumi config rm --path '${key}' --stack ${ctx.stack})` });
            } else if (SECRET_LIKE_NAME.test(name)) {
                hiddenSecret(key, "no secret-looking names in plain environment values", "store it in Secrets Manager and reference it from the service's secrets");
            } else {
                const kind = secretLikeValue(value);
                if (kind) hiddenSecret(key, `no secrets in plain environment values (this looks like ${kind})`, "store it in Secrets Manager, reference it from the service's secrets, and rotate it (it was in the stack file)");
            }
        }
        for (const field of ["command", "migrationCommand"] as const) {
            const kind = (svc[field] ?? []).map(secretLikeValue).find((x) => x !== undefined);
            if (kind) hiddenSecret(k(field), `no secrets in a command line (this looks like ${kind})`, "read it from a secret the service is given (secrets: database/cache) and rotate it");
        }
        if (svc.migrationCommand && !svc.secrets.includes("database")) {
            if (!bad(k("secrets"), k("migrationCommand"))) {
                // Appends "database" to the list the stack file has (the next free index).
                const next = `${k("secrets")}[${rawSvc.secrets?.length ?? 0}]`;
                issues.push({ key: k("secrets"), value: svc.secrets, allowed: 'must include "database" when migrationCommand is set', fix: fixCommand(ctx.stack, next, "database") });
            }
        }
    }
    // A release for an image no service runs (only when the services themselves could be read).
    if (!invalid.includes("services")) {
        for (const image of Object.keys(s.release)) {
            if (!s.services.some((svc) => svc.name === image)) {
                issues.push({
                    key: `release.${image}`,
                    value: s.release[image],
                    allowed: `an image this stack runs: ${s.services.map((svc) => svc.name).join(", ") || "(no services configured)"}`,
                    fix: `add the service under platform:services, or remove the release (pulumi config rm --path 'release.${image}' --stack ${ctx.stack})`,
                });
            }
        }
    }
    if (s.domain) {
        if (!s.domain.name) add("domain.name", undefined, "a host name when any domain field is set", "api.example.com");
        if (Boolean(s.domain.hostedZoneId) === Boolean(s.domain.certificateArn)) {
            add("domain.hostedZoneId", s.domain.hostedZoneId, "exactly one of domain.hostedZoneId (issue a certificate) or domain.certificateArn (bring one)", "Z0123456789ABCDEFGHIJ", [
                "domain.hostedZoneId",
                "domain.certificateArn",
            ]);
        }
        const certRegion = s.domain.certificateArn?.split(":")[3];
        if (certRegion && certRegion !== s.region) {
            add("domain.certificateArn", s.domain.certificateArn, `a certificate in ${s.region}, the load balancer's region`, `arn:aws:acm:${s.region}:<account>:certificate/<id>`, ["domain.certificateArn", "region"]);
        }
    } else if (!s.compute.allowHttpWithoutDomain && s.services.some((svc) => svc.expose === "public") && !bad("domain", "compute.allowHttpWithoutDomain")) {
        add("domain.name", undefined, `a domain for HTTPS: ${s.tier} serves public services over HTTPS only`, "api.example.com");
    }
    return issues;
}

/** One listener rule per public service: its paths and hosts must fit the ALB's condition limits. */
function routeLimitIssues(svc: ServiceSettings, stack: string, bad: (...keys: string[]) => boolean): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const k = (field: string) => `services.${svc.name}.${field}`;
    const { valuesPerCondition, valuesPerRule, wildcardsPerRule } = ALB_RULE_LIMITS;
    const edit = `split the routes over two services, or use fewer, broader patterns (edit ${k("paths")} / ${k("hosts")} in Pulumi.${stack}.yaml)`;
    for (const field of ["paths", "hosts"] as const) {
        if (svc[field].length > valuesPerCondition && !bad(k(field))) {
            issues.push({ key: k(field), value: svc[field], allowed: `at most ${valuesPerCondition} (ALB: match evaluations per condition)`, fix: edit });
        }
    }
    if (bad(k("paths"), k("hosts"))) return issues;
    const values = [...svc.paths, ...svc.hosts];
    if (values.length > valuesPerRule) {
        issues.push({ key: k("paths"), value: values, allowed: `at most ${valuesPerRule} paths and hosts together (ALB: condition values per rule)`, fix: edit });
    }
    const wildcards = values.join("").replace(/[^*?]/g, "").length;
    if (wildcards > wildcardsPerRule) {
        issues.push({ key: k("paths"), value: values, allowed: `at most ${wildcardsPerRule} wildcards (* and ?) over all paths and hosts (ALB: condition wildcards per rule); this has ${wildcards}`, fix: edit });
    }
    return issues;
}
