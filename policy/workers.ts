/** Workers and queues: container-image Lambdas behind the alias `live`, their triggers, SQS queues and DLQs (components/workers/). */
import type { PolicyResource } from "@pulumi/policy";
import { BY_DIGEST } from "./compute";
import { isPublicPrincipal, json, list, ofTypes, ownersWithout, publicAllows, resourcePolicy, stackPolicy } from "./lib";

const FUNCTION = "aws:lambda/function:Function";
export const QUEUE = "aws:sqs/queue:Queue";
export const SCHEDULE = "aws:scheduler/schedule:Schedule";

/** The qualifier of a Lambda function reference (`name:qualifier` or `arn:aws:lambda:…:function:name:qualifier`), if any. */
export function qualifierOf(ref: unknown): string | undefined {
    const s = String(ref ?? "");
    const parts = s.split(":");
    if (s.startsWith("arn:")) return parts.length >= 8 ? parts[7] : undefined;
    return parts.length === 2 ? parts[1] : undefined;
}

/** An alias qualifier: not `$LATEST` and not a version number (triggers must follow the alias to roll back). */
function isAlias(q: string | undefined): boolean {
    return q !== undefined && q !== "$LATEST" && !/^\d+$/.test(q);
}

/** The Lambda function ARN inside an API Gateway Lambda integration URI, or the URI itself. */
function integrationFunction(uri: string): string {
    const m = /functions\/(arn:[^/]+)\/invocations$/.exec(uri);
    return m ? m[1] : uri;
}

export const lambdaPolicies = [
    resourcePolicy(
        { name: "lambda-image-by-digest", control: "seed: images by digest", summary: "Container-image functions run an image pinned by digest.", level: "mandatory", remediation: "release.<worker>.digest (npm run promote pins it).", types: [FUNCTION] },
        (p) => (p.packageType === "Image" && !BY_DIGEST.test(String(p.imageUri ?? "")) ? [`imageUri ${p.imageUri} is not pinned by digest.`] : []),
    ),
    resourcePolicy(
        { name: "lambda-publish-versions", control: "seed: rollback-ready workers (alias model)", summary: "Functions publish a version on every change, so the alias can move back.", level: "mandatory", remediation: "not configurable: components/workers/worker.ts sets publish: true.", types: [FUNCTION] },
        (p) => (p.publish === true ? [] : ["publish is not true."]),
    ),
    stackPolicy(
        { name: "lambda-has-alias", control: "seed: rollback-ready workers (alias model)", summary: "Every function has an alias for its triggers to point at (rollback and canary move the alias, not the triggers).", level: "mandatory", remediation: "not configurable: components/workers/worker.ts creates the alias live (workers.<worker>.rollbackTo / canary move it).", types: [FUNCTION, "aws:lambda/alias:Alias"] },
        (args) => ownersWithout(args, FUNCTION, "aws:lambda/alias:Alias", "functionName").map((fn) => ({ message: `${fn.name} has no alias.`, resource: fn })),
    ),
    resourcePolicy(
        {
            name: "lambda-triggers-use-alias",
            control: "seed: every trigger points at the alias",
            summary: "Event source mappings, invoke permissions, API integrations, schedules and provisioned concurrency target an alias, never the unqualified function, $LATEST or a fixed version.",
            level: "mandatory",
            remediation: "workers.<worker>.rollbackTo / canary move the alias; components/workers/worker.ts wires every trigger to it.",
            types: ["aws:lambda/eventSourceMapping:EventSourceMapping", "aws:lambda/permission:Permission", "aws:apigatewayv2/integration:Integration", "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", SCHEDULE],
        },
        (p, args) => {
            switch (args.type) {
                case "aws:lambda/eventSourceMapping:EventSourceMapping":
                    return isAlias(qualifierOf(p.functionName)) ? [] : [`functionName ${p.functionName} is not an alias.`];
                case "aws:lambda/permission:Permission":
                    return isAlias(p.qualifier ?? qualifierOf(p.function)) ? [] : ["the permission has no alias qualifier."];
                case "aws:apigatewayv2/integration:Integration": {
                    const uri = String(p.integrationUri ?? "");
                    if (p.integrationType !== "AWS_PROXY" || !uri.includes(":lambda:")) return [];
                    return isAlias(qualifierOf(integrationFunction(uri))) ? [] : [`integrationUri ${uri} is not an alias.`];
                }
                case SCHEDULE: {
                    const arn = String(p.target?.arn ?? "");
                    if (!arn.includes(":lambda:")) return [];
                    return isAlias(qualifierOf(arn)) ? [] : [`target.arn ${arn} is not an alias.`];
                }
                default:
                    return isAlias(p.qualifier) ? [] : [`qualifier ${p.qualifier} is not an alias.`];
            }
        },
    ),
    resourcePolicy(
        { name: "lambda-permission-not-public", control: "Lambda.1", summary: "Invoke permissions name a principal other than everyone, and service principals carry a source ARN.", level: "mandatory", remediation: "not configurable: components/workers/worker.ts grants exactly the worker's API (sourceArn).", types: ["aws:lambda/permission:Permission"] },
        (p) => [
            ...(isPublicPrincipal(p.principal) ? ["principal is *."] : []),
            ...(String(p.principal ?? "").endsWith(".amazonaws.com") && !p.sourceArn ? [`service principal ${p.principal} without sourceArn.`] : []),
        ],
    ),
    resourcePolicy(
        { name: "lambda-vpc-multi-az", control: "Lambda.5", summary: "Functions in a VPC use subnets in at least two Availability Zones.", level: "mandatory", remediation: "network.azCount: 2 or more (workers.<worker>.vpc puts it in the private subnets).", types: [FUNCTION] },
        (p) => (p.vpcConfig && list(p.vpcConfig.subnetIds).length < 2 ? ["vpcConfig has fewer than two subnets."] : []),
    ),
    resourcePolicy(
        { name: "lambda-tracing", control: "CKV_AWS_50", summary: "Functions trace with X-Ray (Active).", level: "advisory", remediation: "not configurable: components/workers/worker.ts sets tracingConfig Active.", types: [FUNCTION] },
        (p) => (p.tracingConfig?.mode === "Active" ? [] : ["tracingConfig.mode is not Active."]),
    ),
];

