import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheSettings } from "../../config";
import { PORTS } from "../shared/ports";
import { secretRecoveryWindowDays, statefulOptions } from "../shared/protection";

export interface CacheArgs {
    settings: CacheSettings;
    privateSubnetIds: pulumi.Input<string[]>;
    dataSecurityGroupId: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    protectData: boolean;
}

export interface Cache {
    group: aws.elasticache.ReplicationGroup;
    /** Secrets Manager secret holding `{ host, port, authToken, tls }` (the token never appears in outputs). */
    authSecret: aws.secretsmanager.Secret;
    /** The secret's ARN, resolving only once it holds a value: a task that reads it earlier fails to start. */
    authSecretArn: pulumi.Output<string>;
}

export const CACHE_PORT = PORTS.redis;
/** AUTH tokens allow only these special characters (ElastiCache AUTH rules). */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/**
 * Cluster mode (Settings.cache.clusterMode): `shards` node groups of 1 primary + `replicasPerShard`
 * replicas, with AWS's default cluster-enabled parameter group for the engine family
 * (`default.valkey8.cluster.on`, `default.redis7.cluster.on`). Automatic failover must be on in cluster
 * mode (Terraform AWS provider: "Must be enabled for Redis (cluster mode enabled) replication groups");
 * Multi-AZ needs a replica in each shard. numCacheClusters conflicts with numNodeGroups, so it is unset.
 */
export function clusterTopology(s: Pick<CacheSettings, "engine" | "engineVersion" | "shards" | "replicasPerShard">) {
    const major = s.engineVersion.split(".")[0];
    return {
        clusterMode: "enabled",
        numNodeGroups: s.shards,
        replicasPerNodeGroup: s.replicasPerShard,
        parameterGroupName: `default.${s.engine}${major}.cluster.on`,
        automaticFailoverEnabled: true,
        multiAzEnabled: s.replicasPerShard >= 1,
    };
}

/** Failover and Multi-AZ need a replica: both follow from the node count. */
export function cacheTopology(nodes: number): { numCacheClusters: number; automaticFailoverEnabled: boolean; multiAzEnabled: boolean } {
    const replicated = nodes >= 2;
    return { numCacheClusters: nodes, automaticFailoverEnabled: replicated, multiAzEnabled: replicated };
}

/**
 * The address clients connect to: the configuration endpoint in cluster mode (a cluster-aware client
 * discovers the shards there; the primary endpoint does not exist then), else the primary endpoint.
 */
export function cacheEndpoint(group: aws.elasticache.ReplicationGroup, clusterMode: boolean): pulumi.Output<string> {
    return clusterMode ? group.configurationEndpointAddress : group.primaryEndpointAddress;
}

/**
 * ElastiCache (Valkey or Redis OSS, cluster mode off or on) in private subnets, reachable from the app tier
 * only, encrypted at rest with the data key and in transit (TLS required), with a generated AUTH
 * token kept in Secrets Manager.
 */
export function createCache(name: string, args: CacheArgs, parent: pulumi.Resource): Cache {
    const s = args.settings;
    const stateful = { parent, ...statefulOptions(args.protectData) };

    const subnetGroup = new aws.elasticache.SubnetGroup(
        `${name}-cache`,
        { description: `${name}: private subnets for the cache`, subnetIds: args.privateSubnetIds },
        { parent },
    );
    const token = new random.RandomPassword(
        `${name}-cache-auth`,
        { length: 48, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minSpecial: 0 },
        { parent },
    );
    const finalSnapshot = args.protectData
        ? new random.RandomId(`${name}-cache-final-snapshot`, { byteLength: 4 }, { parent }).hex.apply((h) => `${name}-cache-final-${h}`)
        : undefined;

    const group = new aws.elasticache.ReplicationGroup(
        `${name}-cache`,
        {
            description: `${name}: ${s.engine} ${s.engineVersion}`,
            engine: s.engine,
            engineVersion: s.engineVersion,
            nodeType: s.nodeType,
            port: CACHE_PORT,
            ...(s.clusterMode ? clusterTopology(s) : cacheTopology(s.nodes)),
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [args.dataSecurityGroupId],
            atRestEncryptionEnabled: true,
            kmsKeyId: args.dataKeyArn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: token.result,
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: s.snapshotRetentionDays,
            snapshotWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            // Otherwise every change waits for the maintenance window (prod: false, changes wait).
            applyImmediately: s.applyImmediately,
            finalSnapshotIdentifier: finalSnapshot,
        },
        stateful,
    );

    const authSecret = new aws.secretsmanager.Secret(
        `${name}-cache-auth`,
        {
            description: `${name}: cache endpoint and AUTH token`,
            kmsKeyId: args.dataKeyArn,
            recoveryWindowInDays: secretRecoveryWindowDays(args.protectData),
        },
        stateful,
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-cache-auth`,
        {
            secretId: authSecret.id,
            secretString: pulumi.jsonStringify({ host: cacheEndpoint(group, s.clusterMode), port: CACHE_PORT, authToken: token.result, tls: true, cluster: s.clusterMode }),
        },
        { parent },
    );
    return { group, authSecret, authSecretArn: pulumi.all([authSecret.arn, version.id]).apply(([arn]) => arn) };
}
