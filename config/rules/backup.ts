/** AWS Backup rules for every tier (prod's own refusals are in prod.ts). */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/** A copy in the stack's own region would not survive that region's outage. */
export function backupRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    return check(ctx, s.backup.copyToRegion !== s.region, "backup.copyToRegion", s.backup.copyToRegion, `"" or a region other than ${s.region}`, s.region === "us-west-2" ? "us-east-2" : "us-west-2", ["backup.copyToRegion", "region"]);
}
