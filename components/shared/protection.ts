import * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for everything that holds data (database, replicas, cache, buckets, keys,
 * secrets, backup vault). With `protectData` (prod) Pulumi refuses to delete or replace them until
 * someone un-protects them in a reviewed change, and removing one from the program leaves it in AWS
 * (`retainOnDelete`). `deleteBeforeReplace` is never set: a replacement that would need it (a fixed
 * name such as the RDS identifier) fails instead of deleting first.
 */
export function statefulOptions(protectData: boolean): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
    return protectData ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Options for what must survive a `pulumi destroy` because backups depend on it (the data key, the
 * backup vault): protected in prod, and retained (left in AWS, dropped from state) wherever backups
 * are kept after deletion.
 */
export function backupOptions(opts: { protectData: boolean; keepOnDestroy: boolean }): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
    return { ...statefulOptions(opts.protectData), ...(opts.keepOnDestroy ? { retainOnDelete: true } : {}) };
}

/** Days Secrets Manager keeps a deleted secret recoverable: 30 (the maximum) when data is protected, 7 otherwise. */
export function secretRecoveryWindowDays(protectData: boolean): number {
    return protectData ? 30 : 7;
}
