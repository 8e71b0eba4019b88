/**
 * The composition root: settings → components, in data-flow order (network → data → releases → queues →
 * compute → workers; edge and monitoring plug in after workers, each taking the handles of the components before it).
 * Each component receives plain typed settings and the typed handles of earlier components; nothing
 * here copies a handle's fields into another args type.
 */
import * as pulumi from "@pulumi/pulumi";
import { canaryServices, isPassiveRecovery, recoveryState, testRulePriority, uploadsKeyPrefix } from "../config";
import type { Settings } from "../config";
import { Compute } from "./compute";
import { Data } from "./data";
import { Edge, EdgeFailoverArgs } from "./edge";
import { Monitoring } from "./monitoring";
import { componentName, deploymentAlarmNames, NameScope, stackScope } from "./naming";
import { Network } from "./network";
import { createProvider } from "./provider";
import { PrimaryHandle, readPrimary } from "./recovery";
import { Releases } from "./releases";
import { Queues, Workers } from "./workers";

export interface Platform {
    network: Network;
    data: Data;
    releases: Releases;
    queues: Queues;
    compute: Compute;
    workers: Workers;
    edge: Edge;
    monitoring: Monitoring;
}

/**
 * `opts` is for tests and tools (e.g. legacy `transformations` that record resource options);
 * the program itself passes nothing.
 */
