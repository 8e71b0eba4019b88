import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HttpTrigger, ImageRelease, QueueTrigger, ScheduleTrigger, WORKER_ALIAS, WorkerSettings } from "../../config";
import { childName, NameScope, workerLogGroupName } from "../naming";
import { imageReference, Repository } from "../releases";
import { createServiceRole } from "../shared/iam";
import { DataRefs, dataEnvironment, EnvVar, featureFlagEnvironment } from "../shared/data-refs";
import { workerStatements, WorkerResources } from "./policies";
import type { ScheduleDlq, WorkerQueue } from "./queues";
import { createWorkerSecurityGroup } from "./security-group";

/** Attached to workers in the VPC only: the ENI permissions Lambda needs there. */
export const VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

export interface WorkerContext {
    scope: NameScope;
    repository: Repository;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    privateSubnetIds: pulumi.Input<string[]>;
    vpcId: pulumi.Input<string>;
    /** The data tier's group: admits a VPC worker's own group on the ports it uses (security-group.ts). */
    dataSecurityGroupId: pulumi.Input<string>;
    /** Queue workers: their queue (components/workers/queues.ts). */
    queue?: WorkerQueue;
    /** Schedule workers: the schedule's dead-letter queue (components/workers/queues.ts). */
    scheduleDlq?: ScheduleDlq;
    /** This account, for the scheduler role's confused-deputy guard. */
    accountId: pulumi.Input<string>;
    refs: DataRefs;
    resources: Omit<WorkerResources, "logGroupArn" | "queueArn">;
}

export interface DeployedWorker {
    fn: aws.lambda.Function;
    alias: aws.lambda.Alias;
    image: pulumi.Output<string>;
    /** HTTP workers: the API's endpoint. */
    endpoint?: pulumi.Output<string>;
    /** Schedule workers: the schedule. */
    schedule?: aws.scheduler.Schedule;
    /** VPC workers: their own security group. */
    securityGroup?: aws.ec2.SecurityGroup;
}

/**
 * What `live` serves: the pinned version (rollbackTo), else the canary's stable version, else the
 * version this deploy published; a canary sends `weight` of invocations to the newest version.
 */
export function aliasTarget(
    w: Pick<WorkerSettings, "rollbackTo" | "canary">,
    newest: pulumi.Input<string>,
): { functionVersion: pulumi.Input<string>; routingConfig?: { additionalVersionWeights: pulumi.Input<Record<string, number>> } } {
    if (w.rollbackTo !== undefined) return { functionVersion: w.rollbackTo };
    if (w.canary !== undefined) {
        const weight = w.canary.weight;
        return { functionVersion: w.canary.stable, routingConfig: { additionalVersionWeights: pulumi.output(newest).apply((v) => ({ [v]: weight })) } };
    }
    return { functionVersion: newest };
}

/** Platform environment values (the services' conventions), then the worker's own. */
export function workerEnvironment(w: WorkerSettings, release: ImageRelease, refs: DataRefs): Record<string, pulumi.Input<string>> {
    const env: EnvVar[] = [
        { name: "RELEASE_TAG", value: release.tag },
        ...dataEnvironment(w, refs),
        // Lambda injects no secrets: the function reads the AUTH token from this ARN (its role may).
        ...(w.secrets.includes("cache") ? [{ name: "REDIS_SECRET_ARN", value: refs.cacheSecretArn }] : []),
        ...featureFlagEnvironment(w.featureFlags),
    ];
    return { ...Object.fromEntries(env.map((e) => [e.name, e.value])), ...w.environment };
}

/**
 * One worker: log group (before the function, so Lambda never creates an unencrypted one without
 * retention), role, the function (image by digest, publishes a version on every change), the alias
 * `live`, its trigger (pointing at the alias only) and provisioned concurrency on the alias; in the
 * VPC, a security group of its own that the data tier admits on what it uses (security-group.ts).
 */
