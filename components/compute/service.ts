import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRelease, ServiceSettings } from "../../config";
import { childName, NameScope, serviceLogGroupName, targetGroupName, taskFamily } from "../naming";
import { imageReference, Repository } from "../releases";
import { createServiceRole, PolicyStatement, ServiceRole } from "../shared/iam";
import { ContainerRefs, containerDefinitions, migrationTaskContainers, TMP_VOLUME } from "./container";
import { executionStatements, ServiceResources, taskStatements } from "./policies";

export interface ServiceContext {
    scope: NameScope;
    region: string;
    clusterArn: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    namespaceArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    appSecurityGroupId: pulumi.Input<string>;
    /** The load balancer public services are routed from: its listener (HTTPS, or HTTP in dev without a domain) and ARN suffix. @default - none: the stack has no public service */
    loadBalancer?: { listenerArn: pulumi.Input<string>; arnSuffix: pulumi.Input<string> };
    repository: Repository;
    /** The cluster's capacity-provider association; services using a strategy must wait for it. */
    capacityProviders: pulumi.Resource;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    spot: boolean;
    /** `pulumi up` waits for the rollout to reach a steady state (see README "Compute and releases"). */
    waitForSteadyState: boolean;
    rulePriority?: number;
    /** Names of CloudWatch alarms that roll a deployment back (supplied by monitoring). */
    deploymentAlarmNames: string[];
    /** Deploy as an ECS native canary (public services only). @default - rolling */
    canary?: ServiceCanary;
    refs: Omit<ContainerRefs, "repositoryUrl" | "logGroupName" | "region">;
    resources: Omit<ServiceResources, "repositoryArn" | "logGroupArn">;
}

export interface DeployedService {
    service: aws.ecs.Service;
    /** The task definition the service runs (app container, plus the migration container when declared). */
    taskDefinition: aws.ecs.TaskDefinition;
    logGroup: aws.cloudwatch.LogGroup;
    image: pulumi.Output<string>;
    /** `aws ecs run-task …` for the migration task, when the service declares one. */
    migrationCommand?: pulumi.Output<string>;
    /** Public services only. */
    targetGroup?: aws.lb.TargetGroup;
    /** Canary services only: the target group ECS alternates with `targetGroup`. */
    alternateTargetGroup?: aws.lb.TargetGroup;
}

/** An ECS native CANARY deployment: `percent` of production traffic first, for `canaryBakeMinutes`, then all. */
export interface ServiceCanary {
    /** 0.1-100 (ECS CanaryConfiguration.canaryPercent). */
    percent: number;
    canaryBakeMinutes: number;
    /** Minutes the old revision stays after the full shift, ready for a rollback. */
    bakeMinutes: number;
    /** Listener-rule priority of the test rule (production priority − 1, config/rules/monitoring.ts). */
    testRulePriority: number;
}

/** The request header that routes test traffic to the new revision during a canary: `X-Canary-Test: <service>`. */
export const CANARY_TEST_HEADER = "X-Canary-Test";
/** AWS's managed policy for the role ECS assumes to move listener-rule weights during a blue/green or canary deployment. */
export const ECS_LOAD_BALANCER_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers";

/** The service's deployment configuration: ECS's native CANARY strategy with its bake times, or nothing (rolling). */
export function canaryDeployment(c: ServiceCanary | undefined): aws.types.input.ecs.ServiceDeploymentConfiguration | undefined {
    if (!c) return undefined;
    return {
        strategy: "CANARY",
        bakeTimeInMinutes: String(c.bakeMinutes),
        canaryConfiguration: { canaryPercent: c.percent, canaryBakeTimeInMinutes: String(c.canaryBakeMinutes) },
    };
}

/** Suffix of the one-off migration task's logical name and family. */
const MIGRATE_SUFFIX = "-migrate";
const TARGET_TYPE = "ip"; // awsvpc tasks register by IP
const TARGET_PROTOCOL = "HTTP"; // TLS ends at the load balancer; the hop to the task stays inside the VPC

