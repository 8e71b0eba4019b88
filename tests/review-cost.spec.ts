import * as assert from "node:assert/strict";
import { estimateCost, renderCost } from "../scripts/review/cost";
import { PRICES, SOURCES, TYPE_PRICING } from "../scripts/review/prices";
import { fromRun, Snapshot, SnapResource } from "../scripts/review/snapshot";
import { stackRun, TIER_STACKS } from "./helpers";

const cents = (n: number) => Math.round(n * 100);

/** A resource for a hand-built snapshot (a type or case the committed stacks do not have). */
function res(type: string, name: string, inputs: Record<string, unknown> = {}, component = "platform:test:Test"): SnapResource {
    return { urn: `urn:pulumi:t::platform::${component}$${type}::${name}`, type, name, component, custom: true, inputs };
}

describe("review: idle cost (npm run plan -- <stack> --cost)", function () {
    this.timeout(60_000);
    const snaps = new Map<string, Snapshot>();
    before(async () => {
        for (const stack of TIER_STACKS) snaps.set(stack, fromRun(await stackRun(stack)));
    });

    it("dev's idle cost equals the hand-computed sum of aws-prices.md's us-east-1 list prices for what dev runs", () => {
        // What dev runs (Pulumi.dev.yaml + the dev tier, README "Stack matrix"): one NAT instance (t4g.nano, public
        // IPv4, 8 GB gp3 root), an internal ALB behind CloudFront (VPC origin) with a WAF web ACL, PostgreSQL db.t4g.micro Single-AZ
        // with 20 GB gp3, one Valkey cache.t4g.micro node, the api service (512 CPU units, 1024 MB) and the
        // notifier (256, 512) with one ARM64 (Graviton, the services' default) task each on Fargate Spot (the dev
        // tier's `compute.spot`; Spot has no list price: estimated at 50% of on-demand, the low end of the
        // 50-70% discount in aws-prices.md), four customer managed
        // keys (data, logs, alerts, WAF logs) and two secrets (database credentials, cache auth token). 730 h.
        const h = 730;
        const alarms = snaps.get("dev")!.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.ok(alarms.length > 20, "dev has its baseline alarms");
        const wafRules = snaps.get("dev")!.resources.find((r) => r.type === "aws:wafv2/webAcl:WebAcl")!.inputs.rules.length;
        const alarmMetrics = alarms.reduce((n, a) => n + (a.inputs.metricQueries ? a.inputs.metricQueries.filter((q: { metric?: unknown }) => q.metric).length : 1), 0);
        const expected =
            0.0042 * h + // NAT instance t4g.nano-hour (dev's natGateways: instance)
            0.005 * h + // its public IPv4-hour
            8 * 0.08 + // its 8 GB gp3 root volume
            0.0225 * h + // ALB-hour (internal since the edge: no public IPv4)
            5.0 + 1.0 * wafRules + // WAF web ACL + each rule (rate limit and the managed groups)
            0.016 * h + // db.t4g.micro Single-AZ
            20 * 0.115 + // gp3 GB-month Single-AZ
            0.0128 * h + // cache.t4g.micro Valkey
            0.5 * (0.5 * 0.03238 + 1 * 0.00356) * h + // api: 0.5 vCPU + 1 GB, Fargate ARM, on Spot (dev tier): 50% of on-demand
            0.5 * (0.25 * 0.03238 + 0.5 * 0.00356) * h + // notifier: 0.25 vCPU + 0.5 GB, on Spot
            4 * 1.0 + // KMS keys: data, logs, alert topics, WAF logs (us-east-1)
            2 * 0.4 + // secrets
            3.0 + // the stack's dashboard
            0.1 * alarmMetrics; // CloudWatch bills every metric an alarm evaluates (metric math: each metric query)
        const report = estimateCost(snaps.get("dev")!);
        assert.equal(cents(report.total), cents(expected), `dev total ${report.total} vs hand-computed ${expected}`);
    });

    it("per-component figures add up to the total, and each resource's lines to its figure", () => {
        for (const [stack, snap] of snaps) {
            const report = estimateCost(snap);
            const byComponent = Object.values(report.perComponent).reduce((a, b) => a + b, 0);
            assert.equal(cents(byComponent), cents(report.total), `${stack}: components`);
            for (const r of report.resources) assert.equal(cents(r.lines.reduce((a, l) => a + l.monthly, 0)), cents(r.monthly), `${stack}: ${r.name}`);
        }
    });

    it("prod prices Multi-AZ PostgreSQL, the read replica with its own storage, per-AZ NAT and provisioned concurrency at the table's rates", () => {
        const report = estimateCost(snaps.get("prod")!);
        const of = (name: string) => report.resources.find((r) => r.name === name)!;
        // db.m7g.large Multi-AZ 0.337/h + 100 GB × 0.23; replica Single-AZ 0.168/h + 100 GB × 0.115.
        assert.equal(cents(of("prod-data-db").monthly), cents(0.337 * 730 + 100 * 0.23));
        assert.equal(cents(of("prod-data-db-replica-1").monthly), cents(0.168 * 730 + 100 * 0.115));
        // 3 NAT gateways + 3 EIPs.
        assert.equal(cents(of("prod-network-vpc").monthly), cents(3 * 0.045 * 730 + 3 * 0.005 * 730));
        // 1 warm execution × 1 GB arm64 × 0.0000033334 per GB-second × 730 h × 3600 s.
        const pc = report.resources.find((r) => r.type === "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")!;
        assert.equal(cents(pc.monthly), cents(1 * 1 * 0.0000033334 * 730 * 3600));
    });

    it("every resource type the program creates is priced, or listed as usage-only or free", () => {
        const missing: string[] = [];
        for (const [stack, snap] of snaps) {
            for (const r of snap.resources) {
                if (r.type.startsWith("platform:") || TYPE_PRICING[r.type]) continue;
                missing.push(`${r.type} (e.g. ${r.name} in ${stack})`);
            }
        }
        assert.deepEqual(
            [...new Set(missing)],
            [],
            "new resource type(s) without a price: add each to TYPE_PRICING in scripts/review/prices.ts — `priced` with its rates in PRICES and their source (SOURCES), or `usage`/`free` with the reason",
        );
    });

    it("every rate names its unit and its source", () => {
        for (const [key, rate] of Object.entries(PRICES)) {
            const key_ = /^S[1-6]/.exec(rate.source)?.[0];
            assert.ok(rate.usd > 0 && rate.unit.length > 0 && key_ !== undefined && SOURCES[key_], `${key}: ${JSON.stringify(rate)}`);
        }
    });

    it("names what it does not price: an unknown type, an instance class outside the table, and traffic and requests always", () => {
        const snap: Snapshot = {
            stack: "t",
            region: "us-east-1",
            resources: [res("aws:lightsail/instance:Instance", "t-bastion"), res("aws:rds/instance:Instance", "t-db", { instanceClass: "db.x2g.large", allocatedStorage: 20, storageType: "gp3" })],
        };
        const report = estimateCost(snap);
        assert.ok(report.notPriced.some((n) => n.startsWith("t-bastion (aws:lightsail/instance:Instance): type not in the price table")), report.notPriced.join("\n"));
        assert.ok(report.notPriced.some((n) => n.includes("db.x2g.large is not in RDS_POSTGRES_HOURLY")), report.notPriced.join("\n"));
        assert.ok(report.notPriced.some((n) => n.includes("data transfer")));
        assert.ok(report.notPriced.some((n) => n.includes("requests")));
        // The storage it can price is still counted: 20 GB × 0.115.
        assert.equal(cents(report.total), cents(20 * 0.115));
    });

    it("is labelled a list-price estimate, and says so when the stack is not in us-east-1", () => {
        const east = renderCost(estimateCost(snaps.get("dev")!)).join("\n");
        assert.match(east, /list-price estimate/);
        assert.doesNotMatch(east, /uses us-east-1 prices/);
        const west = renderCost(estimateCost({ stack: "t", region: "eu-west-1", resources: [res("aws:kms/key:Key", "t-key")] })).join("\n");
        assert.match(west, /This stack is in eu-west-1: the estimate uses us-east-1 prices/);
    });

    it("prices Fargate Spot at the estimate only when every task runs on Spot; a mix or on-demand at on-demand", () => {
        const taskDef = res("aws:ecs/taskDefinition:TaskDefinition", "t-td", { cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture: "ARM64" } });
        const service = (name: string, providers: string[]) =>
            res("aws:ecs/service:Service", name, { taskDefinition: "t-td", desiredCount: 1, capacityProviderStrategies: providers.map((capacityProvider) => ({ capacityProvider, weight: 1 })) });
        const price = (providers: string[]) => {
            const snap: Snapshot = { stack: "t", region: "us-east-1", resources: [taskDef, service("t-svc", providers)] };
            return estimateCost(snap).resources.find((r) => r.name === "t-svc")!;
        };
        const onDemand = (1 * 0.03238 + 2 * 0.00356) * 730; // 1 vCPU + 2 GB ARM, aws-prices.md
        assert.equal(cents(price(["FARGATE_SPOT"]).monthly), cents(0.5 * onDemand));
        assert.match(price(["FARGATE_SPOT"]).notes.join(" "), /no list price/);
        assert.equal(cents(price(["FARGATE", "FARGATE_SPOT"]).monthly), cents(onDemand));
        assert.equal(cents(price(["FARGATE"]).monthly), cents(onDemand));
    });

    it("prices the edge and monitoring types by the table: WAF $5 + $1 per rule, alarms $0.10 (high-resolution $0.30), dashboards $3, CloudFront usage-only", () => {
        const report = estimateCost({
            stack: "t",
            region: "us-east-1",
            resources: [
                res("aws:wafv2/webAcl:WebAcl", "t-acl", { rules: [{}, {}, {}] }),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "t-a1", { period: 60 }),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "t-a2", { period: 10 }),
                res("aws:cloudwatch/dashboard:Dashboard", "t-dash"),
                res("aws:cloudfront/distribution:Distribution", "t-cdn"),
            ],
        });
        assert.equal(cents(report.total), cents(5 + 3 * 1 + 0.1 + 0.3 + 3));
        assert.deepEqual(report.usageOnly.map((u) => u.type), ["aws:cloudfront/distribution:Distribution"]);
    });
});
