/**
 * Raw stack config → validated Settings. Pure: no Pulumi runtime access, so every rule is unit-tested
 * with plain objects. All problems are collected and reported together.
 */
import { z } from "zod";
import { ConfigError, ConfigIssue, setCommand } from "./errors";
import { exampleFor, keysAt, schemaAt, valueAt } from "./fields";
import { CACHE_ENGINE_VERSIONS, CONFIG_KEYS, ConfigKey, RawConfig } from "./schema";
import { rulePriority } from "./routing";
import { ComputeSettings, FARGATE_SIZES, ImageRelease, ServiceSettings, Settings, Tier, TIERS } from "./settings";
import { TIER_DEFAULTS } from "./tiers";

export interface ConfigContext {
    project: string;
    stack: string;
    /** `aws:region` from the stack config, when set: it must agree with `platform:region`. */
    awsRegion?: string;
}

const STACK_NAME = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** Keys every stack must set; everything else has a default in Pulumi.yaml or the tier. */
const REQUIRED_KEYS: readonly ConfigKey[] = ["tier"];

export function resolveSettings(raw: Record<string, unknown>, ctx: ConfigContext): Settings {
    const issues: ConfigIssue[] = [];
    const parsed = parseKeys(raw, ctx.stack, issues);

    const tier: Tier = parsed.tier ?? "dev"; // only used to keep checking after a tier problem
    const settings = merge(parsed, tier, ctx);
    issues.push(...invariants(settings, ctx));

    if (issues.length > 0) throw new ConfigError(ctx.stack, issues);
    return settings;
}

function parseKeys(raw: Record<string, unknown>, stack: string, issues: ConfigIssue[]): RawConfig {
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
    for (const key of REQUIRED_KEYS) {
        if (raw[key] === undefined) {
            issues.push({
                key,
                value: undefined,
                allowed: `one of: ${TIERS.join(", ")}`,
                fix: setCommand(stack, key, "dev"),
            });
        }
    }
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
        const value = raw[key];
        if (value === undefined) continue;
        const schema = spec.schema as z.ZodType;
        const result = schema.safeParse(value);
        if (result.success) {
            parsed[key] = result.data;
            continue;
        }
        issues.push(...result.error.issues.flatMap((i) => toIssues(key, schema, value, i, stack)));
        // Keep the group's valid fields so the cross-field and tier rules still run on them: all
        // problems are reported in one go, not one per attempt.
        const salvaged = schema.safeParse(withoutPaths(value, result.error.issues));
        if (salvaged.success) parsed[key] = salvaged.data;
    }
    return parsed as RawConfig;
}

/** A copy of `value` without the fields the issues point at (unknown keys included). */
function withoutPaths(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
    if (value === null || typeof value !== "object") return value;
    const copy = structuredClone(value) as Record<PropertyKey, unknown>;
    for (const issue of issues) {
        const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
        for (const path of paths) {
            if (path.length === 0) continue;
            const parent = valueAt(copy, path.slice(0, -1));
            if (parent !== null && typeof parent === "object") delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
        }
    }
    return copy;
}

function toIssues(key: string, schema: z.ZodType, value: unknown, issue: z.core.$ZodIssue, stack: string): ConfigIssue[] {
    const pathText = (path: readonly PropertyKey[]) => [key, ...path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
        const known = keysAt(schema, issue.path);
        return issue.keys.map((unknownKey) => ({
            key: pathText([...issue.path, unknownKey]),
            value: valueAt(value, [...issue.path, unknownKey]),
            allowed: `known keys here: ${known.join(", ")}`,
            fix: `remove it (pulumi config rm --path '${pathText([...issue.path, unknownKey])}' --stack ${stack}) or correct the spelling`,
        }));
    }
    if (issue.code === "invalid_key") {
        // A record key (e.g. a tag name) failed: report the key's own rule, not the record's.
        const fullKey = pathText(issue.path);
        return [{ key: fullKey, value: valueAt(value, issue.path), allowed: issue.issues[0]?.message ?? issue.message, fix: `rename or remove ${fullKey}` }];
    }
    const example = exampleFor(schemaAt(schema, issue.path)) ?? "<value>";
    const fullKey = pathText(issue.path);
    return [{ key: fullKey, value: valueAt(value, issue.path), allowed: issue.message, fix: setCommand(stack, fullKey, example) }];
}

