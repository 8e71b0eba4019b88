/**
 * Alarm specs (plain data: which metric, threshold, severity) and the one function that turns a spec
 * into a CloudWatch alarm with ALARM and OK notifications. The specs per area are built in specs.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringSettings, Severity } from "../../config";
import { childName } from "../naming";
import { alarmDescription, AlarmKindId } from "./catalog";

/** One CloudWatch metric. `stat` is a statistic (Sum, Average, Maximum, Minimum) or a percentile (p95, p99). */
export interface MetricRef {
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    stat: string;
    period: number;
}

/** A single metric, a metric-math expression over named metrics, or a metric against its anomaly band. */
export type AlarmMetric =
    | { metric: MetricRef }
    | { expression: string; label: string; metrics: Record<string, MetricRef> }
    | { anomaly: MetricRef; band: number };

/** What an alarm belongs to: the stack outputs list alarm names per service and per worker. */
export type AlarmOwner =
    | { type: "loadBalancer" | "database" | "cache" | "edge" | "network" | "data" }
    | { type: "service" | "worker" | "queue"; name: string };

export interface AlarmSpec {
    /** Unique in the stack, part of the logical and physical name: `api-5xx-rate-critical`. */
    id: string;
    /** Physical alarm name (`<project>-<stack>-<id>`; deployment alarms: deploymentAlarmNames()). */
    name: string;
    kind: AlarmKindId;
    severity: Severity;
    owner: AlarmOwner;
    metric: AlarmMetric;
    comparison: "GreaterThanThreshold" | "LessThanThreshold" | "GreaterThanUpperThreshold";
    /** Not for anomaly alarms (the band is the threshold). */
    threshold?: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    treatMissingData: "notBreaching" | "breaching" | "missing";
    /** Edge alarms live in us-east-1 (CloudFront, CLOUDFRONT-scope WAF and Route 53 metrics exist only there). @default - the stack's region */
    region?: string;
}

const PERCENTILE = /^p\d+(\.\d+)?$/;

/** The alarm's metric inputs: single metric, or metric queries with exactly one returned expression. */
export function metricInputs(metric: AlarmMetric): Partial<aws.cloudwatch.MetricAlarmArgs> {
    const query = (id: string, m: MetricRef, returnData: boolean) => ({
        id,
        returnData,
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.stat, period: m.period },
    });
    if ("metric" in metric) {
        const m = metric.metric;
        const stat = PERCENTILE.test(m.stat) ? { extendedStatistic: m.stat } : { statistic: m.stat };
        return { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: m.period, ...stat };
    }
    if ("anomaly" in metric) {
        return {
            metricQueries: [query("m1", metric.anomaly, true), { id: "ad1", expression: `ANOMALY_DETECTION_BAND(m1, ${metric.band})`, label: "expected band", returnData: true }],
            thresholdMetricId: "ad1",
        };
    }
    return {
        metricQueries: [
            { id: "e1", expression: metric.expression, label: metric.label, returnData: true },
            ...Object.entries(metric.metrics).map(([id, m]) => query(id, m, false)),
        ],
    };
}

/** The topic an alarm of `severity` notifies: its own, or `warning` when the stack routes everything there (dev). */
export function topicFor(severity: Severity, m: Pick<MonitoringSettings, "routeAllToWarning">): Severity {
    return m.routeAllToWarning ? "warning" : severity;
}

/** A CloudWatch alarm that notifies the same topic when it fires and when it recovers. */
export function createAlarm(
    name: string,
    spec: AlarmSpec,
    topicArn: pulumi.Input<string>,
    m: MonitoringSettings,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        childName(name, spec.id),
        {
            ...(spec.region ? { region: spec.region } : {}),
            name: spec.name,
            alarmDescription: alarmDescription(spec.kind, spec.severity, m),
            comparisonOperator: spec.comparison,
            ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.datapointsToAlarm,
            treatMissingData: spec.treatMissingData,
            ...metricInputs(spec.metric),
            actionsEnabled: true,
            alarmActions: [topicArn],
            okActions: [topicArn],
        },
        { parent },
    );
}
