/**
 * Production safety: what prod refuses, one row per key. These are refused, never silently
 * corrected; adding a refusal is adding a row. README "Stack matrix" lists them in its "prod
 * refuses" column; tests/config-prod.spec.ts keeps the two in step. A service's own `minTasks`
 * under 2 is refused per service, in services.ts.
 */
import type { ConfigIssue } from "../errors";
import { valueAt } from "../fields";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/** The Settings groups a tier decides, and their fields as config keys (`database.multiAz`). */
type Group = "network" | "logs" | "database" | "cache" | "storage" | "backup" | "compute";
export type SettingKey = { [G in Group]: `${G}.${Extract<keyof Settings[G], string>}` }[Group];

export interface ProdRule {
    /** The key refused; its value (as resolved, tier default or the stack file's) is what the message shows. */
    key: SettingKey;
    /** True when the stack's settings are acceptable for prod. */
    holds: (s: Settings) => boolean;
    /** What prod allows, as the message says it. */
    allowed: string;
    /** The value the suggested `pulumi config set` uses. */
    example: string;
}

export const PROD_RULES: readonly ProdRule[] = [
    { key: "network.natGateways", holds: (s) => s.network.natGateways === "perAz", allowed: "perAz in prod (a single NAT gateway is a single point of failure)", example: "perAz" },
    { key: "database.multiAz", holds: (s) => s.database.multiAz, allowed: "true in prod", example: "true" },
    { key: "database.backupRetentionDays", holds: (s) => s.database.backupRetentionDays >= 30, allowed: "30 to 35 in prod", example: "30" },
    { key: "database.deletionProtection", holds: (s) => s.database.deletionProtection, allowed: "true in prod", example: "true" },
    { key: "database.finalSnapshot", holds: (s) => s.database.finalSnapshot, allowed: "true in prod", example: "true" },
    { key: "cache.nodes", holds: (s) => s.cache.clusterMode || s.cache.nodes >= 2, allowed: "2 to 6 in prod (automatic failover needs a replica)", example: "2" },
    { key: "cache.snapshotRetentionDays", holds: (s) => s.cache.snapshotRetentionDays >= 7, allowed: "7 to 35 in prod", example: "7" },
    { key: "backup.retentionDays", holds: (s) => s.backup.retentionDays >= 30, allowed: "30 or more in prod", example: "30" },
    { key: "storage.forceDestroy", holds: (s) => !s.storage.forceDestroy, allowed: "false in prod (buckets holding objects are never deleted)", example: "false" },
    { key: "compute.allowHttpWithoutDomain", holds: (s) => !s.compute.allowHttpWithoutDomain, allowed: "false in prod (HTTPS only)", example: "false" },
    { key: "compute.loadBalancerDeletionProtection", holds: (s) => s.compute.loadBalancerDeletionProtection, allowed: "true in prod", example: "true" },
    { key: "compute.defaultMinTasks", holds: (s) => s.compute.defaultMinTasks >= 2, allowed: "2 or more in prod (tasks spread over AZs)", example: "2" },
    { key: "logs.retentionDays", holds: (s) => s.logs.retentionDays >= 365, allowed: "365 or more in prod", example: "365" },
];

export function prodRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    if (s.tier !== "prod") return [];
    return PROD_RULES.flatMap((r) => check(ctx, r.holds(s), r.key, valueAt(s, r.key.split(".")), r.allowed, r.example));
}
