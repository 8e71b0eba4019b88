/**
 * Worker rules (platform:workers): trigger fields that belong to the trigger type, the queue's
 * visibility timeout against the function timeout, the VPC for data-tier secrets, the alias model
 * (rollbackTo xor canary), names shared with services, and services' `queues` naming queue workers.
 */
import type { ConfigIssue } from "../errors";
import { VISIBILITY_TIMEOUT_FACTOR } from "../merge";
import type { RawWorker } from "../schema";
import type { Settings, WorkerTriggerType } from "../settings";
import { RESERVED_ENV } from "./services";
import { refuse, RuleContext } from "./context";

/** The trigger fields each trigger type owns; a field of another type is refused. */
const TRIGGER_FIELDS: Record<WorkerTriggerType, readonly string[]> = {
    queue: ["batchSize", "maxBatchingWindowSeconds", "maxConcurrency", "maxReceiveCount", "visibilityTimeoutSeconds"],
    http: ["routes", "throttle"],
    schedule: ["expression", "timezone", "maxRetryAttempts", "maxEventAgeSeconds"],
};

export function workerRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const services = new Set(s.services.map((svc) => svc.name));
    for (const w of s.workers) {
        const k = (field: string) => `workers.${w.name}.${field}`;
        const raw: Partial<RawWorker> = ctx.raw.workers?.[w.name] ?? {};
        const rawTrigger: Record<string, unknown> = raw.trigger ?? {};
        const add = (key: string, value: unknown, allowed: string, example: string, deps: string[] = [key]) => issues.push(...refuse(ctx, key, value, allowed, example, deps));
        const rm = (key: string, value: unknown, allowed: string) => issues.push({ key, value, allowed, fix: `remove it (pulumi config rm --path '${key}' --stack ${ctx.stack})` });

        if (services.has(w.name)) {
            issues.push({ key: `workers.${w.name}`, value: w.name, allowed: `a name no service has (services and workers share the image names and the release block)`, fix: `rename the worker in Pulumi.${ctx.stack}.yaml` });
        }
        if (raw.trigger !== undefined && rawTrigger.type !== undefined) {
            for (const [type, fields] of Object.entries(TRIGGER_FIELDS)) {
                if (type === w.trigger.type) continue;
                for (const field of fields) {
                    if (rawTrigger[field] !== undefined) rm(k(`trigger.${field}`), rawTrigger[field], `only for ${type} triggers (this worker's trigger is ${w.trigger.type})`);
                }
            }
        }
        const t = w.trigger;
        if (t.type === "queue") {
            const min = VISIBILITY_TIMEOUT_FACTOR * w.timeoutSeconds;
            if (rawTrigger.visibilityTimeoutSeconds !== undefined && t.visibilityTimeoutSeconds < min) {
                add(k("trigger.visibilityTimeoutSeconds"), t.visibilityTimeoutSeconds, `at least ${VISIBILITY_TIMEOUT_FACTOR} × timeoutSeconds (${min}), so a message is not redelivered while a retry still runs`, String(min), [
                    k("trigger.visibilityTimeoutSeconds"),
                    k("timeoutSeconds"),
                ]);
            }
            if (t.batchSize > 10 && t.maxBatchingWindowSeconds < 1) {
                add(k("trigger.maxBatchingWindowSeconds"), t.maxBatchingWindowSeconds, "at least 1 when batchSize is over 10 (Lambda CreateEventSourceMapping for SQS)", "1", [
                    k("trigger.maxBatchingWindowSeconds"),
                    k("trigger.batchSize"),
                ]);
            }
        } else if (t.type === "schedule") {
            if (rawTrigger.expression === undefined) {
                add(k("trigger.expression"), undefined, "an EventBridge Scheduler expression for a schedule worker, e.g. rate(5 minutes) or cron(0 3 * * ? *)", "rate(1 day)");
            }
        } else if (t.routes.length === 0) {
            add(k("trigger.routes"), t.routes, 'at least one route for an http worker, e.g. "ANY /{proxy+}"', "ANY /{proxy+}");
        } else {
            const seen = new Set<string>();
            for (const route of t.routes) {
                if (seen.has(route)) rm(k("trigger.routes"), route, "each route once");
                seen.add(route);
            }
        }
        const dataSecrets = w.secrets.filter((x) => x === "database" || x === "cache");
        if (dataSecrets.length > 0 && !w.vpc) {
            add(k("vpc"), raw.vpc ?? false, `true when the worker uses ${dataSecrets.join(" and ")} (reachable only from the private subnets)`, "true", [k("vpc"), k("secrets")]);
        }
        if (w.rollbackTo !== undefined && w.canary !== undefined) {
            rm(k("canary"), w.canary, `no canary while rollbackTo pins the alias (${w.rollbackTo}); finish the rollback first`);
        }
        if (w.provisionedConcurrency > 0 && w.reservedConcurrency !== undefined && w.provisionedConcurrency > w.reservedConcurrency) {
            add(k("provisionedConcurrency"), w.provisionedConcurrency, `at most reservedConcurrency (${w.reservedConcurrency})`, String(w.reservedConcurrency), [k("provisionedConcurrency"), k("reservedConcurrency")]);
        }
        for (const name of Object.keys(w.environment)) {
            if (RESERVED_ENV.test(name) || name === "RELEASE_TAG" || name.startsWith("QUEUE_")) {
                rm(k(`environment.${name}`), w.environment[name], "a name not starting with DB_, REDIS_, UPLOADS_, FEATURE_, AWS_, ECS_ or QUEUE_, nor RELEASE_TAG (set by the platform)");
            }
        }
    }
    // Services' `queues`: the queue workers of this stack.
    if (ctx.invalid.includes("workers")) return issues;
    const queues = s.workers.filter((w) => w.trigger.type === "queue").map((w) => w.name);
    for (const svc of s.services) {
        svc.queues.forEach((q, i) => {
            const key = `services.${svc.name}.queues[${i}]`;
            if (queues.includes(q)) return;
            issues.push({
                key,
                value: q,
                allowed: queues.length > 0 ? `the name of a queue worker of this stack: ${queues.join(", ")}` : "the name of a queue worker of this stack (none: no queues exist in this stack yet)",
                fix: queues.length > 0 ? `pulumi config set --path '${key}' ${queues[0]} --stack ${ctx.stack}` : `declare a queue worker under platform:workers, or remove it (pulumi config rm --path '${key}' --stack ${ctx.stack})`,
            });
        });
    }
    return issues;
}
