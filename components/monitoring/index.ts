import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CacheSettings, DatabaseSettings, MonitoringSettings, ServiceSettings, WorkerSettings } from "../../config";
import type { ComputeHandle } from "../compute";
import type { DataHandle } from "../data";
import type { NetworkHandle } from "../network";
import { childName, NameScope, namePrefix } from "../naming";
import { pickHandle } from "../shared/handle";
import type { QueuesHandle, WorkersHandle } from "../workers";
import { AlarmSpec, createAlarm, topicFor } from "./alarms";
import { dashboardBody, dashboardWidgets } from "./dashboard";
import { alarmSpecs, EDGE_REGION, EdgeTargets, Targets } from "./specs";
import { createTopics } from "./topics";

export { ALARM_KINDS, alarmTable } from "./catalog";
export { alarmSpecs, EDGE_REGION } from "./specs";
export type { EdgeTargets } from "./specs";

export interface MonitoringArgs {
    scope: NameScope;
    region: string;
    settings: MonitoringSettings;
    /** Pulumi `protect` + retain-on-delete on the alert topics' keys (prod). */
    protectData: boolean;
    /** Services as configured (the deployed ones are those in compute's serviceDimensions). */
    services: ServiceSettings[];
    /** Services that deploy as ECS canaries (two target groups each). @default - none */
    canaryServices?: string[];
    database: Pick<DatabaseSettings, "allocatedStorageGb" | "instanceClass" | "readReplicas">;
    /** The database is a cross-region read replica (a passive recovery stack): its replica lag gets the `db-replica-lag` alarm. @default false */
    databaseIsCrossRegionReplica?: boolean;
    cache: Pick<CacheSettings, "nodes" | "clusterMode" | "shards" | "replicasPerShard">;
    workers: WorkerSettings[];
    data: Pick<DataHandle, "database" | "cache" | "uploadsReplication">;
    compute: Pick<ComputeHandle, "clusterName" | "serviceDimensions">;
    workersHandle: WorkersHandle;
    queues: QueuesHandle;
    /**
     * The edge's CloudFront distribution, CLOUDFRONT-scope web ACL and Route 53 health check: their
     * alarms and the topics they notify live in us-east-1.
     * @default - no edge alarms
     */
    edge?: EdgeTargets;
    /** The network's NAT instance, when there is one (its status-check alarm). @default - no NAT instance alarm */
    network?: Pick<NetworkHandle, "natInstanceId">;
}

/** Alarm names by what they watch: the `alarms` stack output. */
export interface AlarmNames {
    /** Per deployed service (its deployment alarms included). */
    services: Record<string, string[]>;
    /** Per deployed worker. */
    workers: Record<string, string[]>;
    /** Per queue worker's queue and dead-letter queue. */
    queues: Record<string, string[]>;
    /** Load balancer, database, cache and edge. */
    stack: string[];
}

/** What monitoring exposes to the stack outputs. */
export interface MonitoringHandle {
    /** SNS topics: critical and warning (and their us-east-1 copies for edge alarms, when the stack lives elsewhere). */
    topicArns: pulumi.Output<Record<string, string>>;
    dashboardUrl: pulumi.Output<string>;
    alarmNames: pulumi.Output<AlarmNames>;
}

const HANDLE: Record<keyof MonitoringHandle, true> = { topicArns: true, dashboardUrl: true, alarmNames: true };

/**
 * Everything that watches the stack: the alert topics (topics.ts), an alarm per signal the seeds name
 * (specs.ts; descriptions from catalog.ts), RDS event notifications, an EventBridge rule reporting
 * failed ECS deployments, and the dashboard (dashboard.ts). Last in the data flow: it reads the
 * handles of every component before it; the deployment alarms carry the names compute already gave
 * ECS (deploymentAlarmNames()).
 *
 * Cost (us-east-1 list prices, 2026): $0.10 per standard alarm and month ($0.30 for metric-math alarms
 * over several metrics, anomaly detection $0.30), $3 per dashboard and month, $1 per KMS key and month;
 * SNS email and HTTPS notifications cost nothing for the first thousand a month.
 */
