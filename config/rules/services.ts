/** Compute and service rules for every tier: task bounds, sizes, routes, environment, commands. */
import type { ConfigIssue } from "../errors";
import { rulePriority } from "../routing";
import type { RawService } from "../schema";
import { SECRET_LIKE_NAME, secretLikeValue } from "../secrets";
import { FARGATE_SIZES, ServiceSettings, Settings } from "../settings";
import { anyInvalid, check, fixCommand, refuse, RuleContext } from "./context";

/**
 * Listener-rule limits (ALB guide, "Condition types for listener rules" and "Quotas for your
 * Application Load Balancers", checked 2026-11-30): up to 3 match evaluations per condition, up to 5
 * per rule (condition values per rule: 5), up to 5 wildcards per rule. A service's rule has one
 * path-pattern condition (its paths) and one host-header condition (its hosts).
 */
export const ALB_RULE_LIMITS = { valuesPerCondition: 3, valuesPerRule: 5, wildcardsPerRule: 5 } as const;

/** Environment names the platform sets itself; a service's `environment` may not shadow them. */
export const RESERVED_ENV = /^(DB_|REDIS_|UPLOADS_|FEATURE_|AWS_|ECS_)/;

export function serviceRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    issues.push(
        ...check(ctx, s.compute.defaultMinTasks <= s.compute.defaultMaxTasks, "compute.defaultMaxTasks", s.compute.defaultMaxTasks, `at least compute.defaultMinTasks (${s.compute.defaultMinTasks})`, String(s.compute.defaultMinTasks), [
            "compute.defaultMaxTasks",
            "compute.defaultMinTasks",
        ]),
    );
    const bad = (...keys: string[]) => anyInvalid(ctx, ...keys);
    const add = (key: string, value: unknown, allowed: string, example: string, deps: string[] = [key]) => {
        issues.push(...refuse(ctx, key, value, allowed, example, deps));
    };
    const hiddenSecret = (key: string, allowed: string, fix: string) => {
        if (!bad(key)) issues.push({ key, value: "(hidden)", allowed, fix });
    };

    const seenPaths = new Map<string, string>();
    const seenPriorities = new Map<number, string>();
    for (const svc of s.services) {
        const k = (field: string) => `services.${svc.name}.${field}`;
        const rawSvc: Partial<RawService> = ctx.raw.services?.[svc.name] ?? {};
        const memories = FARGATE_SIZES[svc.cpu] ?? [];
        if (!memories.includes(svc.memory)) {
            const range = memories.length > 3 ? `${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}` : memories.join(", ");
            add(k("memory"), svc.memory, `for cpu ${svc.cpu}: ${range} (MiB)`, String(memories[0]), [k("memory"), k("cpu")]);
        }
        if (svc.minTasks > svc.maxTasks) add(k("maxTasks"), svc.maxTasks, `at least minTasks (${svc.minTasks})`, String(svc.minTasks), [k("maxTasks"), k("minTasks"), "compute"]);
        // Bounds from compute.defaultMinTasks are checked there (prod.ts); a service's own minTasks here.
        if (s.tier === "prod" && rawSvc.minTasks !== undefined && svc.minTasks < 2) add(k("minTasks"), svc.minTasks, "2 or more in prod (tasks spread over AZs)", "2");
        const routeDeps = [k("paths"), k("hosts"), k("expose")];
        if (svc.expose === "public" && svc.paths.length + svc.hosts.length === 0) {
            add(k("paths"), svc.paths, "at least one path pattern or host for a public service", '/api/*', routeDeps);
        }
        if (svc.expose === "internal" && svc.paths.length + svc.hosts.length > 0) {
            issues.push(...(bad(...routeDeps) ? [] : [{
                key: k("paths"),
                value: [...svc.paths, ...svc.hosts],
                allowed: "none for an internal service (it is not behind the load balancer)",
                fix: `remove them (pulumi config rm --path '${k("paths")}' and '${k("hosts")}' --stack ${ctx.stack})`,
            }]));
        }
        if (svc.expose === "public" && !bad(...routeDeps, k("priority"))) {
            const priority = rulePriority(svc);
            const other = seenPriorities.get(priority);
            if (other) add(k("priority"), svc.priority, `a listener-rule priority other than ${priority}, which ${other} has`, String(priority + 1));
            seenPriorities.set(priority, svc.name);
        }
        issues.push(...routeLimitIssues(svc, ctx.stack, bad));
        for (const path of svc.paths) {
            const other = seenPaths.get(path);
            if (other && !bad(k("paths"))) add(k("paths"), path, `a path no other service routes (${other} has it)`, "/other/*");
            seenPaths.set(path, svc.name);
        }
        // The certificate covers exactly domain.name; another host would fail TLS (or, without a
        // domain, has no certificate at all). allowForeignHosts says the mismatch is known.
        if (rawSvc.allowForeignHosts !== true && !bad(k("hosts"), k("allowForeignHosts"), "domain")) {
            const domainName = ctx.raw.domain?.name;
            const foreign = svc.hosts.filter((h) => h !== domainName);
            if (foreign.length > 0) {
                issues.push({
                    key: k("hosts"),
                    value: foreign,
                    allowed: domainName
                        ? `only ${domainName}, the name the stack's certificate covers (domain.name)`
                        : "none without platform:domain (there is no certificate for any host)",
                    fix: `route by path instead, or set ${k("allowForeignHosts")}: pulumi config set --path '${k("allowForeignHosts")}' true --stack ${ctx.stack} (then serve those names with a certificate of your own)`,
                });
            }
        }
        for (const [name, value] of Object.entries(svc.environment)) {
            const key = k(`environment.${name}`);
            if (RESERVED_ENV.test(name)) {
                issues.push({ key, value, allowed: "a name not starting with DB_, REDIS_, UPLOADS_, FEATURE_, AWS_ or ECS_ (set by the platform)", fix: `rename or remove it (pulumi config rm --path '${key}' --stack ${ctx.stack})` });
            } else if (SECRET_LIKE_NAME.test(name)) {
                hiddenSecret(key, "no secret-looking names in plain environment values", "store it in Secrets Manager and reference it from the service's secrets");
            } else {
                const kind = secretLikeValue(value);
                if (kind) hiddenSecret(key, `no secrets in plain environment values (this looks like ${kind})`, "store it in Secrets Manager, reference it from the service's secrets, and rotate it (it was in the stack file)");
            }
        }
        for (const field of ["command", "migrationCommand"] as const) {
            const kind = (svc[field] ?? []).map(secretLikeValue).find((x) => x !== undefined);
            if (kind) hiddenSecret(k(field), `no secrets in a command line (this looks like ${kind})`, "read it from a secret the service is given (secrets: database/cache) and rotate it");
        }
        if (svc.migrationCommand && !svc.secrets.includes("database")) {
            if (!bad(k("secrets"), k("migrationCommand"))) {
                // Appends "database" to the list the stack file has (the next free index).
                const next = `${k("secrets")}[${rawSvc.secrets?.length ?? 0}]`;
                issues.push({ key: k("secrets"), value: svc.secrets, allowed: 'must include "database" when migrationCommand is set', fix: fixCommand(ctx.stack, next, "database") });
            }
        }
    }
    return issues;
}

