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

/**
 * Cache alarms read every node in one metric-math expression, and a CloudWatch alarm may retrieve at most
 * 10 metrics (PutMetricAlarm: "as many as 10 structures that contain a MetricStat"): so at most 10 nodes.
 */
export const MAX_CACHE_NODES = 10;

/** Nodes the replication group has: `nodes`, or shards × (1 primary + replicas) in cluster mode. */
export function cacheNodeCount(c: Settings["cache"]): number {
    return c.clusterMode ? c.shards * (1 + c.replicasPerShard) : c.nodes;
}

/**
 * Cluster mode: `nodes` (cluster mode off) is refused with cluster mode on, which sizes the group with
 * `shards`/`replicasPerShard` (those are read only in cluster mode: the tiers default them, and a fix
 * example must stay valid in every tier, so they are not refused without it); the node total stays within what the alarms can read; r6gd (data tiering) node types are
 * refused, since they require dataTieringEnabled, which this program does not set (Terraform AWS
 * provider, aws_elasticache_replication_group: "must be set to true when using r6gd nodes").
 */
function clusterModeRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const raw = ctx.raw.cache ?? {};
    const c = s.cache;
    const total = cacheNodeCount(c);
    return [
        ...check(ctx, !(c.clusterMode && raw.nodes !== undefined), "cache.nodes", raw.nodes, "unset with cache.clusterMode: true (cluster mode sizes the group with shards and replicasPerShard)", "2", ["cache.nodes", "cache.clusterMode"]),
        ...check(ctx, !c.clusterMode || total <= MAX_CACHE_NODES, "cache.shards", c.shards, `shards × (1 + replicasPerShard) at most ${MAX_CACHE_NODES} nodes (each cache alarm reads every node; a CloudWatch alarm reads at most 10 metrics); this is ${total}`, "2", ["cache.shards", "cache.replicasPerShard", "cache.clusterMode"]),
        // Prod's refusal for cluster mode lives here, not in PROD_RULES: that table holds the tier values
        // every prod stack is checked on (dev's defaults fail each row); this one exists only with clusterMode.
        ...check(ctx, !(s.tier === "prod" && c.clusterMode && c.replicasPerShard < 1), "cache.replicasPerShard", c.replicasPerShard, "1 to 5 in prod with clusterMode (each shard fails over to a replica; ElastiCache.3 automatic failover)", "1", ["cache.replicasPerShard", "cache.clusterMode"]),
        ...check(ctx, !/^cache\.r6gd\./.test(c.nodeType), "cache.nodeType", c.nodeType, "a node type without data tiering (r6gd types require dataTieringEnabled, which this program does not manage)", "cache.r7g.large", ["cache.nodeType"]),
    ];
}

export function cacheRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const unlistedNode = ctx.raw.cache?.allowUnlistedNodeType === true;
    const versions = CACHE_ENGINE_VERSIONS[s.cache.engine];
    return [
        ...clusterModeRules(s, ctx),
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
