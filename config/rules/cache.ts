/** Cache rules for every tier (prod's own refusals are in prod.ts). */
import { ELASTICACHE_NODE_TYPES } from "../catalog";
import type { ConfigIssue } from "../errors";
import { CACHE_ENGINE_VERSIONS } from "../schema";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/**
 * FSBP ElastiCache.1: automatic snapshots kept at least 1 day (0 turns them off). The policy pack refuses
 * 0 as a mandatory violation in every tier (policy/data.ts elasticache-backups), so config refuses it
 * first. Prod's own floor (7) is in prod.ts.
 */
export const MIN_SNAPSHOT_RETENTION_DAYS = 1;

export function cacheRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const unlistedNode = ctx.raw.cache?.allowUnlistedNodeType === true;
    const versions = CACHE_ENGINE_VERSIONS[s.cache.engine];
    return [
        ...check(
            ctx,
            s.tier === "prod" || s.cache.snapshotRetentionDays >= MIN_SNAPSHOT_RETENTION_DAYS,
            "cache.snapshotRetentionDays",
            s.cache.snapshotRetentionDays,
            `${MIN_SNAPSHOT_RETENTION_DAYS} to 35 (FSBP ElastiCache.1: 0 turns automatic snapshots off; the policy pack's mandatory elasticache-backups refuses it in every tier)`,
            String(MIN_SNAPSHOT_RETENTION_DAYS),
        ),
        ...check(
            ctx,
            unlistedNode || ELASTICACHE_NODE_TYPES.has(s.cache.nodeType),
            "cache.nodeType",
            s.cache.nodeType,
            "an ElastiCache node type listed in config/catalog.ts (e.g. cache.t4g.small, cache.m7g.large); for a newer one set cache.allowUnlistedNodeType: true",
            "cache.t4g.small",
            ["cache.nodeType", "cache.allowUnlistedNodeType"],
        ),
        ...check(ctx, versions.includes(s.cache.engineVersion), "cache.engineVersion", s.cache.engineVersion, `for ${s.cache.engine}: ${versions.join(", ")}`, versions[versions.length - 1], [
            "cache.engineVersion",
            "cache.engine",
        ]),
    ];
}
