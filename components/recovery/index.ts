/**
 * What a recovery stack reads from its primary (README "Disaster recovery"): the primary stack's
 * outputs through a StackReference, never hard-coded ARNs. The primary exports them in index.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecoverySettings } from "../../config";
import { componentName } from "../naming";

/** The primary stack's outputs a recovery stack uses (names as the primary's index.ts exports them). */
export const PRIMARY_OUTPUTS = ["dbArn", "region"] as const;

export interface PrimaryHandle {
    /** ARN of the primary's database: the source of this stack's cross-region replica. */
    dbArn: pulumi.Output<string>;
    /** The primary's region, as it deployed (checked against recovery.primaryRegion). */
    region: pulumi.Output<string>;
}

/** The primary's outputs; a missing one fails the preview, naming the output and the stack. */
export function readPrimary(stack: string, recovery: RecoverySettings, opts: pulumi.CustomResourceOptions = {}): PrimaryHandle {
    const ref = new pulumi.StackReference(componentName(stack, "primary"), { name: recovery.primaryStack }, opts);
    const region = ref.requireOutput("region").apply((r) => {
        if (r !== recovery.primaryRegion) {
            throw new Error(`platform:recovery.primaryRegion is ${recovery.primaryRegion}, but ${recovery.primaryStack} deployed to ${r}: set recovery.primaryRegion to ${r}`);
        }
        return r as string;
    });
    // The replica's source resolves only once the primary's region agreed with the config.
    const dbArn = pulumi.all([ref.requireOutput("dbArn"), region]).apply(([arn]) => arn as string);
    return { dbArn, region };
}
