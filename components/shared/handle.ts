/**
 * The one `registerOutputs` rule: every component registers exactly its handle — the typed interface
 * later components and index.ts may use — and nothing else. The key table is a
 * `Record<keyof Handle, true>`, so the compiler refuses a handle field that is not registered.
 */
import * as pulumi from "@pulumi/pulumi";

export function pickHandle<H extends object>(component: H, keys: Record<keyof H, true>): Record<string, unknown> {
    return Object.fromEntries((Object.keys(keys) as (keyof H & string)[]).map((k) => [k, component[k]]));
}

/** One output holding a record of per-key values (per service, per image), typed. */
export function outputRecord<T>(entries: ReadonlyArray<readonly [string, pulumi.Input<T>]>): pulumi.Output<Record<string, T>> {
    return pulumi
        .all(entries.map(([, value]) => pulumi.output(value)))
        .apply((values) => Object.fromEntries(entries.map(([key], i) => [key, values[i] as T])));
}