function merge(raw: RawConfig, tier: Tier, ctx: ConfigContext): Settings {
    const d = TIER_DEFAULTS[tier];
    const userTags = raw.tags ?? {};
    return {
        project: ctx.project,
        stack: ctx.stack,
        tier,
        region: raw.region ?? "us-east-1",
        tags: { ...userTags, project: ctx.project, stack: ctx.stack, tier },
        protectData: d.protectData,
        network: { ...d.network, ...raw.network },
        logs: { ...d.logs, ...raw.logs },
        database: { ...d.database, ...raw.database },
        cache: { ...d.cache, ...raw.cache },
        storage: {
            forceDestroy: raw.storage?.forceDestroy ?? d.storage.forceDestroy,
            uploads: { ...d.storage.uploads, ...raw.storage?.uploads },
            logs: { ...d.storage.logs, ...raw.storage?.logs },
        },
        backup: { ...d.backup, ...raw.backup },
        compute: { ...d.compute, ...raw.compute },
        services: Object.entries(raw.services ?? {})
            .map(([name, svc]) => resolveService(name, svc, d.compute, raw.release?.[name]))
            .sort((a, b) => a.name.localeCompare(b.name)),
        release: raw.release ?? {},
        domain: raw.domain?.name || raw.domain?.hostedZoneId || raw.domain?.certificateArn ? { ...raw.domain, name: raw.domain.name ?? "" } : undefined,
    };
}

type RawService = NonNullable<RawConfig["services"]>[string];

