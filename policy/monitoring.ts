/**
 * Monitoring: alert topics, CloudWatch alarms, RDS event subscriptions and the dead-letter queues'
 * alarms (components/monitoring/). Controls: FSBP SNS.1/4, CloudWatch.15/17, RDS.19/20 (reference/aws-controls.md).
 */
import type { PolicyResource } from "@pulumi/policy";
import { Finding, list, ofTypes, publicAllows, resourcePolicy, stackPolicy } from "./lib";
import { deadLetterQueues, QUEUE, SCHEDULE } from "./workers";

const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const EVENT_SUBSCRIPTION = "aws:rds/eventSubscription:EventSubscription";
const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";

/** Event categories FSBP requires per source type (RDS.20: db-instance; RDS.19: db-cluster). */
export const CRITICAL_DB_EVENTS: Record<string, string[]> = {
    "db-instance": ["maintenance", "configuration change", "failure"],
    "db-cluster": ["maintenance", "failure"],
};

/** The metric a dead-letter queue's alarm watches: messages waiting there (AWS/SQS, by QueueName). */
export const DLQ_METRIC = { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimension: "QueueName" } as const;

export const topicPolicies = [
    resourcePolicy(
        { name: "sns-kms-encryption", control: "SNS.1", summary: "Topics are encrypted at rest with a KMS key.", level: "mandatory", remediation: "not configurable: components/monitoring/topics.ts encrypts the alert topics with their own key.", types: [TOPIC] },
        (p) => (p.kmsMasterKeyId ? [] : ["kmsMasterKeyId is not set."]),
    ),
    resourcePolicy(
        { name: "sns-no-public-policy", control: "SNS.4", summary: "No topic policy lets everyone use the topic without a condition.", level: "mandatory", remediation: "not configurable: components/monitoring/topics.ts grants the account and the alert publishers (aws:SourceAccount).", types: [TOPIC, TOPIC_POLICY] },
        (p) => publicAllows(p.policy).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition.`),
    ),
];

export const alarmPolicies = [
    resourcePolicy(
        { name: "alarm-actions", control: "CloudWatch.15", summary: "Every alarm notifies someone when it fires (alarmActions).", level: "mandatory", remediation: "not configurable: components/monitoring/alarms.ts sends ALARM to the severity's topic (monitoring.emails / httpsEndpoints subscribe to it).", types: [ALARM] },
        (p) => (list(p.alarmActions).length > 0 ? [] : ["alarmActions is empty."]),
    ),
    resourcePolicy(
        { name: "alarm-actions-enabled", control: "CloudWatch.17", summary: "Alarm actions are enabled.", level: "mandatory", remediation: "not configurable: components/monitoring/alarms.ts sets actionsEnabled true.", types: [ALARM] },
        (p) => (p.actionsEnabled === false || p.actionsEnabled === "false" ? ["actionsEnabled is false."] : []),
    ),
    resourcePolicy(
        { name: "alarm-ok-actions", control: "seed: alarms notify ALARM and OK (issue 11)", summary: "Every alarm also notifies when it recovers (okActions), so nobody chases an incident that is over.", level: "advisory", remediation: "not configurable: components/monitoring/alarms.ts sends OK to the same topic as ALARM.", types: [ALARM] },
        (p) => (list(p.okActions).length > 0 ? [] : ["okActions is empty."]),
    ),
];

/** Does an enabled subscription of the source type cover `db` (all sources, or `db` among its sourceIds) with the critical categories? */
function covers(sub: PolicyResource, db: PolicyResource, sourceType: string): boolean {
    const p = sub.props;
    if (p.sourceType !== sourceType || p.enabled === false || !p.snsTopic) return false;
    const categories = list(p.eventCategories as string[]);
    if (categories.length > 0 && !CRITICAL_DB_EVENTS[sourceType].every((c) => categories.includes(c))) return false;
    const ids = list(p.sourceIds as string[]);
    const id = db.props.identifier ?? db.props.clusterIdentifier;
    return ids.length === 0 || (sub.propertyDependencies?.sourceIds ?? []).some((d) => d.urn === db.urn) || (id !== undefined && ids.includes(id));
}

export const eventPolicies = [
    stackPolicy(
        {
            name: "rds-event-subscriptions",
            control: "RDS.19, RDS.20",
            summary: `Every DB instance (and cluster) is covered by an enabled RDS event subscription to SNS with the critical categories: instances ${CRITICAL_DB_EVENTS["db-instance"].join(", ")}; clusters ${CRITICAL_DB_EVENTS["db-cluster"].join(", ")}.`,
            level: "mandatory",
            remediation: "not configurable: components/monitoring/index.ts subscribes the primary and its replicas (DB_EVENT_CATEGORIES) to the critical topic (warning in dev).",
            types: [RDS_INSTANCE, RDS_CLUSTER, EVENT_SUBSCRIPTION],
        },
        (args) => {
            const subs = ofTypes(args, [EVENT_SUBSCRIPTION]);
            const check = (type: string, sourceType: string) =>
                ofTypes(args, [type])
                    .filter((db) => !subs.some((s) => covers(s, db, sourceType)))
                    .map((db): Finding => ({ message: `${db.name} has no enabled ${sourceType} event subscription with ${CRITICAL_DB_EVENTS[sourceType].join(", ")}.`, resource: db }));
            return [...check(RDS_INSTANCE, "db-instance"), ...check(RDS_CLUSTER, "db-cluster")];
        },
    ),
];

/** Is `alarm` an alarm on messages visible in `queue` (single metric, or a metric of its queries)? */
function watches(alarm: PolicyResource, queue: PolicyResource): boolean {
    const p = alarm.props;
    const metrics = [
        { namespace: p.namespace, metricName: p.metricName, dimensions: p.dimensions },
        ...list(p.metricQueries as any[]).map((q) => q.metric).filter(Boolean),
    ];
    const onQueue = (v: unknown) => v !== undefined && (v === queue.props.name || (alarm.propertyDependencies?.dimensions ?? alarm.propertyDependencies?.metricQueries ?? []).some((d) => d.urn === queue.urn));
    return metrics.some((m) => m.namespace === DLQ_METRIC.namespace && m.metricName === DLQ_METRIC.metricName && onQueue(m.dimensions?.[DLQ_METRIC.dimension]));
}

export const queueAlarmPolicies = [
    stackPolicy(
        {
            name: "dlq-has-alarm",
            control: "seed: every dead-letter queue has an alarm (REL11)",
            summary: `Every dead-letter queue (a redrive target or a schedule's deadLetterConfig) is watched by an alarm on ${DLQ_METRIC.metricName} with its ${DLQ_METRIC.dimension}.`,
            level: "mandatory",
            remediation: "not configurable: components/monitoring/specs.ts adds the critical <worker>-dlq alarm for every queue and schedule worker.",
            types: [QUEUE, SCHEDULE, ALARM],
        },
        (args) => {
            const queues = ofTypes(args, [QUEUE]);
            const dlqs = deadLetterQueues(queues, ofTypes(args, [SCHEDULE]));
            const alarms = ofTypes(args, [ALARM]);
            return queues
                .filter((q) => dlqs.has(q.urn) && !alarms.some((a) => watches(a, q)))
                .map((q) => ({ message: `dead-letter queue ${q.name} has no ${DLQ_METRIC.metricName} alarm.`, resource: q }));
        },
    ),
];

export const monitoringPolicies = [...topicPolicies, ...alarmPolicies, ...eventPolicies, ...queueAlarmPolicies];
