/**
 * `--diagram`: a Mermaid flowchart of one synthesized stack — its components (subgraphs), their main
 * resources (nodes) and the traffic paths between them (edges) — derived from the resources' inputs,
 * never drawn by hand: internet → edge (a CloudFront distribution when one exists) → load balancer →
 * services → data; internet → HTTP API → function; queue → worker; primary → replica; queue → DLQ.
 * An edge exists only where one resource's inputs name the other (an ARN, id or endpoint).
 */
import { components, ofType, referencedBy, SnapResource, Snapshot } from "./snapshot";

const T = {
    vpc: "awsx:ec2:Vpc",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    tg: "aws:lb/targetGroup:TargetGroup",
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    db: "aws:rds/instance:Instance",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    bucket: "aws:s3/bucket:Bucket",
    queue: "aws:sqs/queue:Queue",
    fn: "aws:lambda/function:Function",
    esm: "aws:lambda/eventSourceMapping:EventSourceMapping",
    api: "aws:apigatewayv2/api:Api",
    integration: "aws:apigatewayv2/integration:Integration",
    dist: "aws:cloudfront/distribution:Distribution",
    vpcOrigin: "aws:cloudfront/vpcOrigin:VpcOrigin",
    acl: "aws:wafv2/webAcl:WebAcl",
    aclAssoc: "aws:wafv2/webAclAssociation:WebAclAssociation",
    topic: "aws:sns/topic:Topic",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    vault: "aws:backup/vault:Vault",
    repo: "aws:ecr/repository:Repository",
} as const;

/** Types drawn one node per resource, with their label. */
const MAIN: Record<string, (r: SnapResource, short: string) => string> = {
    [T.vpc]: (r) => `VPC ${r.inputs.cidrBlock ?? ""} · ${r.inputs.numberOfAvailabilityZones ?? 3} AZs · NAT ${r.inputs.natGateways?.strategy ?? "OnePerAz"}`,
    [T.dist]: (_, s) => `CloudFront ${s}`,
    [T.acl]: (r, s) => `WAF ${s} · ${(r.inputs.rules ?? []).length} rules`,
    [T.lb]: (r) => `ALB ${r.inputs.name ?? ""} · ${r.inputs.internal ? "internal" : "internet-facing"}`,
    [T.api]: (_, s) => `HTTP API ${s}`,
    [T.service]: (r, s) => `ECS service ${s} · ${r.inputs.desiredCount ?? 1} task(s)`,
    [T.fn]: (r, s) => `Lambda ${s} · ${(r.inputs.architectures ?? ["x86_64"])[0]} ${r.inputs.memorySize ?? 128} MB`,
    [T.db]: (r) => (r.inputs.replicateSourceDb ? `PostgreSQL read replica · ${r.inputs.instanceClass}` : `PostgreSQL ${r.inputs.engineVersion ?? ""} · ${r.inputs.instanceClass} · ${r.inputs.multiAz ? "Multi-AZ" : "Single-AZ"}`),
    [T.cache]: (r) => `${r.inputs.engine ?? "redis"} ${r.inputs.nodeType} × ${r.inputs.numCacheClusters ?? 1}`,
    [T.bucket]: (_, s) => `S3 ${s}`,
    [T.queue]: (r, s) => `SQS ${s}${r.inputs.redrivePolicy ? "" : " (dead letters)"}`,
    [T.topic]: (_, s) => `SNS ${s}`,
    [T.dashboard]: (_, s) => `dashboard ${s}`,
    [T.vault]: (r, s) => `Backup vault ${s}${r.inputs.region ? ` · ${r.inputs.region}` : ""}`,
};

/** Types drawn as one node per component with a count. */
const GROUPED: Record<string, string> = { [T.repo]: "ECR repositories", [T.alarm]: "CloudWatch alarms" };

export interface DiagramNode {
    id: string;
    label: string;
    component: string;
    urns: string[];
}

export interface DiagramEdge {
    from: string;
    to: string;
    label?: string;
    dashed?: boolean;
}

