/**
 * Disaster recovery (README "Disaster recovery"): what a recovery stack must say, and the one table of
 * prod invariants its role relaxes while it is passive (the pilot light). The role — never the stack
 * name — decides: a stack with `recovery.role: recovery` is the pilot light of `recovery.primaryStack`.
 */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/** One prod invariant the recovery role relaxes: what it is while passive, while active, and why. */
export interface RecoveryRelaxation {
    /** The setting relaxed, as README "Disaster recovery" names it. */
    what: string;
    passive: string;
    active: string;
    reason: string;
    /** The stack's settings as deployed in the current state (passive relaxes; active restores the stack file's). */
    apply: (s: Settings, passive: boolean) => Settings;
}

export const RECOVERY_RELAXATIONS: readonly RecoveryRelaxation[] = [
    {
        what: "services' task counts (minTasks/maxTasks)",
        passive: "recovery.passiveTasks (default 0)",
        active: "the stack file's bounds (prod's)",
        reason: "pilot light: services are defined (task definitions, target groups, scaling) but run no tasks until failover; App Auto Scaling scales out to minTasks when the bounds are raised",
        apply: (s, passive) => (passive ? { ...s, services: s.services.map((svc) => ({ ...svc, minTasks: s.recovery!.passiveTasks, maxTasks: s.recovery!.passiveTasks })) } : s),
    },
    {
        what: "edge.healthCheck (Route 53 health check on /health and its critical alarm)",
        passive: "off",
        active: "the stack file's (prod tier: on)",
        reason: "with no task running the internal load balancer answers 503: a health check on the passive site would fail every 30 s and page on-call for as long as the pilot light exists",
        apply: (s, passive) => (passive ? { ...s, edge: { ...s.edge, healthCheck: false } } : s),
    },
    {
        what: "workers: schedules and provisioned concurrency",
        passive: "schedules DISABLED, provisionedConcurrency 0",
        active: "the stack file's (schedules enabled; prod's http workers keep 1 warm)",
        reason: "a scheduled job (cleanup) would write to a read-only replica every night and fail; warm functions serve no traffic while passive. Queue and http workers stay: nothing sends to them until failover",
        apply: (s, passive) =>
            passive
                ? { ...s, workers: s.workers.map((w) => ({ ...w, provisionedConcurrency: 0, trigger: w.trigger.type === "schedule" ? { ...w.trigger, paused: true } : w.trigger })) }
                : s,
    },
    {
        what: "cache.nodes",
        passive: "1 (no replica)",
        active: "cache.nodes (prod: 2, automatic failover)",
        reason: "the cache is rebuilt, not replicated (it holds only values recomputed from the database); adding the replica on failover is an in-place change of the replication group",
        apply: (s, passive) => (passive ? { ...s, cache: { ...s.cache, nodes: 1 } } : s),
    },
    {
        what: "database.readReplicas",
        passive: "0",
        active: "database.readReplicas (prod: 1)",
        reason: "nothing reads while passive; a replica of the replica would double the pilot light's database cost. The same-region replica is created after promotion (from the promoted primary)",
        apply: (s, passive) => (passive ? { ...s, database: { ...s.database, readReplicas: 0 } } : s),
    },
    {
        what: "database backups (AWS Backup plan, automated backups, backup.copyToRegion)",
        passive: "none on the replica",
        active: "database.backupRetentionDays and the AWS Backup plan of the promoted primary; no cross-region copy",
        reason: "RDS for PostgreSQL read replicas have no automated backups (RDS user guide, USER_ReadRepl: replica feature table), and the primary's backups are already copied here; after failover the primary's region is the one that failed, so a copy there is no second copy",
        apply: (s, passive) => ({ ...s, backup: { ...s.backup, copyToRegion: "" }, database: passive ? { ...s.database, backupRetentionDays: 0 } : s.database }),
    },
];

/** A recovery stack that has not failed over: its database is a replica, its services idle (the pilot light). */
export function isPassiveRecovery(s: Pick<Settings, "recovery">): boolean {
    return s.recovery !== undefined && !s.recovery.active;
}

/** The settings a recovery stack deploys in its current state (the table above, in order); other stacks unchanged. */
export function recoveryState(s: Settings): Settings {
    if (s.recovery === undefined) return s;
    const passive = isPassiveRecovery(s);
    return RECOVERY_RELAXATIONS.reduce((acc, r) => r.apply(acc, passive), s);
}

/** A recovery stack names its primary, lives in another region, and is active only as a replica's promotion. */
export function recoveryRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const r = s.recovery;
    // Pulumi.yaml's default is {}: any field without a role is a recovery block that does nothing.
    const fields = Object.keys(ctx.raw.recovery ?? {});
    if (r === undefined) return fields.length === 0 ? [] : check(ctx, false, "recovery.role", "(not set)", `recovery when this stack is a primary's recovery stack (recovery.${fields[0]} is set); otherwise remove platform:recovery`, "recovery");
    return [
        ...check(ctx, r.primaryStack !== "", "recovery.primaryStack", "(not set)", "the primary's fully qualified stack name <organization>/<project>/<stack>: the recovery stack reads its outputs (database ARN, keys, buckets)", "acme/platform/prod"),
        ...check(ctx, r.primaryRegion !== "", "recovery.primaryRegion", "(not set)", "the primary stack's region (its platform:region)", "us-east-1"),
        ...check(ctx, r.primaryRegion === "" || r.primaryRegion !== s.region, "region", s.region, `a region other than the primary's (${r.primaryRegion}): a recovery stack in the primary's region fails with it`, r.primaryRegion === "us-west-2" ? "us-east-2" : "us-west-2", ["region", "recovery.primaryRegion"]),
        // Promotion needs something to promote: the replica of the primary's database.
        ...check(ctx, !r.active || r.primaryStack !== "", "recovery.active", true, "false until the stack holds a replica of the primary's database (set recovery.primaryStack and deploy passive first); true promotes that replica", "false", ["recovery.active", "recovery.primaryStack"]),
    ];
}
