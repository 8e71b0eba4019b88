/**
 * Monitoring rules (platform:monitoring). The schema already refuses negative thresholds, shares above
 * 100 %, malformed emails and HTTPS endpoints and a canary percentage outside ECS's 0.1-100; here:
 * a warning level above its critical level, a warning level the stack file sets while warning levels
 * are off (it would be dropped silently), canary services that are not public services of the stack,
 * and a canary whose test listener rule (priority = production priority − 1) would collide.
 */
import { rulePriority } from "../routing";
import type { ConfigIssue } from "../errors";
import type { MonitoringThresholds, ServiceSettings, Settings } from "../settings";
import { anyInvalid, fixCommand, refuse, RuleContext } from "./context";

export function monitoringRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const m = s.monitoring;
    const issues: ConfigIssue[] = [];
    const dropped = droppedWarnings(s, ctx);
    issues.push(...dropped);
    for (const [signal, levels] of Object.entries(m.thresholds) as [keyof MonitoringThresholds, { warning: number; critical: number }][]) {
        if (levels.warning <= levels.critical) continue;
        if (dropped.some((i) => i.key === `monitoring.thresholds.${signal}.warning`)) continue; // one problem per key: no warning alarm is created at all
        const key = `monitoring.thresholds.${signal}.warning`;
        issues.push(
            ...refuse(ctx, key, levels.warning, `at most the critical level (${levels.critical}): a warning comes before the page`, String(levels.critical), [
                key,
                `monitoring.thresholds.${signal}.critical`,
            ]),
        );
    }
    const publicServices = s.services.filter((svc) => svc.expose === "public");
    for (const [i, name] of m.canary.services.entries()) {
        if (publicServices.some((svc) => svc.name === name)) continue;
        issues.push(
            ...refuse(ctx, `monitoring.canary.services[${i}]`, name, `a public service of this stack (${publicServices.map((svc) => svc.name).join(", ") || "none"})`, publicServices[0]?.name ?? "api"),
        );
    }
    for (const svc of canaryServices(s)) {
        const taken = testRuleCollision(svc, publicServices);
        if (taken === undefined) continue;
        const key = `services.${svc.name}.priority`;
        issues.push(...refuse(ctx, key, rulePriority(svc), `a priority whose predecessor is free: the canary's test listener rule takes priority − 1 (${taken})`, String(rulePriority(svc) + 2), [key]));
    }
    return issues;
}

/**
 * Warning levels the stack file sets (`monitoring.thresholds.<signal>.warning`) while
 * `monitoring.warningLevels` is false (the dev tier's default, or set so): no warning alarm would be
 * created, so the value would be dropped without a word. Only keys the stack file sets count; the
 * tier's default warning levels are not the person's.
 */
export function droppedWarnings(s: Settings, ctx: RuleContext): ConfigIssue[] {
    if (s.monitoring.warningLevels || anyInvalid(ctx, "monitoring.warningLevels")) return [];
    const origin = ctx.raw.monitoring?.warningLevels === false ? "monitoring.warningLevels is false" : `monitoring.warningLevels is false (the ${s.tier} tier's default)`;
    return Object.entries(ctx.raw.monitoring?.thresholds ?? {}).flatMap(([signal, levels]) => {
        const key = `monitoring.thresholds.${signal}.warning`;
        if (levels?.warning === undefined || anyInvalid(ctx, key)) return [];
        return [
            {
                key,
                value: levels.warning,
                allowed: `no warning level while ${origin}: no warning alarm is created, so this value would be ignored`,
                fix: `${fixCommand(ctx.stack, "monitoring.warningLevels", "true")} to create warning alarms, or remove the threshold (pulumi config rm --path '${key}' --stack ${ctx.stack})`,
            },
        ];
    });
}

/** The public services that deploy as ECS canaries: the listed ones, or every public service when the list is empty. */
export function canaryServices(s: Pick<Settings, "services" | "monitoring">): ServiceSettings[] {
    const c = s.monitoring.canary;
    if (!c.enabled) return [];
    return s.services.filter((svc) => svc.expose === "public" && (c.services.length === 0 || c.services.includes(svc.name)));
}

/** Listener-rule priority of a canary service's test rule: just before its production rule, so test traffic (with the test header) matches first. */
export function testRulePriority(svc: Pick<ServiceSettings, "name" | "paths" | "hosts" | "priority">): number {
    return rulePriority(svc) - 1;
}

/** Why the test rule's priority is unusable (0, or another service's rule holds it), or undefined. */
function testRuleCollision(svc: ServiceSettings, publics: ServiceSettings[]): string | undefined {
    const p = testRulePriority(svc);
    if (p < 1) return "priority 0 does not exist";
    const other = publics.find((o) => o.name !== svc.name && rulePriority(o) === p);
    return other ? `priority ${p} is service ${other.name}'s rule` : undefined;
}
