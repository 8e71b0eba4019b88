import * as pulumi from "@pulumi/pulumi";
import type { ComputeSettings, DomainSettings, ServiceSettings } from "../../config";
import { rulePriority } from "../../config";
import type { DataHandle } from "../data";
import { dataRefs } from "../shared/data-refs";
import { childName, NameScope } from "../naming";
import type { NetworkHandle } from "../network";
import type { ReleasesHandle } from "../releases";
import type { QueuesHandle } from "../workers/queues";
import { outputRecord, pickHandle } from "../shared/handle";
import { Cluster, createCluster } from "./cluster";
import { createLoadBalancer, LoadBalancer } from "./load-balancer";
import { createService, DeployedService, ServiceCanary } from "./service";

export type { ServiceCanary } from "./service";

export { targetGroupName } from "../naming";
export { lifecyclePolicy } from "../releases";
export type { ReleaseOutput } from "../releases";
export { TLS_POLICY } from "./load-balancer";

export interface ComputeArgs {
    scope: NameScope;
    region: string;
    settings: ComputeSettings;
    services: ServiceSettings[];
    /** HTTPS on this name; without one (dev only) the load balancer serves HTTP. @default - HTTP only */
    domain?: DomainSettings;
    logRetentionDays: number;
    /**
     * Per service, names of CloudWatch alarms that roll its deployment back (names from
     * `deploymentAlarmNames()` in components/naming.ts; monitoring creates the alarms).
     * @default - none: no alarm-based rollback (the circuit breaker still rolls back)
     */
    deploymentAlarmNames?: Record<string, string[]>;
    /**
     * Per public service that deploys as an ECS native canary: traffic share, bake times and its test
     * rule's priority (README "Canary and rollback").
     * @default - none: rolling deployments
     */
    canary?: Record<string, ServiceCanary>;
    /** An X-Ray daemon sidecar in every service's task, and the task role may send traces. @default false */
    tracing?: boolean;
    network: NetworkHandle;
    data: DataHandle;
    /** The image registry: each service runs its pinned digest from its repository there. */
    releases: Pick<ReleasesHandle, "repositories">;
    /** The queue workers' queues: a service naming one in `queues` may send to it (and gets its URL). */
    queues: QueuesHandle;
}

/** Per deployed service, what runbooks and CI need: the `services` stack output. */
export interface ServiceOutput {
    /** The ECS service's name (auto-named): `aws ecs describe-services --cluster <clusterName> --services <name>`. */
    name: string;
    /** The task definition revision this stack deployed; after a steady rollout the service runs exactly this. */
    taskDefinitionArn: string;
    /** `repo@sha256:…` */
    image: string;
    /** CloudWatch log group of the service's containers (the migration container's streams are `<service>/<service>-migrate/…`). */
    logGroup: string;
    minTasks: number;
    maxTasks: number;
    expose: string;
}

/** CloudWatch dimensions of one service (AWS/ECS; AWS/ApplicationELB for public services): what monitoring alarms on. */
export interface ServiceDimensions {
    clusterName: string;
    serviceName: string;
    /** Public services only. */
    targetGroupArnSuffix?: string;
    /** Public services only. */
    loadBalancerArnSuffix?: string;
    /** Canary services only: the second target group ECS alternates with the first. */
    alternateTargetGroupArnSuffix?: string;
}

/** The stack's internal load balancer, as the edge reaches it. */
export interface LoadBalancerRef {
    /** DNS name (internal): the origin the edge points at. */
    dnsName: pulumi.Output<string>;
    /** ARN: the target of the edge's CloudFront VPC origin. */
    arn: pulumi.Output<string>;
    /** Base URL at the load balancer: https://<domain> or, without one (dev), http://<internal alb dns> (inside the VPC only; the public URL is the edge's). */
    url: pulumi.Output<string>;
}

/** What compute exposes to later components (workers, edge, monitoring) and to the stack outputs. */
export interface ComputeHandle {
    /** The ECS cluster's name; undefined where the stack declares no service (no cluster is created). */
    clusterName: pulumi.Output<string> | undefined;
    /** The load balancer; undefined where no service is public (none is created, and the edge has no API origin). */
    loadBalancer: LoadBalancerRef | undefined;
    /** Per deployed service: ECS service name, task definition, image, log group and scaling bounds. */
    services: pulumi.Output<Record<string, ServiceOutput>>;
    /** Per service with a migration: the one-off `aws ecs run-task` command. */
    migrations: pulumi.Output<Record<string, string>>;
    /** Per deployed service: the metric dimensions monitoring needs. */
    serviceDimensions: pulumi.Output<Record<string, ServiceDimensions>>;
    /** The DNS validation record of the certificate compute issued for the domain (undefined without one): the only owner of that record. */
    certificateValidationFqdn: pulumi.Output<string> | undefined;
}

const HANDLE: Record<keyof ComputeHandle, true> = {
    clusterName: true,
    loadBalancer: true,
    services: true,
    migrations: true,
    serviceDimensions: true,
    certificateValidationFqdn: true,
};

/**
 * Container services on ECS Fargate behind an internal ALB, running images from the registry
 * (components/releases/): a cluster with Container Insights and Service Connect (cluster.ts), the load balancer with its
 * listeners (load-balancer.ts), and per service the task, roles, routing and autoscaling
 * (service.ts). Services with no pinned release are skipped; everything else still deploys.
 *
 * Rough monthly cost (us-east-1 list prices, AWS pricing pages, 2026): ALB ≈ $16 + LCUs; Fargate ARM
 * 0.5 vCPU / 1 GB ≈ $14 per task on demand, ~70% less on Spot; ECR storage $0.10/GB.
 */