export class Monitoring extends pulumi.ComponentResource implements MonitoringHandle {
    readonly topicArns: pulumi.Output<Record<string, string>>;
    readonly dashboardUrl: pulumi.Output<string>;
    readonly alarmNames: pulumi.Output<AlarmNames>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:monitoring:Monitoring", name, {}, opts);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const m = args.settings;

        const topics = createTopics(name, { scope: args.scope, accountId, settings: m, protectData: args.protectData }, this);
        // CloudWatch alarms notify topics in their own region only.
        const edgeTopics = args.edge && args.region !== EDGE_REGION ? createTopics(name, { scope: args.scope, accountId, settings: m, protectData: args.protectData, region: EDGE_REGION, suffix: `-${EDGE_REGION}` }, this) : topics;

        const targets = monitoredTargets(args);
        const specs = alarmSpecs(args.scope, targets, m);
        for (const spec of specs) {
            const topic = (spec.region === EDGE_REGION && args.region !== EDGE_REGION ? edgeTopics : topics)[topicFor(spec.severity, m)];
            createAlarm(name, spec, topic.arn, m, this);
        }
        createDatabaseEvents(name, args, topics[topicFor("critical", m)], this);
        // No cluster (no service declared), no ECS deployment to fail.
        const clusterName = args.compute.clusterName;
        if (clusterName) createDeploymentFailureRule(name, args.region, clusterName, accountId, topics[topicFor("warning", m)], this);

        const dashboard = new aws.cloudwatch.Dashboard(
            childName(name, "dashboard"),
            { dashboardName: namePrefix(args.scope), dashboardBody: dashboardBody(dashboardWidgets(targets, args.region)) },
            { parent: this },
        );

