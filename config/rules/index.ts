/**
 * Every cross-field and tier rule, one file per area. Each rule is a pure function
 * `(Settings, RuleContext) → ConfigIssue[]`; they run in this order, which is the order of the
 * messages.
 */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { backupRules } from "./backup";
import { cacheRules } from "./cache";
import type { Rule, RuleContext } from "./context";
import { databaseRules } from "./database";
import { domainRules } from "./domain";
import { monitoringRules } from "./monitoring";
import { networkRules } from "./network";
import { edgeRules } from "./edge";
import { failoverRules } from "./failover";
import { prodRules } from "./prod";
import { recoveryRules } from "./recovery";
import { releaseRules } from "./release";
import { replicationRules } from "./replication";
import { serviceRules } from "./services";
import { stackRules, tagRules } from "./stack";
import { storageRules } from "./storage";
import { workerRules } from "./workers";

export { PROD_RULES } from "./prod";
export { canaryServices, testRulePriority } from "./monitoring";
export type { ProdRule } from "./prod";
export { isPassiveRecovery, RECOVERY_RELAXATIONS, recoveryState } from "./recovery";
export type { RecoveryRelaxation } from "./recovery";
export { ALB_RULE_LIMITS, RESERVED_ENV } from "./services";
export type { Rule, RuleContext } from "./context";

export const RULES: readonly Rule[] = [stackRules, prodRules, networkRules, databaseRules, cacheRules, storageRules, serviceRules, workerRules, releaseRules, domainRules, edgeRules, backupRules, tagRules, monitoringRules, recoveryRules, replicationRules, failoverRules];

export function ruleIssues(s: Settings, ctx: RuleContext): ConfigIssue[] {
    return RULES.flatMap((rule) => rule(s, ctx));
}
