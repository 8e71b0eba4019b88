/**
 * Parsed config + tier defaults → Settings: what the stack file sets wins, field by field; the
 * tier's default fills the rest. Services get their defaults here too (scaling bounds from the
 * stack's compute settings). No checks: the rules (rules/) run on the result.
 */
import type { ConfigContext } from "./context";
import type { RawConfig, RawService, RawWorker } from "./schema";
import type { ComputeSettings, DomainSettings, ImageRelease, MonitoringSettings, ServiceSettings, Settings, Tier, WorkerSettings } from "./settings";
import { MONITORING_TIER_DEFAULTS, TIER_DEFAULTS, WORKER_TIER_DEFAULTS } from "./tiers";

export function merge(raw: RawConfig, tier: Tier, ctx: ConfigContext, services: readonly string[] | undefined): Settings {
    const d = TIER_DEFAULTS[tier];
    const userTags = raw.tags ?? {};
    const compute = { ...d.compute, ...raw.compute };
    return {
        project: ctx.project,
        stack: ctx.stack,
        tier,
        region: raw.region ?? "us-east-1",
        // A recovery stack's role is a tag too: the policy pack's recovery waivers read it (never the stack name).
        tags: { ...userTags, project: ctx.project, stack: ctx.stack, tier, ...(raw.recovery?.role ? { "recovery-role": raw.recovery.role } : {}) },
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
        workers: Object.entries(raw.workers ?? {})
            .map(([name, w]) => resolveWorker(name, w, tier, raw.release?.[name] as ImageRelease | undefined))
            .sort((a, b) => a.name.localeCompare(b.name)),
        release: (raw.release ?? {}) as Record<string, ImageRelease>,
        domain: domainOf(raw.domain),
        // A recovery stack with a zone can take over its primary's site name (README "Failover routing").
        edge: { ...d.edge, failover: raw.recovery?.role === "recovery" && raw.domain?.hostedZoneId ? "secondary" : d.edge.failover, ...raw.edge },
        monitoring: mergeMonitoring(raw.monitoring, tier),
        recovery: recoveryOf(raw.recovery),
        replicateTo: replicateToOf(raw.replicateTo),
    };
}

/** The replication block; missing fields are reported by rules/replication.ts ("" here). Pulumi.yaml's {} default means none. */
function replicateToOf(r: RawConfig["replicateTo"]): Settings["replicateTo"] {
    if (r?.stack === undefined && r?.region === undefined) return undefined;
    return { stack: r.stack ?? "", region: r.region ?? "" };
}

/** The recovery block with its defaults; missing required fields are reported by rules/recovery.ts ("" here). */
export function recoveryOf(r: RawConfig["recovery"]): Settings["recovery"] {
    if (!r?.role) return undefined;
    return { role: r.role, primaryStack: r.primaryStack ?? "", primaryRegion: r.primaryRegion ?? "", active: r.active ?? false, passiveTasks: r.passiveTasks ?? 0 };
}

/** The tier's monitoring defaults with the stack file's fields over them, level by level (a threshold's warning alone keeps the tier's critical). */
export function mergeMonitoring(m: RawConfig["monitoring"], tier: Tier): MonitoringSettings {
    const d = MONITORING_TIER_DEFAULTS[tier];
    const thresholds = { ...d.thresholds };
    for (const [k, levels] of Object.entries(m?.thresholds ?? {}) as [keyof MonitoringSettings["thresholds"], object][]) {
        thresholds[k] = { ...d.thresholds[k], ...levels };
    }
    return {
        routeAllToWarning: m?.routeAllToWarning ?? d.routeAllToWarning,
        warningLevels: m?.warningLevels ?? d.warningLevels,
        emails: { ...d.emails, ...m?.emails },
        httpsEndpoints: { ...d.httpsEndpoints, ...m?.httpsEndpoints },
        thresholds,
        deployment: { ...d.deployment, ...m?.deployment },
        canary: { ...d.canary, ...m?.canary },
        tracing: m?.tracing ?? d.tracing,
    };
}

/**
 * A complete domain: a name and exactly one certificate source. Anything else is `undefined` here
 * and reported by the domain rules, which read what the stack file said.
 */
export function domainOf(d: RawConfig["domain"]): DomainSettings | undefined {
    if (!d?.name) return undefined;
    if (d.hostedZoneId && !d.certificateArn) return { name: d.name, hostedZoneId: d.hostedZoneId };
    if (d.certificateArn && !d.hostedZoneId) return { name: d.name, certificateArn: d.certificateArn };
    return undefined;
}

/** Config-only switches (escape hatches) are validated here and never reach the components. */
function withoutOverrides<T extends object>(group: T | undefined, keys: readonly string[]): Partial<T> {
    if (!group) return {};
    return Object.fromEntries(Object.entries(group).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

/**
 * A service's config with its defaults applied (scaling bounds from the stack's compute settings).
 * Fields that failed validation are missing here (NaN for the required numbers); the rules that
 * need them stay silent, and the program never gets this far with them.
 */
export function resolveService(name: string, svc: Partial<RawService>, compute: ComputeSettings, release: ImageRelease | undefined): ServiceSettings {
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

/** Default visibility timeout of a worker's queue: six times the function timeout (AWS's advice for Lambda event sources). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * A worker's config with its defaults applied: arm64, queue batch 10 / 5 receives / visibility 6 ×
 * timeout, schedules in UTC with 3 retries within an hour, and the tier's provisioned concurrency for http workers (WORKER_TIER_DEFAULTS: prod 1).
 * Invalid fields are missing here (NaN for required numbers); the rules reading them stay silent.
 */
export function resolveWorker(name: string, w: Partial<RawWorker>, tier: Tier, release: ImageRelease | undefined): WorkerSettings {
    const timeoutSeconds = w.timeoutSeconds ?? Number.NaN;
    const t: Partial<NonNullable<RawWorker["trigger"]>> = w.trigger ?? {};
    const trigger: WorkerSettings["trigger"] =
        t.type === "http"
            ? { type: "http", routes: t.routes ?? [], throttle: t.throttle }
            : t.type === "schedule"
              ? { type: "schedule", expression: t.expression ?? "", timezone: t.timezone ?? "UTC", maxRetryAttempts: t.maxRetryAttempts ?? 3, maxEventAgeSeconds: t.maxEventAgeSeconds ?? 3600 }
              : {
                  type: "queue",
                  batchSize: t.batchSize ?? 10,
                  maxBatchingWindowSeconds: t.maxBatchingWindowSeconds ?? 0,
                  maxConcurrency: t.maxConcurrency,
                  maxReceiveCount: t.maxReceiveCount ?? 5,
                  visibilityTimeoutSeconds: t.visibilityTimeoutSeconds ?? VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds,
              };
    return {
        name,
        memoryMb: w.memoryMb ?? Number.NaN,
        timeoutSeconds,
        architecture: w.architecture ?? "arm64",
        trigger,
        environment: w.environment ?? {},
        featureFlags: w.featureFlags ?? {},
        reservedConcurrency: w.reservedConcurrency,
        vpc: w.vpc ?? false,
        secrets: [...new Set(w.secrets ?? [])],
        buckets: [...new Set(w.buckets ?? [])],
        provisionedConcurrency: w.provisionedConcurrency ?? (trigger.type === "http" ? WORKER_TIER_DEFAULTS[tier].httpProvisionedConcurrency : 0),
        rollbackTo: w.rollbackTo,
        canary: w.canary,
        release,
    };
}
