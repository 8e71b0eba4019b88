import { createHash } from "node:crypto";
import type { ServiceSettings } from "../../config";

/** ALB and target-group names: at most 32 characters, letters, digits and hyphens (AWS). */
export const LB_NAME_MAX = 32;

/** The stack's load balancer name (config refuses project + stack longer than 32 characters). */
export function loadBalancerName(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/**
 * A target group name that fits 32 characters and changes when the port does. A port change replaces
 * the target group; a new name lets Pulumi create the new one before deleting the old one, which the
 * listener still uses until the rule switches over.
 */
export function targetGroupName(stack: string, service: string, port: number): string {
    const hash = createHash("sha256").update(`${stack}/${service}/${port}`).digest("hex").slice(0, 6);
    const prefix = `${stack}-${service}`.slice(0, LB_NAME_MAX - hash.length - 1).replace(/-+$/, "");
    return `${prefix}-${hash}`;
}

/** ECR repository per stack and image: `<project>/<stack>/<image>`. */
export function repositoryName(project: string, stack: string, image: string): string {
    return `${project}/${stack}/${image}`;
}

/**
 * Listener-rule priorities for public services: more specific routes first (longest pattern), then by
 * name, 10 apart so a rule can be slotted in by hand during an incident.
 */
export function rulePriorities(services: Pick<ServiceSettings, "name" | "paths" | "hosts">[]): Map<string, number> {
    const specificity = (s: Pick<ServiceSettings, "paths" | "hosts">) =>
        Math.max(0, ...s.paths.map((p) => p.replace(/\*/g, "").length), ...s.hosts.map((h) => 100 + h.length));
    const ordered = [...services].sort((a, b) => specificity(b) - specificity(a) || a.name.localeCompare(b.name));
    return new Map(ordered.map((s, i) => [s.name, (i + 1) * 10]));
}
