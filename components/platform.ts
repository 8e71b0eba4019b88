import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config";
import { Compute } from "./compute";
import { Data } from "./data";
import { Network } from "./network";
import { createProvider } from "./provider";

export interface Platform {
    network: Network;
    data: Data;
    compute: Compute;
}

/**
 * Settings → components, in data-flow order: network → data → compute → edge → monitoring.
 * `opts` is for tests and tools (e.g. legacy `transformations` that record resource options);
 * the program itself passes nothing.
 */
export function createPlatform(settings: Settings, opts: pulumi.ComponentResourceOptions = {}): Platform {
    const provider = createProvider(settings);
    const componentOpts: pulumi.ComponentResourceOptions = { ...opts, providers: { aws: provider } };
    const base = settings.stack;

    const network = new Network(
        `${base}-network`,
        {
            cidr: settings.network.cidr,
            azCount: settings.network.azCount,
            natGateways: settings.network.natGateways,
            region: settings.region,
            logRetentionDays: settings.logs.retentionDays,
            appPorts: portsOf(settings, "public"),
            internalPorts: portsOf(settings, "internal"),
        },
        componentOpts,
    );

    const data = new Data(
        `${base}-data`,
        {
            region: settings.region,
            database: settings.database,
            cache: settings.cache,
            storage: settings.storage,
            backup: settings.backup,
            logRetentionDays: settings.logs.retentionDays,
            protectData: settings.protectData,
            namePrefix: `${settings.project}-${base}`,
            privateSubnetIds: network.privateSubnetIds,
            dataSecurityGroupId: network.dataSecurityGroupId,
            appSecurityGroupId: network.appSecurityGroupId,
        },
        componentOpts,
    );

    const compute = new Compute(
        `${base}-compute`,
        {
            project: settings.project,
            stack: settings.stack,
            region: settings.region,
            settings: settings.compute,
            services: settings.services,
            release: settings.release,
            domain: settings.domain,
            logRetentionDays: settings.logs.retentionDays,
            forceDeleteRepositories: settings.storage.forceDestroy,
            // Monitoring (a later component) supplies the alarms that roll a deployment back.
            deploymentAlarmNames: {},
            network: {
                vpcId: network.vpcId,
                publicSubnetIds: network.publicSubnetIds,
                privateSubnetIds: network.privateSubnetIds,
                loadBalancerSecurityGroupId: network.loadBalancerSecurityGroupId,
                appSecurityGroupId: network.appSecurityGroupId,
            },
            data: {
                dataKeyArn: data.dataKeyArn,
                logsKeyArn: data.logsKeyArn,
                logsBucketReadyName: data.logsBucketReadyName,
                dbEndpoint: data.dbEndpoint,
                dbPort: data.dbPort,
                dbName: data.dbName,
                dbSecretArn: data.dbSecretArn,
                cacheEndpoint: data.cacheEndpoint,
                cacheAuthSecretArn: data.cacheAuthSecretArn,
                uploadsBucketName: data.uploadsBucketName,
                uploadsBucketArn: data.uploadsBucketArn,
            },
        },
        componentOpts,
    );

    return { network, data, compute };
}

/** Distinct container ports of the services with the given exposure. */
export function portsOf(settings: Pick<Settings, "services">, expose: "public" | "internal"): number[] {
    return [...new Set(settings.services.filter((s) => s.expose === expose).map((s) => s.port))].sort((a, b) => a - b);
}
