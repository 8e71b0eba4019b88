import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../config";
import { Data } from "./data";
import { Network } from "./network";
import { createProvider } from "./provider";

export interface Platform {
    network: Network;
    data: Data;
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
            namePrefix: base,
            privateSubnetIds: network.privateSubnetIds,
            dataSecurityGroupId: network.dataSecurityGroupId,
        },
        componentOpts,
    );

    return { network, data };
}
