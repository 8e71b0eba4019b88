/**
 * Raw stack config → validated Settings: parse (parse.ts) → merge with the tier's defaults
 * (merge.ts) → rules (rules/) → every problem at once in one ConfigError. Pure: no Pulumi runtime
 * access, so every rule is unit-tested with plain objects. An invalid field is dropped on its own,
 * so the rules that do not depend on it still run, and a rule whose input is itself invalid stays
 * silent rather than reporting nonsense.
 */
import type { ConfigContext } from "./context";
import { ConfigError, ConfigIssue } from "./errors";
import { merge } from "./merge";
import { parseConfig } from "./parse";
import { ruleIssues } from "./rules";
import { hideSecrets } from "./secrets";
import { Settings, TIERS } from "./settings";

export type { ConfigContext } from "./context";
export { ALB_RULE_LIMITS, RESERVED_ENV } from "./rules";

export function resolveSettings(raw: Record<string, unknown>, ctx: ConfigContext): Settings {
    const parsed = parseConfig(raw, ctx.stack);
    const rules = (s: Settings) => ruleIssues(s, { ...ctx, raw: parsed.config, invalid: parsed.invalid });

    // The tier decides defaults and rules. Unknown (missing or invalid, already reported): a stack
    // named after a tier is checked as that tier; otherwise only what every tier refuses is reported,
    // so no rule fires against defaults the stack may never get.
    const tier = parsed.config.tier ?? TIERS.find((t) => t === ctx.stack);
    let settings: Settings;
    let broken: ConfigIssue[];
    if (tier !== undefined) {
        settings = merge(parsed.config, tier, ctx, parsed.services);
        broken = rules(settings);
    } else {
        const perTier = TIERS.map((t) => rules(merge(parsed.config, t, ctx, parsed.services)));
        broken = perTier[0].filter((i) => perTier.every((list) => list.some((j) => j.key === i.key && j.allowed === i.allowed)));
        settings = merge(parsed.config, "dev", ctx, parsed.services);
    }
    // A field already reported as invalid is not reported again by a rule (e.g. "not set").
    const issues = [...parsed.issues, ...broken.filter((r) => !parsed.issues.some((i) => i.key === r.key))];

    if (issues.length > 0) throw new ConfigError(ctx.stack, issues.map(hideSecrets));
    return settings;
}