export interface Diagram {
    stack: string;
    components: Array<{ id: string; type: string; name: string }>;
    nodes: DiagramNode[];
    edges: DiagramEdge[];
    mermaid: string;
}

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
const esc = (s: string) => s.replace(/"/g, "#quot;");

export function buildDiagram(snap: Snapshot): Diagram {
    const comps = components(snap);
    const compName = new Map(comps.map((c) => [c.type, c.name]));
    const nodes: DiagramNode[] = [];
    const nodeOf = new Map<SnapResource, string>();
    for (const r of snap.resources) {
        const label = MAIN[r.type];
        if (!label) continue;
        const prefix = `${compName.get(r.component) ?? ""}-`;
        const short = r.name.startsWith(prefix) ? r.name.slice(prefix.length) : r.name;
        // Logical names repeat across types (a worker's function and its HTTP API): the id carries the type.
        const nid = id(`${r.type.split(":")[2]}-${r.name}`);
        nodes.push({ id: nid, label: label(r, short), component: r.component, urns: [r.urn] });
        nodeOf.set(r, nid);
    }
    for (const [type, what] of Object.entries(GROUPED)) {
        for (const c of comps) {
            const members = ofType(snap, type).filter((r) => r.component === c.type);
            if (members.length === 0) continue;
            const nid = id(`${c.name}-${what}`);
            nodes.push({ id: nid, label: `${members.length} ${what}`, component: c.type, urns: members.map((m) => m.urn) });
            for (const m of members) nodeOf.set(m, nid);
        }
    }

    const edges: DiagramEdge[] = [];
    const seen = new Set<string>();
    const edge = (from: SnapResource | string, to: SnapResource, label?: string, dashed = false) => {
        const f = typeof from === "string" ? from : nodeOf.get(from);
        const t = nodeOf.get(to);
        if (!f || !t || f === t || seen.has(`${f}>${t}`)) return;
        seen.add(`${f}>${t}`);
        edges.push({ from: f, to: t, label, dashed });
    };
    const refs = (from: SnapResource | unknown, ...types: string[]) => referencedBy(snap, from, types);

    // The entry: CloudFront when it exists; else whatever faces the internet.
    const dists = ofType(snap, T.dist);
    // An origin is named directly (bucket, API, public load balancer) or through a CloudFront VPC origin (internal load balancer).
    const originsOf = (d: SnapResource) => {
        const origins = d.inputs.origins ?? d.inputs;
        return [...refs(origins, T.lb, T.bucket, T.api), ...refs(origins, T.vpcOrigin).flatMap((vo) => refs(vo.inputs.vpcOriginEndpointConfig, T.lb))];
    };
    const behindEdge = new Set(dists.flatMap(originsOf));
    for (const d of dists) {
        edge("internet", d, "HTTPS");
        for (const o of originsOf(d)) edge(d, o, "origin");
        for (const acl of refs(d.inputs.webAclId, T.acl)) edge(acl, d, "filters", true);
    }
    for (const lb of ofType(snap, T.lb)) if (!lb.inputs.internal && !behindEdge.has(lb)) edge("internet", lb, "HTTP(S)");
    for (const api of ofType(snap, T.api)) if (!behindEdge.has(api)) edge("internet", api, "HTTPS");
    for (const a of ofType(snap, T.aclAssoc)) for (const acl of refs(a.inputs.webAclArn, T.acl)) for (const target of refs(a.inputs.resourceArn, T.lb, T.api)) edge(acl, target, "filters", true);

    // Load balancer → services, through listener (rule) → target group.
    for (const svc of ofType(snap, T.service)) {
        for (const tg of refs(svc.inputs.loadBalancers ?? [], T.tg)) {
            const forwarders = [...ofType(snap, T.listener), ...ofType(snap, T.rule)].filter((x) => refs(x, T.tg).includes(tg));
            for (const f of forwarders) {
                const lbs = f.type === T.listener ? refs(f.inputs.loadBalancerArn, T.lb) : refs(f.inputs.listenerArn, T.listener).flatMap((l) => refs(l.inputs.loadBalancerArn, T.lb));
                const paths = f.type === T.rule ? (f.inputs.conditions ?? []).flatMap((c: any) => c.pathPattern?.values ?? []).join(" ") : "";
                for (const lb of lbs) edge(lb, svc, paths || undefined);
            }
        }
        // Services → the data and queues their containers are configured with.
        for (const td of refs(svc.inputs.taskDefinition, T.taskDef)) for (const d of refs(td, T.db, T.cache, T.bucket, T.queue)) edge(svc, d);
    }
    // HTTP API → function; queue → worker; functions → data.
    for (const i of ofType(snap, T.integration)) for (const api of refs(i.inputs.apiId, T.api)) for (const fn of refs(i.inputs.integrationUri, T.fn)) edge(api, fn);
    for (const m of ofType(snap, T.esm)) for (const q of refs(m.inputs.eventSourceArn, T.queue)) for (const fn of refs(m.inputs.functionName, T.fn)) edge(q, fn, "triggers");
    for (const fn of ofType(snap, T.fn)) for (const d of refs(fn.inputs.environment ?? {}, T.db, T.cache, T.bucket, T.queue)) edge(fn, d);
    // Data-tier relations.
    for (const db of ofType(snap, T.db)) for (const src of db.inputs.replicateSourceDb ? refs(db.inputs.replicateSourceDb, T.db) : []) edge(src, db, "replicates", true);
    for (const q of ofType(snap, T.queue)) for (const dlq of refs(q.inputs.redrivePolicy ?? "", T.queue)) edge(q, dlq, "dead letters", true);
    for (const a of ofType(snap, T.alarm)) for (const t of refs([a.inputs.alarmActions, a.inputs.okActions], T.topic)) edge(a, t, "notifies", true);

    const lines = ["flowchart LR", '    internet(("internet"))'];
    for (const c of comps) {
        const members = nodes.filter((n) => n.component === c.type);
        lines.push(`    subgraph ${id(c.name)}["${esc(`${c.type.split(":")[2]} · ${c.name}`)}"]`);
        for (const n of members) lines.push(`        ${n.id}["${esc(n.label)}"]`);
        lines.push("    end");
    }
    for (const e of edges) {
        const arrow = e.dashed ? "-.->" : "-->";
        lines.push(`    ${e.from} ${e.label ? `${arrow}|"${esc(e.label)}"|` : arrow} ${e.to}`);
    }
    return { stack: snap.stack, components: comps.map((c) => ({ id: id(c.name), type: c.type, name: c.name })), nodes, edges, mermaid: lines.join("\n") };
}