export function createPlatform(stackSettings: Settings, opts: pulumi.ComponentResourceOptions = {}): Platform {
    // A recovery stack deploys its current state: passive relaxes what RECOVERY_RELAXATIONS lists (README "Disaster recovery").
    const settings = recoveryState(stackSettings);
    const primary = settings.recovery ? readPrimary(settings.stack, settings.recovery, {}, { edge: settings.edge.failover === "secondary" }) : undefined;
    const provider = createProvider(settings);
    const componentOpts: pulumi.ComponentResourceOptions = { ...opts, providers: { aws: provider } };
    const scope: NameScope = { project: settings.project, stack: settings.stack };

    const network = new Network(
        componentName(settings.stack, "network"),
        {
            cidr: settings.network.cidr,
            azCount: settings.network.azCount,
            natGateways: settings.network.natGateways,
            natInstanceType: settings.network.natInstanceType,
            region: settings.region,
            logRetentionDays: settings.logs.retentionDays,
            appPorts: portsOf(settings, "public"),
            internalPorts: portsOf(settings, "internal"),
            // The load balancer is internal; the edge admits CloudFront's VPC origins to it.
            loadBalancerIngress: { from: "vpcOrigin" },
        },
        componentOpts,
    );

    // Uploads through CloudFront (edge.uploads): the uploads bucket's policy names the distribution the
    // edge creates later, so the data tier takes its ARN as an output resolved once the edge exists.
    const uploadsCdn = settings.edge.uploads && { keyPrefix: uploadsKeyPrefix(settings.edge.uploads.path), arn: pulumi.deferredOutput<string>() };

    const data = new Data(
        componentName(settings.stack, "data"),
        {
            scope,
            region: settings.region,
            database: settings.database,
            cache: settings.cache,
            storage: settings.storage,
            backup: settings.backup,
            logRetentionDays: settings.logs.retentionDays,
            protectData: settings.protectData,
            network,
            replicaOf: primary ? { sourceArn: primary.dbArn, promoted: settings.recovery!.active } : undefined,
            // Uploads replication (README "Disaster recovery"): the primary owns the rule, the recovery stack the destination bucket.
            replicateUploadsTo: settings.replicateTo ? { scope: { project: settings.project, stack: settings.replicateTo.stack }, region: settings.replicateTo.region } : undefined,
            uploadsCdn: uploadsCdn && { keyPrefix: uploadsCdn.keyPrefix, distributionArn: uploadsCdn.arn[0] },
        },
        componentOpts,
    );

    const releases = new Releases(
        componentName(settings.stack, "releases"),
        {
            scope,
            // One registry and release model for everything that runs an image: services and workers.
            images: [...settings.services.map((svc) => svc.name), ...settings.workers.map((w) => w.name)],
            lambdaImages: settings.workers.map((w) => w.name),
            release: settings.release,
            keepReleases: settings.compute.keepReleases,
            data,
            forceDelete: settings.storage.forceDestroy,
            protectData: settings.protectData,
            // The repositories were compute's children until the registry became its own component.
            formerParent: { name: componentName(settings.stack, "compute"), type: "platform:compute:Compute", images: settings.services.map((svc) => svc.name) },
            // ECR replication keeps repository names: a recovery stack's repositories carry its primary's, so the copies land in them.
            repositoryScope: settings.recovery ? stackScope(settings.recovery.primaryStack) : undefined,
            replicateTo: settings.replicateTo ? { region: settings.replicateTo.region } : undefined,
        },
        componentOpts,
    );

    // Before compute: services that send to a worker's queue get its URL and ARN (README "Architecture", "Where queues live").
    const queues = new Queues(componentName(settings.stack, "queues"), { workers: settings.workers, protectData: settings.protectData }, componentOpts);

    const compute = new Compute(
        componentName(settings.stack, "compute"),
        {
            scope,
            region: settings.region,
            settings: settings.compute,
            services: settings.services,
            domain: settings.domain,
            logRetentionDays: settings.logs.retentionDays,
            // Monitoring (last) creates the alarms under these names; ECS accepts names of alarms that do
            // not exist yet, and alarm rollback only acts on updates (README "Canary and rollback").
            deploymentAlarmNames: Object.fromEntries(publicServices(settings).map((svc) => [svc.name, deploymentAlarmNames(scope, svc.name)])),
            canary: Object.fromEntries(
                canaryServices(settings).map((svc) => {
                    const { percent, canaryBakeMinutes, bakeMinutes } = settings.monitoring.canary;
                    return [svc.name, { percent, canaryBakeMinutes, bakeMinutes, testRulePriority: testRulePriority(svc) }];
                }),
            ),
            tracing: settings.monitoring.tracing,
            network,
            data,
            releases,
            queues,
        },
        componentOpts,
    );

    const workers = new Workers(
        componentName(settings.stack, "workers"),
        {
            scope,
            workers: settings.workers,
            logRetentionDays: settings.logs.retentionDays,
            network,
            data,
            queues,
            releases,
        },
        componentOpts,
    );

    // The internet-facing entry: CloudFront + WAF for the frontend and the public services (README "Edge").
    const edge = new Edge(
        componentName(settings.stack, "edge"),
        {
            scope,
            settings: settings.edge,
            domain: settings.domain,
            services: settings.services,
            // Every stack's data tier has a PostgreSQL database: WAF adds the SQL-injection rules.
            database: true,
            logRetentionDays: settings.logs.retentionDays,
            forceDestroy: settings.storage.forceDestroy,
            protectData: settings.protectData,
            network,
            data,
            compute,
            failover: edgeFailover(settings, primary?.edge),
        },
        componentOpts,
    );

    uploadsCdn?.arn[1](edge.distributionArn);

    const monitoring = new Monitoring(
        componentName(settings.stack, "monitoring"),
        {
            scope,
            region: settings.region,
            settings: settings.monitoring,
            protectData: settings.protectData,
            services: settings.services,
            canaryServices: canaryServices(settings).map((svc) => svc.name),
            database: settings.database,
            databaseIsCrossRegionReplica: isPassiveRecovery(settings),
            cache: settings.cache,
            workers: settings.workers,
            data,
            compute,
            workersHandle: workers,
            queues,
            // CloudFront, WAF (CLOUDFRONT scope) and Route 53 health-check metrics: alarms in us-east-1.
            edge: { distributionId: edge.distributionId, webAclMetricName: edge.webAclMetricName, healthCheckId: edge.healthCheckId },
            network,
        },
        componentOpts,
    );

    return { network, data, releases, queues, compute, workers, edge, monitoring };
}

/** The edge's failover role (README "Failover routing"); a secondary answers for the primary's edge it read. */
function edgeFailover(settings: Settings, primaryEdge: PrimaryHandle["edge"]): EdgeFailoverArgs {
    const role = settings.edge.failover;
    if (role !== "secondary") return { role };
    return { role, primary: primaryEdge!, active: settings.recovery!.active };
}

/** Deployed (released) public services: the ones with deployment alarms. */
function publicServices(settings: Pick<Settings, "services">) {
    return settings.services.filter((svc) => svc.expose === "public" && svc.release !== undefined);
}

/** Distinct container ports of the services with the given exposure. */
export function portsOf(settings: Pick<Settings, "services">, expose: "public" | "internal"): number[] {
    return [...new Set(settings.services.filter((s) => s.expose === expose).map((s) => s.port))].sort((a, b) => a - b);
}
