/**
 * Cache cluster mode (cache.clusterMode, shards, replicasPerShard): which combinations config accepts,
 * what the replication group is given, the member ids the alarms read, and the price of the nodes.
 * Sources: Terraform AWS provider aws_elasticache_replication_group (automatic failover "must be
 * enabled" in cluster mode; numCacheClusters conflicts with numNodeGroups; r6gd needs data tiering),
 * AWS default parameter groups `default.<family>.cluster.on`, ElastiCache member ids
 * `<group>-<4-digit shard>-<3-digit node>`, PutMetricAlarm (at most 10 metrics per alarm).
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { clusterTopology } from "../components/data/cache";
import { cacheNodeIds } from "../components/monitoring/specs";
import { TYPE_PRICING } from "../scripts/review/prices";
import { configIssues } from "./helpers";

const at = (raw: Record<string, unknown>, key: string, stack = "test") => configIssues(raw, { stack }).find((i) => i.key === key);
const cluster = (c: Record<string, unknown>, tier = "dev") => ({ tier, cache: { clusterMode: true, ...c } });

describe("cache cluster mode: config", () => {
    it("accepts up to 10 nodes in all (shards × (1 + replicas)) and refuses 11 and more", () => {
        assert.equal(at(cluster({ shards: 10, replicasPerShard: 0 }), "cache.shards"), undefined, "10 × 1");
        assert.equal(at(cluster({ shards: 5, replicasPerShard: 1 }), "cache.shards"), undefined, "5 × 2");
        const over = at(cluster({ shards: 4, replicasPerShard: 2 }), "cache.shards");
        assert.ok(over, "4 × 3 = 12 nodes refused");
        assert.match(over!.allowed, /at most 10 nodes.*this is 12/);
    });

    it("refuses shards outside 1-10 and replicasPerShard outside 0-5", () => {
        assert.ok(at(cluster({ shards: 0 }), "cache.shards"));
        assert.ok(at(cluster({ shards: 11, replicasPerShard: 0 }), "cache.shards"));
        assert.equal(at(cluster({ shards: 1, replicasPerShard: 5 }), "cache.replicasPerShard"), undefined);
        assert.ok(at(cluster({ shards: 1, replicasPerShard: 6 }), "cache.replicasPerShard"));
    });

    it("refuses nodes (cluster mode off) with cluster mode on, which is sized by shards and replicasPerShard", () => {
        assert.ok(at(cluster({ nodes: 2 }), "cache.nodes"), "nodes with clusterMode");
        assert.equal(at({ tier: "dev", cache: { nodes: 2 } }, "cache.nodes"), undefined, "nodes without clusterMode");
        assert.deepEqual(configIssues(cluster({ shards: 2, replicasPerShard: 1 })), []);
    });

    it("prod refuses cluster mode without a replica per shard, accepts one", () => {
        const prod = (replicas: number) => at(cluster({ shards: 2, replicasPerShard: replicas }, "prod"), "cache.replicasPerShard", "prod");
        assert.ok(prod(0));
        assert.equal(prod(1), undefined);
        assert.equal(at(cluster({ shards: 2, replicasPerShard: 0 }), "cache.replicasPerShard"), undefined, "dev may run without replicas");
    });

    it("refuses data-tiering node types (r6gd), even when unlisted node types are allowed", () => {
        assert.ok(at({ tier: "dev", cache: { nodeType: "cache.r6gd.xlarge", allowUnlistedNodeType: true } }, "cache.nodeType"));
    });
});

describe("cache cluster mode: replication group, member ids, price", () => {
    it("uses the engine family's cluster-enabled default parameter group, with failover on and Multi-AZ only with replicas", () => {
        assert.equal(clusterTopology({ engine: "valkey", engineVersion: "8.1", shards: 2, replicasPerShard: 1 }).parameterGroupName, "default.valkey8.cluster.on");
        assert.equal(clusterTopology({ engine: "valkey", engineVersion: "7.2", shards: 2, replicasPerShard: 1 }).parameterGroupName, "default.valkey7.cluster.on");
        assert.equal(clusterTopology({ engine: "redis", engineVersion: "7.1", shards: 2, replicasPerShard: 1 }).parameterGroupName, "default.redis7.cluster.on");
        const none = clusterTopology({ engine: "valkey", engineVersion: "8.0", shards: 1, replicasPerShard: 0 });
        assert.equal(none.automaticFailoverEnabled, true);
        assert.equal(none.multiAzEnabled, false);
        assert.equal(clusterTopology({ engine: "valkey", engineVersion: "8.0", shards: 3, replicasPerShard: 1 }).multiAzEnabled, true);
        assert.equal("numCacheClusters" in none, false);
    });

    it("names member clusters <group>-<shard>-<node> in cluster mode and <group>-<node> otherwise", async () => {
        const resolve = (ids: pulumi.Output<string>[]) => Promise.all(ids.map((o) => new Promise<string>((r) => o.apply(r))));
        assert.deepEqual(await resolve(cacheNodeIds("g", 2, 2)), ["g-0001-001", "g-0001-002", "g-0002-001", "g-0002-002"]);
        assert.deepEqual(await resolve(cacheNodeIds("g", 2)), ["g-001", "g-002"]);
    });

    it("prices shards × (primary + replicas) nodes", () => {
        const pricing = TYPE_PRICING["aws:elasticache/replicationGroup:ReplicationGroup"];
        assert.equal(pricing.kind, "priced");
        if (pricing.kind !== "priced") return;
        const group = { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "c", inputs: { engine: "valkey", nodeType: "cache.m7g.large", numNodeGroups: 2, replicasPerNodeGroup: 1 } };
        const { lines } = pricing.price(group as never, { resources: [] } as never);
        // aws-prices.md: cache.m7g.large Valkey $0.1264 per node-hour, 730 h a month.
        assert.equal(lines[0].monthly.toFixed(2), (4 * 0.1264 * 730).toFixed(2));
    });
});
