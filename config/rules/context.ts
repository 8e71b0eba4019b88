/**
 * What every rule receives besides the merged Settings, and the helpers that turn a rule that does
 * not hold into an issue. A rule is a pure function `(Settings, RuleContext) → ConfigIssue[]`; it
 * names the key the person should change, and stays silent when a field it reads is itself invalid
 * (already reported: its value in Settings is a default, not theirs).
 */
import { z } from "zod";
import type { ConfigContext } from "../context";
import { ConfigIssue, setCommand } from "../errors";
import { isTextField, schemaAt } from "../fields";
import { CONFIG_KEYS, ConfigKey, RawConfig } from "../schema";
import type { Settings } from "../settings";

export interface RuleContext extends ConfigContext {
    /** What the stack file said (parsed, before defaults), for rules that depend on whether a field was set. */
    raw: RawConfig;
    /** Paths of fields that failed validation, in `configPath` syntax (`services.api.cpu`). */
    invalid: readonly string[];
}

export type Rule = (s: Settings, ctx: RuleContext) => ConfigIssue[];

/** True when any of `keys`, or anything inside or around one, failed validation (its value is not the user's). */
export function anyInvalid(ctx: RuleContext, ...keys: string[]): boolean {
    const inside = (a: string, b: string) => a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return keys.some((key) => ctx.invalid.some((k) => k === key || inside(k, key) || inside(key, k)));
}

/** The fix for a key, with `--type string` where the field holds text. */
export function fixCommand(stack: string, key: string, example: string): string {
    const [group, ...path] = key.split(".");
    const schema = CONFIG_KEYS[group as ConfigKey]?.schema as z.ZodType | undefined;
    return setCommand(stack, key, example, schema !== undefined && isTextField(schemaAt(schema, path)));
}

/**
 * `key` refused with what is allowed and a `pulumi config set` to `example`, unless a field the rule
 * reads (`deps`, by default the key itself) is invalid.
 */
export function refuse(ctx: RuleContext, key: string, value: unknown, allowed: string, example: string, deps: readonly string[] = [key]): ConfigIssue[] {
    return anyInvalid(ctx, ...deps) ? [] : [{ key, value, allowed, fix: fixCommand(ctx.stack, key, example) }];
}

/** `refuse(...)` when `holds` is false; nothing when it holds. */
export function check(ctx: RuleContext, holds: boolean, key: string, value: unknown, allowed: string, example: string, deps: readonly string[] = [key]): ConfigIssue[] {
    return holds ? [] : refuse(ctx, key, value, allowed, example, deps);
}
