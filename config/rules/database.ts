/** Database rules for every tier (prod's own refusals are in prod.ts). */
import { RDS_POSTGRES_INSTANCE_CLASSES } from "../catalog";
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/**
 * FSBP RDS.11: automated backups kept at least 7 days. The policy pack refuses less as a mandatory
 * violation in every tier (policy/data.ts rds-backups), so config refuses it first: a stack never gets
 * as far as a preview that fails. Prod's own floor (30) is in prod.ts.
 */
export const MIN_BACKUP_RETENTION_DAYS = 7;

export function databaseRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    // RDS: "set the maximum storage threshold to be at least 10% more than the current allocated storage".
    const minCeiling = Math.ceil((s.database.allocatedStorageGb * 11) / 10);
    const unlistedClass = ctx.raw.database?.allowUnlistedInstanceClass === true;
    return [
        ...check(
            ctx,
            s.tier === "prod" || s.database.backupRetentionDays >= MIN_BACKUP_RETENTION_DAYS,
            "database.backupRetentionDays",
            s.database.backupRetentionDays,
            `${MIN_BACKUP_RETENTION_DAYS} to 35 (FSBP RDS.11; the policy pack's mandatory rds-backups refuses fewer days in every tier)`,
            String(MIN_BACKUP_RETENTION_DAYS),
        ),
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
