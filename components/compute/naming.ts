import { createHash } from "node:crypto";

/** ALB and target-group names: at most 32 characters, letters, digits and hyphens (AWS). */
export const LB_NAME_MAX = 32;

/** The stack's load balancer name (config refuses project + stack longer than 32 characters). */
export function loadBalancerName(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/** What a target group's name is derived from: everything whose change replaces the target group. */
export interface TargetGroupIdentity {
    project: string;
    stack: string;
    service: string;
    port: number;
    protocol: string;
    targetType: string;
    vpcId: string;
}

/**
 * A target group name that fits 32 characters and changes whenever the target group must be replaced
 * (port, protocol, target type, VPC). A new name lets Pulumi create the new group before deleting the
 * old one, which the listener rule still uses until it switches over.
 */
export function targetGroupName(id: TargetGroupIdentity): string {
    const { project, stack, service } = id;
    const hash = createHash("sha256")
        .update([project, stack, service, id.port, id.protocol, id.targetType, id.vpcId].join("/"))
        .digest("hex")
        .slice(0, 6);
    const prefix = `${stack}-${service}`.slice(0, LB_NAME_MAX - hash.length - 1).replace(/-+$/, "");
    return `${prefix}-${hash}`;
}

/** ECR repository per stack and image: `<project>/<stack>/<image>`. */
export function repositoryName(project: string, stack: string, image: string): string {
    return `${project}/${stack}/${image}`;
}
