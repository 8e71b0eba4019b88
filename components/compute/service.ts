import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRelease, ServiceSettings } from "../../config";
import { ContainerRefs, containerDefinitions, TMP_VOLUME } from "./container";
import { targetGroupName } from "./naming";
import { executionStatements, ServiceResources, Statement, taskStatements } from "./policies";

export interface ServiceContext {
    project: string;
    stack: string;
    region: string;
    clusterArn: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    namespaceArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    appSecurityGroupId: pulumi.Input<string>;
    /** Listener that routes public services (HTTPS, or HTTP in dev without a domain). */
    listenerArn: pulumi.Input<string>;
    loadBalancerArnSuffix: pulumi.Input<string>;
    repository: aws.ecr.Repository;
    /** The cluster's capacity-provider association; services using a strategy must wait for it. */
    capacityProviders: pulumi.Resource;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    spot: boolean;
    rulePriority?: number;
    /** Names of CloudWatch alarms that roll a deployment back (supplied by monitoring). */
    deploymentAlarmNames: string[];
    refs: Omit<ContainerRefs, "repositoryUrl" | "logGroupName" | "region">;
    resources: Omit<ServiceResources, "repositoryArn" | "logGroupArn">;
}

export interface DeployedService {
    service: aws.ecs.Service;
    image: pulumi.Output<string>;
    /** `aws ecs run-task …` for the migration task, when the service declares one. */
    migrationCommand?: pulumi.Output<string>;
}

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
 * One ECS service: log group, roles, task definition (by digest), optional migration task, target
 * group and listener rule (public), the service itself in private subnets, and target-tracking
 * autoscaling on CPU, memory and (public) requests per target.
 */
export function createService(name: string, svc: ServiceSettings, release: ImageRelease, ctx: ServiceContext, parent: pulumi.Resource): DeployedService {
    const opts = { parent };
    const logGroup = new aws.cloudwatch.LogGroup(
        name,
        { name: `/${ctx.project}/${ctx.stack}/services/${svc.name}`, retentionInDays: ctx.logRetentionDays, kmsKeyId: ctx.logsKeyArn },
        opts,
    );
    const resources: ServiceResources = { ...ctx.resources, repositoryArn: ctx.repository.arn, logGroupArn: logGroup.arn };
    const execution = role(`${name}-execution`, "ECS starts the task: image, logs, injected secrets", executionStatements(svc, resources), parent);
    const task = role(`${name}-task`, "The application's own AWS access", taskStatements(svc, resources), parent);
    const refs: ContainerRefs = { ...ctx.refs, repositoryUrl: ctx.repository.repositoryUrl, logGroupName: logGroup.name, region: ctx.region };

    const taskDefinition = (suffix: string, command?: string[]) =>
        new aws.ecs.TaskDefinition(
            `${name}${suffix}`,
            {
                family: `${ctx.project}-${ctx.stack}-${svc.name}${suffix}`,
                cpu: String(svc.cpu),
                memory: String(svc.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { cpuArchitecture: svc.architecture === "arm64" ? "ARM64" : "X86_64", operatingSystemFamily: "LINUX" },
                executionRoleArn: execution.role.arn,
                taskRoleArn: task.role.arn,
                volumes: [{ name: TMP_VOLUME }],
                containerDefinitions: containerDefinitions(svc, release, refs, command),
            },
            // Tasks started before their roles' policies exist cannot pull, log or read secrets, and
            // the circuit breaker would fail the first deployment.
            { parent, dependsOn: [execution.policy, task.policy].filter((p): p is aws.iam.RolePolicy => p !== undefined) },
        );
    const main = taskDefinition("");
    const migrationCommand = svc.migrationCommand ? migrationRunTask(taskDefinition("-migrate", svc.migrationCommand), ctx) : undefined;

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
            loadBalancers: targetGroup ? [{ targetGroupArn: targetGroup.arn, containerName: svc.name, containerPort: svc.port }] : undefined,
            healthCheckGracePeriodSeconds: targetGroup ? 60 : undefined,
            ...DEPLOYMENT,
            alarms: ctx.deploymentAlarmNames.length > 0 ? { alarmNames: ctx.deploymentAlarmNames, enable: true, rollback: true } : undefined,
            serviceConnectConfiguration: {
                enabled: true,
                namespace: ctx.namespaceArn,
                services: svc.expose === "internal" ? [{ portName: "http", discoveryName: svc.name, clientAlias: [{ port: svc.port, dnsName: svc.name }] }] : undefined,
            },
            availabilityZoneRebalancing: "ENABLED",
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
        },
        // Autoscaling owns the running count after creation; a deploy must not reset it.
        // A target group must be attached to the load balancer (through its rule) before a service uses it.
        { parent, ignoreChanges: ["desiredCount"], dependsOn: [ctx.capacityProviders, ...(routing ? [routing.rule] : [])] },
    );
    createAutoscaling(name, svc, ctx, service, targetGroup, parent);
    return { service, image: pulumi.interpolate`${ctx.repository.repositoryUrl}@${release.digest}`, migrationCommand };
}

function role(name: string, description: string, statements: Statement[], parent: pulumi.Resource): { role: aws.iam.Role; policy?: aws.iam.RolePolicy } {
    const r = new aws.iam.Role(
        name,
        {
            description,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        { parent },
    );
    const policy =
        statements.length > 0
            ? new aws.iam.RolePolicy(name, { role: r.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) }, { parent })
            : undefined;
    return { role: r, policy };
}

function createRouting(name: string, svc: ServiceSettings, ctx: ServiceContext, parent: pulumi.Resource) {
    const targetGroup = new aws.lb.TargetGroup(
        name,
        {
            name: pulumi.output(ctx.vpcId).apply((vpcId) =>
                targetGroupName({ project: ctx.project, stack: ctx.stack, service: svc.name, port: svc.port, protocol: TARGET_PROTOCOL, targetType: TARGET_TYPE, vpcId }),
            ),
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
    const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
    if (svc.paths.length > 0) conditions.push({ pathPattern: { values: svc.paths } });
    if (svc.hosts.length > 0) conditions.push({ hostHeader: { values: svc.hosts } });
    const rule = new aws.lb.ListenerRule(
        name,
        { listenerArn: ctx.listenerArn, priority: ctx.rulePriority, conditions, actions: [{ type: "forward", targetGroupArn: targetGroup.arn }] },
        { parent },
    );
    return { targetGroup, rule };
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
            `${name}-${metric}`,
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
    if (targetGroup) {
        track("requests", "ALBRequestCountPerTarget", svc.requestsPerTarget, pulumi.interpolate`${ctx.loadBalancerArnSuffix}/${targetGroup.arnSuffix}`);
    }
}

/** The exact command that runs the migration task once, on on-demand Fargate, in the app tier's network. */
function migrationRunTask(task: aws.ecs.TaskDefinition, ctx: ServiceContext): pulumi.Output<string> {
    return pulumi
        .all([ctx.clusterName, task.arn, ctx.privateSubnetIds, ctx.appSecurityGroupId])
        .apply(
            ([cluster, arn, subnets, sg]) =>
                `aws ecs run-task --region ${ctx.region} --cluster ${cluster} --task-definition ${arn} --launch-type FARGATE ` +
                `--started-by migration --network-configuration 'awsvpcConfiguration={subnets=[${subnets.join(",")}],securityGroups=[${sg}],assignPublicIp=DISABLED}'`,
        );
}
