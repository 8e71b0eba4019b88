/**
 * What a recovery stack reads from its primary (README "Disaster recovery"): the primary stack's
 * outputs through a StackReference, never hard-coded ARNs. The primary exports them in index.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecoverySettings } from "../../config";
import type { PrimaryEdge } from "../edge/failover";
import { componentName } from "../naming";

/** The primary stack's outputs a recovery stack uses (names as the primary's index.ts exports them). */
export const PRIMARY_OUTPUTS = ["dbArn", "region", "failover"] as const;

export interface PrimaryHandle {
    /** ARN of the primary's database: the source of this stack's cross-region replica. */
    dbArn: pulumi.Output<string>;
    /** The primary's region, as it deployed (checked against recovery.primaryRegion). */
    region: pulumi.Output<string>;
    /** The primary's edge (its `failover` output), read only when this stack's edge is its failover secondary. */
    edge?: pulumi.Output<PrimaryEdge>;
}

/** The primary's outputs; a missing one fails the preview, naming the output and the stack. */
export function readPrimary(stack: string, recovery: RecoverySettings, opts: pulumi.CustomResourceOptions = {}, read: { edge?: boolean } = {}): PrimaryHandle {
    const ref = new pulumi.StackReference(componentName(stack, "primary"), { name: recovery.primaryStack }, opts);
    const region = ref.requireOutput("region").apply((r) => {
        if (r !== recovery.primaryRegion) {
            throw new Error(`platform:recovery.primaryRegion is ${recovery.primaryRegion}, but ${recovery.primaryStack} deployed to ${r}: set recovery.primaryRegion to ${r}`);
        }
        return r as string;
    });
    // The replica's source resolves only once the primary's region agreed with the config.
    const dbArn = pulumi.all([ref.requireOutput("dbArn"), region]).apply(([arn]) => arn as string);
    if (!read.edge) return { dbArn, region };
    const edge = ref.requireOutput("failover").apply((f) => {
        const p = f as PrimaryEdge;
        if (p?.role !== "primary") {
            throw new Error(`platform:edge.failover is secondary, but ${recovery.primaryStack} exports failover.role ${p?.role}: set platform:edge.failover to primary on the primary (README "Failover routing")`);
        }
        return p;
    });
    return { dbArn, region, edge };
}
