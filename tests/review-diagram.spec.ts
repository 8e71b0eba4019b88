import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../offline/run";
import { buildDiagram, Diagram } from "../scripts/review/diagram";
import { components, fromRun, Snapshot } from "../scripts/review/snapshot";
import { stackRun, TIER_STACKS } from "./helpers";

const has = (d: Diagram, from: string, to: string) => d.edges.some((e) => e.from === from && e.to === to);
const nodeId = (d: Diagram, name: string, type: string) => d.nodes.find((n) => n.urns.some((u) => u.endsWith(`${type}::${name}`)))?.id ?? `(no node for ${name})`;

/** The prod diagram block the README embeds, between its markers. */
function readmeDiagram(): string | undefined {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    return /<!-- diagram:prod:start -->\n```mermaid\n([\s\S]*?)\n```\n<!-- diagram:prod:end -->/.exec(readme)?.[1];
}

describe("review: diagram (npm run plan -- <stack> --diagram)", function () {
    this.timeout(60_000);
    const snaps = new Map<string, Snapshot>();
    before(async () => {
        for (const stack of TIER_STACKS) snaps.set(stack, fromRun(await stackRun(stack)));
    });

    it("draws every component as a subgraph, and every node stands for resources that exist in the program", () => {
        for (const [stack, snap] of snaps) {
            const d = buildDiagram(snap);
            const urns = new Set(snap.resources.map((r) => r.urn));
            assert.deepEqual(d.components.map((c) => c.type), components(snap).map((c) => c.type), stack);
            for (const c of d.components) assert.ok(d.mermaid.includes(`subgraph ${c.id}[`), `${stack}: ${c.type}`);
            for (const n of d.nodes) {
                assert.ok(n.urns.length > 0 && n.urns.every((u) => urns.has(u)), `${stack}: ${n.id}`);
                assert.ok(d.mermaid.includes(`${n.id}["`), `${stack}: ${n.id} drawn`);
            }
            for (const e of d.edges) assert.ok(e.from === "internet" || d.nodes.some((n) => n.id === e.from), `${stack}: edge from ${e.from}`);
            // One node per service, function, database and queue the program registers.
            for (const type of ["aws:ecs/service:Service", "aws:lambda/function:Function", "aws:rds/instance:Instance", "aws:sqs/queue:Queue"]) {
                const count = snap.resources.filter((r) => r.type === type).length;
                assert.equal(d.nodes.filter((n) => n.urns.length === 1 && n.urns[0].includes(`$${type}::`)).length, count, `${stack}: ${type}`);
            }
        }
    });

    it("prod: internet → CloudFront → (VPC origin) internal load balancer → the exposed service → data; the internal service is not behind the load balancer; queue → worker; primary → replica", () => {
        const d = buildDiagram(snaps.get("prod")!);
        const alb = nodeId(d, "prod-compute-alb", "aws:lb/loadBalancer:LoadBalancer");
        const api = nodeId(d, "prod-compute-api", "aws:ecs/service:Service");
        const notifier = nodeId(d, "prod-compute-notifier", "aws:ecs/service:Service");
        const db = nodeId(d, "prod-data-db", "aws:rds/instance:Instance");
        const queue = nodeId(d, "prod-queues-inference", "aws:sqs/queue:Queue");
        const worker = nodeId(d, "prod-workers-inference", "aws:lambda/function:Function");
        const cdn = nodeId(d, "prod-edge-cdn", "aws:cloudfront/distribution:Distribution");
        assert.ok(has(d, "internet", cdn));
        assert.ok(has(d, cdn, alb), "the distribution reaches the load balancer through its VPC origin");
        assert.ok(!has(d, "internet", alb), "the load balancer is internal: no entry of its own");
        assert.ok(has(d, alb, api));
        assert.ok(!has(d, alb, notifier));
        assert.ok(has(d, api, db));
        assert.ok(has(d, api, queue));
        assert.ok(has(d, queue, worker));
        assert.ok(has(d, db, nodeId(d, "prod-data-db-replica-1", "aws:rds/instance:Instance")));
        assert.ok(has(d, "internet", nodeId(d, "prod-workers-api-fn", "aws:apigatewayv2/api:Api")));
    });

    it("the README's architecture section embeds prod's diagram as the program generates it (regenerate: npm run plan -- prod --diagram)", () => {
        assert.equal(readmeDiagram(), buildDiagram(snaps.get("prod")!).mermaid);
    });
});