/** Capacity: Fargate Spot where the tier allows interruptions (dev), on-demand Fargate otherwise. */
export function capacityStrategy(spot: boolean): { capacityProvider: string; weight: number; base?: number }[] {
    return spot ? [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] : [{ capacityProvider: "FARGATE", weight: 1 }];
}

/** Rolling deploys that never drop below the running count, with automatic rollback on failure. */
export const DEPLOYMENT = {
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
    deploymentCircuitBreaker: { enable: true, rollback: true },
} as const;

/**
 * Seconds ECS ignores load-balancer health checks after a task starts. A task with a migration
 * container starts its app only after the migration exits, so it gets a longer grace period: a
 * migration that runs inside a deploy must finish within it (run longer ones as a one-off task first).
 */
export function healthCheckGracePeriod(svc: Pick<ServiceSettings, "migrationCommand">): number {
    return svc.migrationCommand ? 300 : 60;
}

/**
 * Resource options per service. A service that publishes a Service Connect name (expose: internal)
 * cannot be replaced create-before-delete: the new service's name would collide in the namespace
 * ("each ServiceConnectService must have a name that is unique in the namespace"), so Pulumi deletes
 * the old one first (a short outage of that internal name during a replacement).
 */
export function serviceOptions(svc: Pick<ServiceSettings, "expose">): { deleteBeforeReplace?: boolean } {
    return svc.expose === "internal" ? { deleteBeforeReplace: true } : {};
}

/**
 * One ECS service: log group, roles, task definition (by digest; with the migration container ahead of
 * the app when the service declares a migrationCommand), the standalone migration task for one-off
 * runs, target group and listener rule (public), the service itself in private subnets, and
 * target-tracking autoscaling on CPU, memory and (public) requests per target.
 */