export function createWorker(name: string, w: WorkerSettings, release: ImageRelease, ctx: WorkerContext, parent: pulumi.Resource): DeployedWorker {
    const logGroup = new aws.cloudwatch.LogGroup(
        name,
        { name: workerLogGroupName(ctx.scope, w.name), retentionInDays: ctx.logRetentionDays, kmsKeyId: ctx.logsKeyArn },
        { parent },
    );
    const role = createServiceRole(
        name,
        {
            service: "lambda.amazonaws.com",
            description: `Worker ${w.name}: its logs, tracing, queue, secrets and buckets`,
            statements: workerStatements(w, { ...ctx.resources, logGroupArn: logGroup.arn, queueArn: ctx.queue?.arn }),
            managedPolicies: w.vpc ? [{ suffix: "vpc", policyArn: VPC_ACCESS_POLICY }] : [],
        },
        parent,
    );
    const image = imageReference(ctx.repository.url, release);
    const securityGroup = w.vpc ? createWorkerSecurityGroup(name, w, { vpcId: ctx.vpcId, dataSecurityGroupId: ctx.dataSecurityGroupId }, parent) : undefined;
    const fn = new aws.lambda.Function(
        name,
        {
            packageType: "Image",
            imageUri: image,
            architectures: [w.architecture],
            memorySize: w.memoryMb,
            timeout: w.timeoutSeconds,
            role: role.role.arn,
            // Every change publishes exactly one new version (the `previousVersion` output relies on it).
            publish: true,
            tracingConfig: { mode: "Active" },
            reservedConcurrentExecutions: w.reservedConcurrency,
            vpcConfig: securityGroup ? { subnetIds: ctx.privateSubnetIds, securityGroupIds: [securityGroup.id] } : undefined,
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            environment: { variables: workerEnvironment(w, release, ctx.refs) },
        },
        { parent, dependsOn: [logGroup, ...(role.policy ? [role.policy] : []), ...role.attachments] },
    );
    const alias = new aws.lambda.Alias(name, { name: WORKER_ALIAS, functionName: fn.name, ...aliasTarget(w, fn.version) }, { parent });

    if (w.trigger.type === "queue" && ctx.queue) createQueueTrigger(name, w.trigger, ctx.queue, alias, role.policy, parent);
    const endpoint = w.trigger.type === "http" ? createHttpTrigger(name, w, w.trigger, ctx, fn, alias, parent) : undefined;
    const schedule = w.trigger.type === "schedule" && ctx.scheduleDlq ? createScheduleTrigger(name, w, w.trigger, ctx.scheduleDlq, ctx.accountId, alias, parent) : undefined;
    if (w.provisionedConcurrency > 0) {
        new aws.lambda.ProvisionedConcurrencyConfig(
            name,
            { functionName: fn.name, qualifier: alias.name, provisionedConcurrentExecutions: w.provisionedConcurrency },
            { parent },
        );
    }
    return { fn, alias, image, endpoint, schedule, securityGroup };
}

/** The queue → alias mapping: batches, batching window, concurrency cap, partial batch failures. */
function createQueueTrigger(name: string, t: QueueTrigger, queue: WorkerQueue, alias: aws.lambda.Alias, policy: aws.iam.RolePolicy | undefined, parent: pulumi.Resource) {
    return new aws.lambda.EventSourceMapping(
        name,
        {
            eventSourceArn: queue.arn,
            functionName: alias.arn,
            batchSize: t.batchSize,
            maximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
            scalingConfig: t.maxConcurrency !== undefined ? { maximumConcurrency: t.maxConcurrency } : undefined,
            functionResponseTypes: ["ReportBatchItemFailures"],
        },
        // Lambda checks the role may read the queue when the mapping is created.
        { parent, dependsOn: policy ? [policy] : [] },
    );
}

/** A route key as part of a logical name: `GET /items/{id}` → `get-items-id`. */
export function routeSlug(route: string): string {
    return route.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "root";
}

/**
 * HTTP API → alias: the API, its AWS_PROXY integration (payload 2.0) invoking the alias, one route per
 * route key, the `$default` stage (auto-deploy, access logs, default-route throttling) and the
 * permission for exactly this API to invoke exactly the alias.
 */
