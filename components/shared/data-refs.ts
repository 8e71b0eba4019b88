/**
 * What a runner of application code (an ECS service, a Lambda worker) is told about the data tier, and
 * the platform environment values built from it: one place, so services and workers follow the same
 * conventions (`DB_*`, `REDIS_*`, `UPLOADS_BUCKET`, `FEATURE_*`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ServiceBucket, ServiceSecret } from "../../config";
import type { DataHandle } from "../data";
import { PORTS } from "./ports";

/** Endpoints and secret ARNs of the data tier (never secret values). */
export interface DataRefs {
    dbHost: pulumi.Input<string>;
    dbPort: pulumi.Input<number>;
    dbName: pulumi.Input<string>;
    dbSecretArn: pulumi.Input<string>;
    cacheHost: pulumi.Input<string>;
    cacheSecretArn: pulumi.Input<string>;
    /** Cache in cluster mode: cacheHost is the configuration endpoint (REDIS_CLUSTER=true tells the client). */
    cacheCluster?: boolean;
    uploadsBucket: pulumi.Input<string>;
}

export function dataRefs(data: DataHandle): DataRefs {
    return {
        dbHost: data.database.endpoint,
        dbPort: data.database.port,
        dbName: data.database.name,
        dbSecretArn: data.database.secretArn,
        cacheHost: data.cache.endpoint,
        cacheSecretArn: data.cache.authSecretArn,
        cacheCluster: data.cache.clusterMode,
        uploadsBucket: data.buckets.uploadsName,
    };
}

export type EnvVar = { name: string; value: pulumi.Input<string> };

/**
 * The data tier's plain values for what a runner uses: connection endpoints, where the (rotated)
 * database credentials are, the cache (TLS), the uploads bucket.
 */
export function dataEnvironment(uses: { secrets: readonly ServiceSecret[]; buckets: readonly ServiceBucket[] }, refs: DataRefs): EnvVar[] {
    const env: EnvVar[] = [];
    if (uses.secrets.includes("database")) {
        env.push(
            { name: "DB_HOST", value: refs.dbHost },
            { name: "DB_PORT", value: pulumi.output(refs.dbPort).apply(String) },
            { name: "DB_NAME", value: refs.dbName },
            { name: "DB_SSLMODE", value: "verify-full" },
            // Not a secret: where the rotated credentials are (tasks re-read them after a rotation;
            // Lambda, which injects no secrets, reads them there). The runner's role may.
            { name: "DB_SECRET_ARN", value: refs.dbSecretArn },
        );
    }
    if (uses.secrets.includes("cache")) {
        env.push({ name: "REDIS_HOST", value: refs.cacheHost }, { name: "REDIS_PORT", value: String(PORTS.redis) }, { name: "REDIS_TLS", value: "true" });
        if (refs.cacheCluster) env.push({ name: "REDIS_CLUSTER", value: "true" });
    }
    if (uses.buckets.includes("uploads")) env.push({ name: "UPLOADS_BUCKET", value: refs.uploadsBucket });
    return env;
}

/** `FEATURE_<NAME>=true|false` per flag. */
export function featureFlagEnvironment(flags: Record<string, boolean>): EnvVar[] {
    return Object.entries(flags).map(([flag, on]) => ({ name: `FEATURE_${flag}`, value: String(on) }));
}