export class Compute extends pulumi.ComponentResource implements ComputeHandle {
    readonly clusterName: pulumi.Output<string> | undefined;
    readonly loadBalancer: LoadBalancerRef | undefined;
    readonly services: pulumi.Output<Record<string, ServiceOutput>>;
    readonly migrations: pulumi.Output<Record<string, string>>;
    readonly serviceDimensions: pulumi.Output<Record<string, ServiceDimensions>>;
    readonly certificateValidationFqdn: pulumi.Output<string> | undefined;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:Compute", name, {}, opts);

        // Only what the declared services need (README "Compute and releases"): a cluster for any service
        // (released or not: the first image then deploys into it), the load balancer for public ones.
        const cluster = args.services.length > 0 ? createCluster(name, this) : undefined;
        const lb = args.services.some((svc) => svc.expose === "public")
            ? createLoadBalancer(
                  name,
                  {
                      scope: args.scope,
                      network: args.network,
                      logsBucketReadyName: args.data.buckets.logsReadyName,
                      deletionProtection: args.settings.loadBalancerDeletionProtection,
                      domain: args.domain,
                  },
                  this,
              )
            : undefined;
        const deployed = cluster ? this.createServices(name, args, cluster, lb) : {};

        this.clusterName = cluster?.cluster.name;
        this.loadBalancer = lb && {
            dnsName: lb.loadBalancer.dnsName,
            arn: lb.loadBalancer.arn,
            url: args.domain ? pulumi.output(`https://${args.domain.name}`) : pulumi.interpolate`http://${lb.loadBalancer.dnsName}`,
        };
        this.certificateValidationFqdn = lb?.certificateValidationFqdn;
        this.services = servicesOutput(args.services, deployed);
        this.migrations = outputRecord<string>(Object.entries(deployed).flatMap(([svc, d]) => (d.migrationCommand ? [[svc, d.migrationCommand] as const] : [])));
        this.serviceDimensions = cluster ? dimensionsOutput(deployed, cluster, lb) : outputRecord<ServiceDimensions>([]);

        this.registerOutputs(pickHandle<ComputeHandle>(this, HANDLE));
    }

    private createServices(
        name: string,
        args: ComputeArgs,
        cluster: Cluster,
        lb: LoadBalancer | undefined,
    ): Record<string, DeployedService> {
        const deployed: Record<string, DeployedService> = {};
        for (const svc of args.services) {
            if (!svc.release) continue;
            deployed[svc.name] = createService(
                childName(name, svc.name),
                svc,
                svc.release,
                {
                    scope: args.scope,
                    region: args.region,
                    clusterArn: cluster.cluster.arn,
                    clusterName: cluster.cluster.name,
                    namespaceArn: cluster.namespace.arn,
                    capacityProviders: cluster.capacityProviders,
                    vpcId: args.network.vpcId,
                    privateSubnetIds: args.network.privateSubnetIds,
                    appSecurityGroupId: args.network.securityGroups.app,
                    loadBalancer: lb && { listenerArn: lb.listener.arn, arnSuffix: lb.loadBalancer.arnSuffix },
                    repository: args.releases.repositories[svc.name],
                    logsKeyArn: args.data.keys.logsArn,
                    logRetentionDays: args.logRetentionDays,
                    spot: args.settings.spot,
                    waitForSteadyState: args.settings.waitForSteadyState,
                    rulePriority: rulePriority(svc),
                    deploymentAlarmNames: args.deploymentAlarmNames?.[svc.name] ?? [],
                    canary: args.canary?.[svc.name],
                    refs: {
                        ...dataRefs(args.data),
                        tracing: args.tracing ?? false,
                        queueUrls: Object.fromEntries(svc.queues.map((q) => [q, args.queues.queues[q].url])),
                    },
                    resources: {
                        dataKeyArn: args.data.keys.dataArn,
                        secretArns: { database: args.data.database.secretArn, cache: args.data.cache.authSecretArn },
                        uploadsBucketArn: args.data.buckets.uploadsArn,
                        queueArns: svc.queues.map((q) => args.queues.queues[q].arn),
                        tracing: args.tracing ?? false,
                    },
                },
                this,
            );
        }
        return deployed;
    }
}

/** The `services` stack output: per deployed service, in settings order. */
function servicesOutput(services: ServiceSettings[], deployed: Record<string, DeployedService>): pulumi.Output<Record<string, ServiceOutput>> {
    return outputRecord<ServiceOutput>(
        services.flatMap((svc) => {
            const d = deployed[svc.name];
            if (!d) return [];
            const output = pulumi.output({
                name: d.service.name,
                taskDefinitionArn: d.taskDefinition.arn,
                image: d.image,
                logGroup: d.logGroup.name,
                minTasks: svc.minTasks,
                maxTasks: svc.maxTasks,
                expose: svc.expose,
            });
            return [[svc.name, output] as const];
        }),
    );
}

/** Per deployed service, the CloudWatch dimensions monitoring alarms on. */
function dimensionsOutput(deployed: Record<string, DeployedService>, cluster: Cluster, lb: LoadBalancer | undefined): pulumi.Output<Record<string, ServiceDimensions>> {
    return outputRecord<ServiceDimensions>(
        Object.entries(deployed).map(([svc, d]) => {
            const routed = d.targetGroup && lb ? { targetGroupArnSuffix: d.targetGroup.arnSuffix, loadBalancerArnSuffix: lb.loadBalancer.arnSuffix } : {};
            const alternate = d.alternateTargetGroup ? { alternateTargetGroupArnSuffix: d.alternateTargetGroup.arnSuffix } : {};
            return [svc, pulumi.output({ clusterName: cluster.cluster.name, serviceName: d.service.name, ...routed, ...alternate })] as const;
        }),
    );
}