        const arns: Record<string, pulumi.Output<string>> = { critical: topics.critical.arn, warning: topics.warning.arn };
        if (edgeTopics !== topics) Object.assign(arns, { [`critical-${EDGE_REGION}`]: edgeTopics.critical.arn, [`warning-${EDGE_REGION}`]: edgeTopics.warning.arn });
        this.topicArns = pulumi.output(arns) as pulumi.Output<Record<string, string>>;
        this.dashboardUrl = pulumi.interpolate`https://console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
        this.alarmNames = pulumi.output(alarmNamesOf(specs));
        this.registerOutputs(pickHandle<MonitoringHandle>(this, HANDLE));
    }
}

/** What exists to be watched, from the earlier components' handles: deployed services and workers, every queue. */
export function monitoredTargets(args: MonitoringArgs): Targets {
    const dims = args.compute.serviceDimensions;
    const deployedServices = args.services.filter((svc) => svc.release !== undefined);
    const canaries = new Set(args.canaryServices ?? []);
    const services: Targets["services"] = deployedServices.map((svc) => {
        const d = dims.apply((all) => all[svc.name]);
        const tgs = [d.apply((x) => x.targetGroupArnSuffix ?? ""), ...(canaries.has(svc.name) ? [d.apply((x) => x.alternateTargetGroupArnSuffix ?? "")] : [])];
        return {
            name: svc.name,
            minTasks: svc.minTasks,
            clusterName: d.clusterName,
            serviceName: d.serviceName,
            routing: svc.expose === "public" ? { loadBalancerArnSuffix: d.apply((x) => x.loadBalancerArnSuffix ?? ""), targetGroupArnSuffixes: tgs } : undefined,
        };
    });
    const firstPublic = services.find((s) => s.routing !== undefined);
    const workers = args.workers.filter((w) => w.release !== undefined);
    return {
        services,
        loadBalancerArnSuffix: firstPublic?.routing?.loadBalancerArnSuffix,
        database: {
            identifier: args.data.database.identifier,
            replicaIdentifiers: Array.from({ length: args.database.readReplicas }, (_, i) => args.data.database.replicaIdentifiers.apply((ids) => ids[i])),
            allocatedStorageGb: args.database.allocatedStorageGb,
            instanceClass: args.database.instanceClass,
            crossRegionReplica: args.databaseIsCrossRegionReplica ?? false,
        },
        cache: args.cache.clusterMode
            ? { replicationGroupId: args.data.cache.replicationGroupId, nodes: 1 + args.cache.replicasPerShard, shards: args.cache.shards }
            : { replicationGroupId: args.data.cache.replicationGroupId, nodes: args.cache.nodes },
        workers: workers.map((w) => {
            const out = args.workersHandle.workers.apply((all) => all[w.name]);
            return {
                name: w.name,
                functionName: out.functionName,
                // Each change publishes exactly one version: the newest is previousVersion + 1 (1 when there is none).
                newestVersion: out.previousVersion.apply((p) => String(p === null ? 1 : Number(p) + 1)),
                timeoutSeconds: w.timeoutSeconds,
                // An HTTP API's default endpoint is https://<api id>.execute-api.<region>.amazonaws.com.
                ...(w.trigger.type === "http" ? { apiId: out.apply((o) => (o.endpoint ? new URL(o.endpoint).hostname.split(".")[0] : "")) } : {}),
            };
        }),
        queues: [
            ...Object.entries(args.queues.queues).map(([queue, q]) => ({ name: queue, queueName: queueNameOf(q.arn), dlqName: queueNameOf(q.dlqArn) })),
            // Schedule workers: failed invocations land in their own dead-letter queue; any message there is critical too.
            ...Object.entries(args.queues.scheduleDlqs).map(([worker, dlq]) => ({ name: worker, dlqName: queueNameOf(dlq.arn) })),
        ],
        edge: args.edge,
        natInstanceId: args.network?.natInstanceId,
        uploadsReplication: args.data.uploadsReplication,
    };
}

/** An SQS queue's name is the last field of its ARN. */
function queueNameOf(arn: pulumi.Output<string>): pulumi.Output<string> {
    return arn.apply((a) => a.split(":").pop() ?? a);
}

function alarmNamesOf(specs: AlarmSpec[]): AlarmNames {
    const names: AlarmNames = { services: {}, workers: {}, queues: {}, stack: [] };
    for (const s of specs) {
        const o = s.owner;
        if (o.type === "service" || o.type === "worker" || o.type === "queue") {
            const group = names[`${o.type}s` as "services" | "workers" | "queues"];
            (group[o.name] ??= []).push(s.name);
        } else names.stack.push(s.name);
    }
    return names;
}

/**
 * RDS notifies the critical topic of availability, configuration-change, failure, failover, low-storage and
 * maintenance events of the primary and replicas. FSBP RDS.20 requires maintenance, configuration change and
 * failure in a db-instance subscription (Security Hub controls reference, RDS.20).
 */
export const DB_EVENT_CATEGORIES = ["availability", "configuration change", "failover", "failure", "low storage", "maintenance"];

function createDatabaseEvents(name: string, args: MonitoringArgs, topic: aws.sns.Topic, parent: pulumi.Resource): void {
    const ids = pulumi.all([args.data.database.identifier, args.data.database.replicaIdentifiers]).apply(([primary, replicas]) => [primary, ...replicas]);
    new aws.rds.EventSubscription(childName(name, "db-events"), { snsTopic: topic.arn, sourceType: "db-instance", sourceIds: ids, eventCategories: DB_EVENT_CATEGORIES, enabled: true }, { parent });
}

/** ECS reports a failed (rolled back) deployment to EventBridge; AWS recommends a rule on SERVICE_DEPLOYMENT_FAILED. */
function createDeploymentFailureRule(name: string, region: string, clusterName: pulumi.Input<string>, accountId: pulumi.Input<string>, topic: aws.sns.Topic, parent: pulumi.Resource): void {
    const rule = new aws.cloudwatch.EventRule(
        childName(name, "deploy-failed"),
        {
            description: "An ECS deployment of this stack failed and was rolled back",
            eventPattern: pulumi.jsonStringify({
                source: ["aws.ecs"],
                "detail-type": ["ECS Deployment State Change"],
                detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
                resources: [{ prefix: pulumi.interpolate`arn:aws:ecs:${region}:${accountId}:service/${clusterName}/` }],
            }),
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(childName(name, "deploy-failed"), { rule: rule.name, arn: topic.arn }, { parent });
}
