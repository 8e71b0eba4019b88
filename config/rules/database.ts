/** Database rules for every tier (prod's own refusals are in prod.ts). */
import { RDS_POSTGRES_INSTANCE_CLASSES } from "../catalog";
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

export function databaseRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    // RDS: "set the maximum storage threshold to be at least 10% more than the current allocated storage".
    const minCeiling = Math.ceil((s.database.allocatedStorageGb * 11) / 10);
    const unlistedClass = ctx.raw.database?.allowUnlistedInstanceClass === true;
    return [
        ...check(
            ctx,
            s.database.maxAllocatedStorageGb >= minCeiling,
            "database.maxAllocatedStorageGb",
            s.database.maxAllocatedStorageGb,
            `at least ${minCeiling} (10 % above database.allocatedStorageGb ${s.database.allocatedStorageGb}, RDS storage autoscaling)`,
            String(Math.max(minCeiling, s.database.allocatedStorageGb * 2)),
            ["database.maxAllocatedStorageGb", "database.allocatedStorageGb"],
        ),
        ...check(
            ctx,
            unlistedClass || RDS_POSTGRES_INSTANCE_CLASSES.has(s.database.instanceClass),
            "database.instanceClass",
            s.database.instanceClass,
            "an RDS for PostgreSQL instance class listed in config/catalog.ts (e.g. db.t4g.small, db.m7g.large); for a newer one set database.allowUnlistedInstanceClass: true",
            "db.t4g.small",
            ["database.instanceClass", "database.allowUnlistedInstanceClass"],
        ),
    ];
}
