import { createHash } from "node:crypto";
import type { ServiceSettings } from "./settings";

/**
 * A public service's listener-rule priority, from its own routes only, so adding or removing another
 * service never renumbers it (ALB refuses two rules with one priority, and an update that swaps
 * priorities would collide mid-flight). Host rules come first (1000-1999), then paths, more specific
 * (longer literal prefix) first (10000-19999); the last two digits come from the name. An explicit
 * `priority` wins; config refuses two services that end up with the same number.
 */
export function rulePriority(svc: Pick<ServiceSettings, "name" | "paths" | "hosts" | "priority">): number {
    if (svc.priority !== undefined) return svc.priority;
    const tiebreak = parseInt(createHash("sha256").update(svc.name).digest("hex").slice(0, 8), 16) % 100;
    if (svc.hosts.length > 0) return 1000 + tiebreak;
    const specificity = Math.min(99, Math.max(0, ...svc.paths.map((p) => p.replace(/\*.*$/, "").length)));
    return 10000 + (99 - specificity) * 100 + tiebreak;
}