/** One listener rule per public service: its paths and hosts must fit the ALB's condition limits. */
function routeLimitIssues(svc: ServiceSettings, stack: string, bad: (...keys: string[]) => boolean): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const k = (field: string) => `services.${svc.name}.${field}`;
    const { valuesPerCondition, valuesPerRule, wildcardsPerRule } = ALB_RULE_LIMITS;
    const edit = `split the routes over two services, or use fewer, broader patterns (edit ${k("paths")} / ${k("hosts")} in Pulumi.${stack}.yaml)`;
    for (const field of ["paths", "hosts"] as const) {
        if (svc[field].length > valuesPerCondition && !bad(k(field))) {
            issues.push({ key: k(field), value: svc[field], allowed: `at most ${valuesPerCondition} (ALB: match evaluations per condition)`, fix: edit });
        }
    }
    if (bad(k("paths"), k("hosts"))) return issues;
    const values = [...svc.paths, ...svc.hosts];
    if (values.length > valuesPerRule) {
        issues.push({ key: k("paths"), value: values, allowed: `at most ${valuesPerRule} paths and hosts together (ALB: condition values per rule)`, fix: edit });
    }
    const wildcards = values.join("").replace(/[^*?]/g, "").length;
    if (wildcards > wildcardsPerRule) {
        issues.push({ key: k("paths"), value: values, allowed: `at most ${wildcardsPerRule} wildcards (* and ?) over all paths and hosts (ALB: condition wildcards per rule); this has ${wildcards}`, fix: edit });
    }
    return issues;
}