export function createService(name: string, svc: ServiceSettings, release: ImageRelease, ctx: ServiceContext, parent: pulumi.Resource): DeployedService {
    const opts = { parent };
    const logGroup = new aws.cloudwatch.LogGroup(
        name,
        { name: serviceLogGroupName(ctx.scope, svc.name), retentionInDays: ctx.logRetentionDays, kmsKeyId: ctx.logsKeyArn },
        opts,
    );
    const resources: ServiceResources = { ...ctx.resources, repositoryArn: ctx.repository.arn, logGroupArn: logGroup.arn };
    const execution = ecsRole(childName(name, "execution"), "ECS starts the task: image, logs, injected secrets", executionStatements(svc, resources), parent);
    const task = ecsRole(childName(name, "task"), "The application's own AWS access", taskStatements(svc, resources), parent);
    const refs: ContainerRefs = { ...ctx.refs, repositoryUrl: ctx.repository.url, logGroupName: logGroup.name, region: ctx.region };

    const taskDefinition = (suffix: string, containers: pulumi.Output<string>) =>
        new aws.ecs.TaskDefinition(
            `${name}${suffix}`,
            {
                family: taskFamily(ctx.scope, svc.name, suffix),
                cpu: String(svc.cpu),
                memory: String(svc.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { cpuArchitecture: svc.architecture === "arm64" ? "ARM64" : "X86_64", operatingSystemFamily: "LINUX" },
                executionRoleArn: execution.role.arn,
                taskRoleArn: task.role.arn,
                volumes: [{ name: TMP_VOLUME }],
                containerDefinitions: containers,
            },
            // Tasks started before their roles' policies exist cannot pull, log or read secrets, and
            // the circuit breaker would fail the first deployment.
            { parent, dependsOn: [execution.policy, task.policy].filter((p): p is aws.iam.RolePolicy => p !== undefined) },
        );
    // The service's task runs the migration container first when the service declares one (container.ts).
    const main = taskDefinition("", containerDefinitions(svc, release, refs));
    // The same migration as a task of its own, for one-off runs (the `migrations` output).
    const migrationCommand = svc.migrationCommand ? migrationRunTask(taskDefinition(MIGRATE_SUFFIX, migrationTaskContainers(svc, release, refs)), ctx) : undefined;

    const routing = svc.expose === "public" ? createRouting(name, svc, ctx, parent) : undefined;
    const targetGroup = routing?.targetGroup;
    const service = new aws.ecs.Service(
        name,
        {
            cluster: ctx.clusterArn,
            taskDefinition: main.arn,
            desiredCount: svc.minTasks,
            capacityProviderStrategies: capacityStrategy(ctx.spot),
            networkConfiguration: { subnets: ctx.privateSubnetIds, securityGroups: [ctx.appSecurityGroupId], assignPublicIp: false },
            loadBalancers: targetGroup
                ? [{ targetGroupArn: targetGroup.arn, containerName: svc.name, containerPort: svc.port, advancedConfiguration: routing?.canary?.advanced }]
                : undefined,
            healthCheckGracePeriodSeconds: targetGroup ? healthCheckGracePeriod(svc) : undefined,
            ...DEPLOYMENT,
            deploymentConfiguration: canaryDeployment(routing?.canary ? ctx.canary : undefined),
            alarms: ctx.deploymentAlarmNames.length > 0 ? { alarmNames: ctx.deploymentAlarmNames, enable: true, rollback: true } : undefined,
            serviceConnectConfiguration: {
                enabled: true,
                namespace: ctx.namespaceArn,
                services: svc.expose === "internal" ? [{ portName: "http", discoveryName: svc.name, clientAlias: [{ port: svc.port, dnsName: svc.name }] }] : undefined,
            },
            availabilityZoneRebalancing: "ENABLED",
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            // Where true (staging, prod), `pulumi up` returns only once the rollout is steady. A rollout the
            // circuit breaker rolled back is steady too: check it (README "Runbook: roll back a service").
            waitForSteadyState: ctx.waitForSteadyState,
        },
        // Autoscaling owns the running count after creation; a deploy must not reset it.
        // A target group must be attached to the load balancer (through its rule) before a service uses it.
        {
            parent,
            ignoreChanges: ["desiredCount"],
            // ECS checks the canary's role and rules when the service is created or updated.
            dependsOn: [ctx.capacityProviders, ...(routing ? [routing.rule] : []), ...(routing?.canary?.dependsOn ?? [])],
            ...serviceOptions(svc),
        },
    );
    createAutoscaling(name, svc, ctx, service, targetGroup, parent);
    return { service, taskDefinition: main, logGroup, image: imageReference(ctx.repository.url, release), migrationCommand, targetGroup, alternateTargetGroup: routing?.canary?.alternate };
}

/** A role ECS tasks assume, with its inline policy when it has statements. */
function ecsRole(name: string, description: string, statements: PolicyStatement[], parent: pulumi.Resource): ServiceRole {
    return createServiceRole(name, { service: "ecs-tasks.amazonaws.com", description, statements }, parent);
}

function createRouting(name: string, svc: ServiceSettings, ctx: ServiceContext, parent: pulumi.Resource) {
    // Compute creates the load balancer whenever a service is public (components/compute/index.ts).
    if (!ctx.loadBalancer) throw new Error(`service ${svc.name} is public, but the stack has no load balancer`);
    const { listenerArn } = ctx.loadBalancer;
    const group = (logical: string, service: string) =>
        new aws.lb.TargetGroup(
            logical,
            {
                name: pulumi.output(ctx.vpcId).apply((vpcId) => targetGroupName({ ...ctx.scope, service, port: svc.port, protocol: TARGET_PROTOCOL, targetType: TARGET_TYPE, vpcId })),
                targetType: TARGET_TYPE,
                protocol: TARGET_PROTOCOL,
                port: svc.port,
                vpcId: ctx.vpcId,
                // Tasks get 30 s to finish in-flight requests (the default 300 s slows every deploy).
                deregistrationDelay: 30,
                healthCheck: { path: svc.healthCheckPath, matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
            },
            { parent },
        );
    const targetGroup = group(name, svc.name);
    const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
    if (svc.paths.length > 0) conditions.push({ pathPattern: { values: svc.paths } });
    if (svc.hosts.length > 0) conditions.push({ hostHeader: { values: svc.hosts } });
    if (!ctx.canary) {
        const rule = new aws.lb.ListenerRule(
            name,
            { listenerArn, priority: ctx.rulePriority, conditions, actions: [{ type: "forward", targetGroupArn: targetGroup.arn }] },
            { parent },
        );
        return { targetGroup, rule, canary: undefined };
    }

    // Canary: a second target group, a production rule that forwards to both (weights 100/0) and a test
    // rule just before it. During a deployment ECS moves the weights (and points the test rule at the new
    // revision) itself: Pulumi must not put them back, so both rules ignore changes to their actions.
    const alternate = group(childName(name, "alt"), `${svc.name}-alt`);
    const weighted = (primary: number) => [
        {
            type: "forward",
            forward: {
                targetGroups: [
                    { arn: targetGroup.arn, weight: primary },
                    { arn: alternate.arn, weight: 100 - primary },
                ],
            },
        },
    ];
    const ownedByEcs = { parent, ignoreChanges: ["actions"] };
    const rule = new aws.lb.ListenerRule(name, { listenerArn, priority: ctx.rulePriority, conditions, actions: weighted(100) }, ownedByEcs);
    const testRule = new aws.lb.ListenerRule(
        childName(name, "test"),
        {
            listenerArn,
            priority: ctx.canary.testRulePriority,
            conditions: [{ httpHeader: { httpHeaderName: CANARY_TEST_HEADER, values: [svc.name] } }],
            actions: weighted(100),
        },
        ownedByEcs,
    );
    const role = createServiceRole(
        childName(name, "deploy"),
        { service: "ecs.amazonaws.com", description: `ECS shifts ${svc.name}'s listener-rule weights during canary deployments`, managedPolicies: [{ policyArn: ECS_LOAD_BALANCER_POLICY }] },
        parent,
    );
    const advanced = { alternateTargetGroupArn: alternate.arn, productionListenerRule: rule.arn, testListenerRule: testRule.arn, roleArn: role.role.arn };
    return { targetGroup, rule, canary: { alternate, advanced, dependsOn: [testRule, ...role.attachments] } };
}

function createAutoscaling(
    name: string,
    svc: ServiceSettings,
    ctx: ServiceContext,
    service: aws.ecs.Service,
    targetGroup: aws.lb.TargetGroup | undefined,
    parent: pulumi.Resource,
): void {
    const target = new aws.appautoscaling.Target(
        name,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${ctx.clusterName}/${service.name}`,
            minCapacity: svc.minTasks,
            maxCapacity: svc.maxTasks,
        },
        { parent },
    );
    const track = (metric: string, predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) =>
        new aws.appautoscaling.Policy(
            childName(name, metric),
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    targetValue,
                    predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
                    scaleInCooldown: 300,
                    scaleOutCooldown: 60,
                },
            },
            { parent },
        );
    track("cpu", "ECSServiceAverageCPUUtilization", svc.cpuTargetPercent);
    track("memory", "ECSServiceAverageMemoryUtilization", svc.memoryTargetPercent);
    if (targetGroup && ctx.loadBalancer) {
        track("requests", "ALBRequestCountPerTarget", svc.requestsPerTarget, pulumi.interpolate`${ctx.loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`);
    }
}

/**
 * The exact command that runs the migration task once, on on-demand Fargate, in the app tier's network,
 * and prints the started task's ARN (for `aws ecs wait tasks-stopped` and `describe-tasks`). Its one
 * quoted argument needs a shell: run it with `eval`.
 */
function migrationRunTask(task: aws.ecs.TaskDefinition, ctx: ServiceContext): pulumi.Output<string> {
    return pulumi
        .all([ctx.clusterName, task.arn, ctx.privateSubnetIds, ctx.appSecurityGroupId])
        .apply(
            ([cluster, arn, subnets, sg]) =>
                `aws ecs run-task --region ${ctx.region} --cluster ${cluster} --task-definition ${arn} --launch-type FARGATE ` +
                `--started-by migration --network-configuration 'awsvpcConfiguration={subnets=[${subnets.join(",")}],securityGroups=[${sg}],assignPublicIp=DISABLED}' ` +
                `--query 'tasks[0].taskArn' --output text`,
        );
}
