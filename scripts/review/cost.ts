/**
 * `--cost`: the idle monthly cost of a synthesized stack — per resource, per component, in total —
 * from the price table in prices.ts. A list-price estimate (us-east-1, on-demand, 730 h, zero
 * traffic), not a bill: it names what it does not price.
 */
import { HOURS_PER_MONTH, TYPE_PRICING, CostLine } from "./prices";
import { Snapshot } from "./snapshot";

export interface ResourceCost {
    urn: string;
    type: string;
    name: string;
    component: string;
    monthly: number;
    lines: CostLine[];
    notes: string[];
}

export interface CostReport {
    stack: string;
    region: string;
    label: string;
    /** Sum of every priced resource, USD per month. */
    total: number;
    perComponent: Record<string, number>;
    resources: ResourceCost[];
    /** Resources billed only for use (type → count and why). */
    usageOnly: Array<{ type: string; count: number; why: string }>;
    /** What the estimate cannot price: unclassified types and priced types it has no rate for. */
    notPriced: string[];
    caveats: string[];
}

export const NOT_PRICED_ALWAYS = [
    "traffic: data transfer out, NAT and load balancer data processing (LCUs), CloudFront data out",
    "requests: Lambda, SQS, SNS, API Gateway, S3, KMS and Secrets Manager API calls, Route 53 queries, WAF requests",
    "storage that grows with use: S3, ECR images, CloudWatch Logs, backups beyond the free allowance",
    "autoscaling above the desired task count, free tiers and discounts (Savings Plans, reserved instances)",
];

export function round2(n: number): number {
    return Math.round(n * 100) / 100;
}

export function estimateCost(snap: Snapshot): CostReport {
    const resources: ResourceCost[] = [];
    const usage = new Map<string, { count: number; why: string }>();
    const notPriced: string[] = [];
    for (const r of snap.resources) {
        if (r.type.startsWith("platform:")) continue;
        const pricing = TYPE_PRICING[r.type];
        if (!pricing) {
            notPriced.push(`${r.name} (${r.type}): type not in the price table (scripts/review/prices.ts TYPE_PRICING)`);
            continue;
        }
        if (pricing.kind === "usage") {
            const u = usage.get(r.type) ?? { count: 0, why: pricing.why };
            u.count++;
            usage.set(r.type, u);
            continue;
        }
        if (pricing.kind === "free") continue;
        const priced = pricing.price(r, snap);
        if (priced.unpriced) notPriced.push(`${r.name} (${r.type}): ${priced.unpriced}`);
        const monthly = priced.lines.reduce((s, l) => s + l.monthly, 0);
        resources.push({ urn: r.urn, type: r.type, name: r.name, component: r.component, monthly, lines: priced.lines, notes: priced.notes ?? [] });
    }
    const perComponent: Record<string, number> = {};
    for (const r of resources) perComponent[r.component] = (perComponent[r.component] ?? 0) + r.monthly;
    const caveats = [
        `List-price estimate: us-east-1 on-demand prices (scripts/review/prices.ts: PRICES, sources S1-S6 in SOURCES), ${HOURS_PER_MONTH} h/month, zero traffic. Not a bill; not a quote.`,
    ];
    if (snap.region !== "us-east-1") caveats.push(`This stack is in ${snap.region}: the estimate uses us-east-1 prices (other regions differ, usually upward).`);
    return {
        stack: snap.stack,
        region: snap.region,
        label: "idle monthly cost, list-price estimate (USD)",
        total: resources.reduce((s, r) => s + r.monthly, 0),
        perComponent,
        resources,
        usageOnly: [...usage].map(([type, u]) => ({ type, ...u })).sort((a, b) => a.type.localeCompare(b.type)),
        notPriced: [...notPriced, ...NOT_PRICED_ALWAYS.map((t) => `always: ${t}`)],
        caveats,
    };
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function renderCost(report: CostReport): string[] {
    const out: string[] = [];
    out.push(`IDLE MONTHLY COST  stack=${report.stack}  region=${report.region}  (list-price estimate)`);
    out.push(...report.caveats);
    out.push("");
    const components = Object.keys(report.perComponent);
    for (const component of components) {
        out.push(`${component.padEnd(60)} ${usd(report.perComponent[component]).padStart(12)}`);
        for (const r of report.resources.filter((x) => x.component === component)) {
            if (r.monthly === 0 && r.lines.length === 0) continue;
            out.push(`  ${r.name}  (${r.type})`.padEnd(60) + ` ${usd(r.monthly).padStart(12)}`);
            for (const l of r.lines) out.push(`      ${l.what}: ${l.arithmetic} = ${usd(l.monthly)}`);
            for (const n of r.notes) out.push(`      note: ${n}`);
        }
    }
    out.push("");
    out.push(`${"TOTAL (idle, per month)".padEnd(60)} ${usd(report.total).padStart(12)}`);
    out.push("");
    out.push("Billed only for use (zero at idle):");
    for (const u of report.usageOnly) out.push(`  ${u.count} × ${u.type}: ${u.why}`);
    out.push("");
    out.push("Not priced:");
    for (const n of report.notPriced) out.push(`  - ${n}`);
    return out;
}