function createHttpTrigger(
    name: string,
    w: WorkerSettings,
    t: HttpTrigger,
    ctx: WorkerContext,
    fn: aws.lambda.Function,
    alias: aws.lambda.Alias,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const api = new aws.apigatewayv2.Api(name, { protocolType: "HTTP", description: `Worker ${w.name}` }, { parent });
    const integration = new aws.apigatewayv2.Integration(
        name,
        { apiId: api.id, integrationType: "AWS_PROXY", integrationMethod: "POST", integrationUri: alias.arn, payloadFormatVersion: "2.0" },
        { parent },
    );
    for (const route of t.routes) {
        new aws.apigatewayv2.Route(childName(name, routeSlug(route)), { apiId: api.id, routeKey: route, target: pulumi.interpolate`integrations/${integration.id}` }, { parent });
    }
    const accessLogs = new aws.cloudwatch.LogGroup(
        childName(name, "api-access"),
        { name: workerLogGroupName(ctx.scope, w.name, "/api-access"), retentionInDays: ctx.logRetentionDays, kmsKeyId: ctx.logsKeyArn },
        { parent },
    );
    new aws.apigatewayv2.Stage(
        name,
        {
            apiId: api.id,
            name: "$default",
            autoDeploy: true,
            accessLogSettings: {
                destinationArn: accessLogs.arn,
                format: JSON.stringify({
                    requestId: "$context.requestId",
                    ip: "$context.identity.sourceIp",
                    requestTime: "$context.requestTime",
                    routeKey: "$context.routeKey",
                    status: "$context.status",
                    latency: "$context.responseLatency",
                    integrationError: "$context.integrationErrorMessage",
                }),
            },
            defaultRouteSettings: t.throttle ? { throttlingBurstLimit: t.throttle.burstLimit, throttlingRateLimit: t.throttle.rateLimit } : undefined,
        },
        { parent },
    );
    new aws.lambda.Permission(
        name,
        { action: "lambda:InvokeFunction", function: fn.name, qualifier: alias.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
        { parent },
    );
    return api.apiEndpoint;
}

/**
 * Schedule → alias: an EventBridge Scheduler schedule (default group, no flexible window) whose target
 * is the alias ARN, with retries and the schedule's own dead-letter queue, and the role Scheduler
 * assumes to invoke it: `lambda:InvokeFunction` on the alias only and `sqs:SendMessage` on the DLQ
 * only, trusted only for this account (aws:SourceAccount). Scheduler invokes with the role, so the
 * function needs no resource-based permission.
 * Cost: $1.00 per million invocations after 14 million free a month.
 */
function createScheduleTrigger(
    name: string,
    w: WorkerSettings,
    t: ScheduleTrigger,
    dlq: ScheduleDlq,
    accountId: pulumi.Input<string>,
    alias: aws.lambda.Alias,
    parent: pulumi.Resource,
): aws.scheduler.Schedule {
    const role = createServiceRole(
        childName(name, "sched"),
        {
            service: "scheduler.amazonaws.com",
            description: `Scheduler of worker ${w.name}: invoke its alias live, dead-letter to its DLQ`,
            sourceAccount: accountId,
            statements: [
                { Sid: "InvokeAlias", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: alias.arn },
                { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: dlq.arn },
            ],
        },
        parent,
    );
    return new aws.scheduler.Schedule(
        name,
        {
            description: `Worker ${w.name}: ${t.expression} (${t.timezone})`,
            scheduleExpression: t.expression,
            scheduleExpressionTimezone: t.timezone,
            // A passive recovery stack keeps its schedules defined but off (README "Disaster recovery").
            state: t.paused ? "DISABLED" : undefined,
            flexibleTimeWindow: { mode: "OFF" },
            target: {
                arn: alias.arn,
                roleArn: role.role.arn,
                deadLetterConfig: { arn: dlq.arn },
                retryPolicy: { maximumRetryAttempts: t.maxRetryAttempts, maximumEventAgeInSeconds: t.maxEventAgeSeconds },
            },
        },
        { parent, dependsOn: role.policy ? [role.policy] : [] },
    );
}