function redrive(q: PolicyResource): { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined {
    return json(q.props.redrivePolicy);
}

/**
 * URNs of the dead-letter queues: some queue's redrive target or a schedule's dead-letter queue (schedule
 * workers keep failed invocations there), found by the engine's property dependency or by ARN when outputs are known.
 */
export function deadLetterQueues(queues: PolicyResource[], schedules: PolicyResource[]): Set<string> {
    const dlqs = new Set<string>();
    for (const sch of schedules) {
        const target = sch.props.target?.deadLetterConfig?.arn;
        if (!target) continue;
        // The schedule's target names the DLQ and, as the only queue it depends on, the DLQ is its queue dependency.
        for (const d of sch.propertyDependencies?.target ?? []) if (d.type === QUEUE) dlqs.add(d.urn);
        for (const c of queues) if (c.props.arn !== undefined && c.props.arn === target) dlqs.add(c.urn);
    }
    for (const q of queues) {
        const target = redrive(q)?.deadLetterTargetArn;
        if (!target) continue;
        for (const d of q.propertyDependencies?.redrivePolicy ?? []) if (d.type === QUEUE) dlqs.add(d.urn);
        for (const c of queues) if (c.props.arn !== undefined && c.props.arn === target) dlqs.add(c.urn);
    }
    return dlqs;
}

/** Principals that invoke Lambda asynchronously (events are queued by Lambda and lost after the retries unless kept). */
export const ASYNC_PRINCIPALS = ["s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com", "ses.amazonaws.com", "iot.amazonaws.com", "logs.amazonaws.com"];
const EVENT_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";

/** Does `dependent.<key>` refer to `fn` (the engine's property dependency, or the function's name/ARN as a value)? */
function refersTo(dependent: PolicyResource, key: string, fn: PolicyResource): boolean {
    if ((dependent.propertyDependencies?.[key] ?? []).some((d) => d.urn === fn.urn)) return true;
    const v = dependent.props[key];
    return v !== undefined && (v === fn.props.name || v === fn.props.arn);
}

export const asyncPolicies = [
    stackPolicy(
        {
            name: "lambda-async-dlq",
            control: "CKV_AWS_116, seed: failed work is kept (REL11)",
            summary: "Functions invoked asynchronously (S3, SNS, EventBridge, …) keep failed events: a dead-letter queue or an on-failure destination.",
            level: "mandatory",
            remediation: "give the function deadLetterConfig or a FunctionEventInvokeConfig onFailure destination (components/workers/worker.ts); queue workers get theirs from workers.<worker>.maxReceiveCount.",
            types: [FUNCTION, "aws:lambda/permission:Permission", EVENT_INVOKE_CONFIG],
        },
        (args) => {
            const asyncPermissions = ofTypes(args, ["aws:lambda/permission:Permission"]).filter((p) => ASYNC_PRINCIPALS.includes(String(p.props.principal)));
            const configs = ofTypes(args, [EVENT_INVOKE_CONFIG]).filter((c) => c.props.destinationConfig?.onFailure?.destination);
            return ofTypes(args, [FUNCTION])
                .filter((fn) => asyncPermissions.some((p) => refersTo(p, "function", fn)))
                .filter((fn) => !fn.props.deadLetterConfig?.targetArn && !configs.some((c) => refersTo(c, "functionName", fn)))
                .map((fn) => ({ message: `${fn.name} is invoked asynchronously but keeps no failed events.`, resource: fn }));
        },
    ),
    resourcePolicy(
        { name: "scheduler-dlq", control: "seed: failed work is kept (REL11)", summary: "EventBridge Scheduler targets have a dead-letter queue.", level: "mandatory", remediation: "set target.deadLetterConfig on the schedule (schedule-triggered workers).", types: [SCHEDULE] },
        (p) => (p.target?.deadLetterConfig?.arn ? [] : ["target.deadLetterConfig is not set."]),
    ),
];

export const queuePolicies = [
    resourcePolicy(
        { name: "sqs-encrypted", control: "SQS.1", summary: "Queues (and dead-letter queues) are encrypted at rest.", level: "mandatory", remediation: "not configurable: components/workers/queues.ts sets sqsManagedSseEnabled.", types: [QUEUE] },
        (p) => (p.sqsManagedSseEnabled === true || p.kmsMasterKeyId ? [] : ["neither sqsManagedSseEnabled nor kmsMasterKeyId is set."]),
    ),
    resourcePolicy(
        { name: "sqs-no-public-policy", control: "SQS.3", summary: "No queue policy lets everyone use the queue without a condition.", level: "mandatory", remediation: "not configurable: grant named principals (services get sqs:SendMessage through their roles).", types: [QUEUE, "aws:sqs/queuePolicy:QueuePolicy"] },
        (p) => publicAllows(p.policy).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition.`),
    ),
    stackPolicy(
        { name: "queue-has-dlq", control: "seed: every queue has a DLQ (REL11)", summary: "Every queue that is not itself a dead-letter queue redrives to one, with a maxReceiveCount.", level: "mandatory", remediation: "workers.<worker>.maxReceiveCount (components/workers/queues.ts creates the DLQ with the queue).", types: [QUEUE] },
        (args) => {
            const queues = ofTypes(args, [QUEUE]);
            const dlqs = deadLetterQueues(queues, ofTypes(args, [SCHEDULE]));
            return queues
                .filter((q) => !dlqs.has(q.urn))
                .filter((q) => !redrive(q)?.deadLetterTargetArn || !(Number(redrive(q)?.maxReceiveCount) >= 1))
                .map((q) => ({ message: `queue ${q.name} has no dead-letter queue (redrivePolicy).`, resource: q }));
        },
    ),
];

export const apiPolicies = [
    resourcePolicy(
        { name: "apigateway-access-logs", control: "APIGateway.9", summary: "API stages write access logs.", level: "mandatory", remediation: "not configurable: components/workers/worker.ts logs to /<project>/<stack>/workers/<name>/api-access.", types: ["aws:apigatewayv2/stage:Stage"] },
        (p) => (p.accessLogSettings?.destinationArn ? [] : ["accessLogSettings.destinationArn is not set."]),
    ),
    resourcePolicy(
        { name: "apigateway-route-authorization", control: "APIGateway.8", summary: "API routes specify an authorization type.", level: "mandatory", remediation: "an authorizer on the route (http workers are waived, policy/waivers.ts).", types: ["aws:apigatewayv2/route:Route"] },
        (p) => (p.authorizationType && p.authorizationType !== "NONE" ? [] : [`route ${p.routeKey} has no authorization.`]),
    ),
];

export const workerPolicies = [...lambdaPolicies, ...asyncPolicies, ...queuePolicies, ...apiPolicies];