/** A service's config with its defaults applied (scaling bounds from the tier). */
function resolveService(name: string, svc: RawService, compute: ComputeSettings, release: ImageRelease | undefined): ServiceSettings {
    const expose = svc.expose ?? "public";
    return {
        name,
        cpu: svc.cpu,
        memory: svc.memory,
        architecture: svc.architecture ?? "arm64",
        port: svc.port,
        minTasks: svc.minTasks ?? compute.defaultMinTasks,
        maxTasks: svc.maxTasks ?? Math.max(compute.defaultMaxTasks, svc.minTasks ?? 0),
        expose,
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

/**
 * Rules that span fields or depend on the tier. Each names the key the user should change; values
 * that came from the tier default are reported as such.
 */
function invariants(s: Settings, ctx: ConfigContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const fix = (key: string, example: string) => setCommand(ctx.stack, key, example);
    const rule = (ok: boolean, key: string, value: unknown, allowed: string, example: string) => {
        if (!ok) issues.push({ key, value, allowed, fix: fix(key, example) });
    };
    const prod = s.tier === "prod";

    // The stack name prefixes physical names (RDS identifiers, ALB names), so it must fit their rules.
    if (!STACK_NAME.test(ctx.stack) || ctx.stack.includes("--")) {
        issues.push({
            key: "(stack name)",
            value: ctx.stack,
            allowed: "a lowercase letter, then up to 19 lowercase letters, digits or single hyphens, not ending in a hyphen",
            fix: "pulumi stack rename <new-name> (or create the stack under such a name)",
        });
    }

    if (ctx.awsRegion !== undefined && ctx.awsRegion !== s.region) {
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
        rule(s.logs.retentionDays >= 365, "logs.retentionDays", s.logs.retentionDays, "365 or more in prod", "365");
    }

    // Cross-field rules, all tiers.
    rule(
        s.database.maxAllocatedStorageGb > s.database.allocatedStorageGb,
        "database.maxAllocatedStorageGb",
        s.database.maxAllocatedStorageGb,
        `more than database.allocatedStorageGb (${s.database.allocatedStorageGb}) so storage can autoscale`,
        String(s.database.allocatedStorageGb * 2),
    );
    const versions = CACHE_ENGINE_VERSIONS[s.cache.engine];
    rule(versions.includes(s.cache.engineVersion), "cache.engineVersion", s.cache.engineVersion, `for ${s.cache.engine}: ${versions.join(", ")}`, versions[versions.length - 1]);
    // Lifecycle: an object must reach Glacier before it expires.
    const lifecycles: Array<[string, number, string, number]> = [
        ["storage.uploads.noncurrentExpireDays", s.storage.uploads.noncurrentExpireDays, "storage.uploads.noncurrentToGlacierDays", s.storage.uploads.noncurrentToGlacierDays],
        ["storage.logs.expireDays", s.storage.logs.expireDays, "storage.logs.toGlacierDays", s.storage.logs.toGlacierDays],
    ];
    for (const [key, expire, glacierKey, glacier] of lifecycles) {
        rule(expire > glacier, key, expire, `more than ${glacierKey} (${glacier})`, String(glacier + 90));
    }
    issues.push(...computeInvariants(s, ctx));
    rule(s.backup.copyToRegion !== s.region, "backup.copyToRegion", s.backup.copyToRegion, `"" or a region other than ${s.region}`, "us-west-2");
    return issues;
}

/** Environment names the platform sets itself; a service's `environment` may not shadow them. */
export const RESERVED_ENV = /^(DB_|REDIS_|UPLOADS_|FEATURE_|AWS_|ECS_)/;
/** Names that say "secret": such values belong in Secrets Manager, never in plain environment (FSBP ECS.8). */
export const SECRET_LIKE_ENV = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

function computeInvariants(s: Settings, ctx: ConfigContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const add = (key: string, value: unknown, allowed: string, example: string) =>
        issues.push({ key, value, allowed, fix: setCommand(ctx.stack, key, example) });

    const lbName = `${ctx.project}-${ctx.stack}`;
    if (lbName.length > 32) {
        issues.push({ key: "(stack name)", value: ctx.stack, allowed: `project + stack at most 32 characters (load balancer name "${lbName}")`, fix: "use a shorter stack name" });
    }

    const seenPaths = new Map<string, string>();
    const seenPriorities = new Map<number, string>();
    for (const svc of s.services) {
        const k = (field: string) => `services.${svc.name}.${field}`;
        const memories = FARGATE_SIZES[svc.cpu] ?? [];
        if (!memories.includes(svc.memory)) {
            const range = memories.length > 3 ? `${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}` : memories.join(", ");
            add(k("memory"), svc.memory, `for cpu ${svc.cpu}: ${range} (MiB)`, String(memories[0]));
        }
        if (svc.minTasks > svc.maxTasks) add(k("maxTasks"), svc.maxTasks, `at least minTasks (${svc.minTasks})`, String(svc.minTasks));
        if (s.tier === "prod" && svc.minTasks < 2) add(k("minTasks"), svc.minTasks, "2 or more in prod (tasks spread over AZs)", "2");
        if (svc.expose === "public" && svc.paths.length + svc.hosts.length === 0) {
            add(k("paths"), svc.paths, "at least one path pattern or host for a public service", '["/api/*"]');
        }
        if (svc.expose === "internal" && svc.paths.length + svc.hosts.length > 0) {
            add(k("paths"), svc.paths, "none for an internal service (it is not behind the load balancer)", "[]");
        }
        if (svc.expose === "public") {
            const priority = rulePriority(svc);
            const other = seenPriorities.get(priority);
            if (other) add(k("priority"), svc.priority, `a listener-rule priority other than ${priority}, which ${other} has`, String(priority + 1));
            seenPriorities.set(priority, svc.name);
        }
        if (svc.paths.length + svc.hosts.length > 5) add(k("paths"), [...svc.hosts, ...svc.paths], "at most 5 paths and hosts together (ALB conditions per rule)", '["/api/*"]');
        for (const path of svc.paths) {
            const other = seenPaths.get(path);
            if (other) add(k("paths"), path, `a path no other service routes (${other} has it)`, "/other/*");
            seenPaths.set(path, svc.name);
        }
        for (const name of Object.keys(svc.environment)) {
            if (RESERVED_ENV.test(name)) add(k(`environment.${name}`), svc.environment[name], "a name not starting with DB_, REDIS_, UPLOADS_, FEATURE_, AWS_ or ECS_ (set by the platform)", "");
            else if (SECRET_LIKE_ENV.test(name)) {
                issues.push({
                    key: k(`environment.${name}`),
                    value: "(hidden)",
                    allowed: "no secret-looking names in plain environment values",
                    fix: "store it in Secrets Manager and reference it from the service's secrets",
                });
            }
        }
        if (svc.migrationCommand && !svc.secrets.includes("database")) {
            add(k("secrets"), svc.secrets, 'must include "database" when migrationCommand is set', '["database"]');
        }
    }
    for (const image of Object.keys(s.release)) {
        if (!s.services.some((svc) => svc.name === image)) {
            issues.push({
                key: `release.${image}`,
                value: s.release[image],
                allowed: `an image this stack runs: ${s.services.map((svc) => svc.name).join(", ") || "(no services configured)"}`,
                fix: `remove it (pulumi config rm --path 'release.${image}' --stack ${ctx.stack}) or add the service`,
            });
        }
    }
    if (s.domain) {
        if (!s.domain.name) add("domain.name", undefined, "a host name when any domain field is set", "api.example.com");
        if (Boolean(s.domain.hostedZoneId) === Boolean(s.domain.certificateArn)) {
            add("domain.hostedZoneId", s.domain.hostedZoneId, "exactly one of domain.hostedZoneId (issue a certificate) or domain.certificateArn (bring one)", "Z0123456789ABCDEFGHIJ");
        }
        const certRegion = s.domain.certificateArn?.split(":")[3];
        if (certRegion && certRegion !== s.region) {
            add("domain.certificateArn", s.domain.certificateArn, `a certificate in ${s.region}, the load balancer's region`, `arn:aws:acm:${s.region}:<account>:certificate/<id>`);
        }
    } else if (!s.compute.allowHttpWithoutDomain && s.services.some((svc) => svc.expose === "public")) {
        add("domain.name", undefined, `a domain for HTTPS: ${s.tier} serves public services over HTTPS only`, "api.example.com");
    }
    return issues;
}
