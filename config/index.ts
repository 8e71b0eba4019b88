/**
 * The one place where stacks differ. `loadSettings()` reads the stack's `platform:*` config (Pulumi.yaml
 * defaults overlaid with `Pulumi.<stack>.yaml`, as the CLI applies them), validates it and returns
 * plain Settings. Components never read config or the stack name themselves.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveSettings } from "./resolve";
import { CONFIG_KEYS, ConfigKey } from "./schema";
import type { Settings } from "./settings";

export { ConfigError, formatIssues } from "./errors";
export type { ConfigIssue } from "./errors";
export { resolveSettings } from "./resolve";
export type { ConfigContext } from "./resolve";
export { CONFIG_KEYS } from "./schema";
export * from "./settings";
export { TIER_DEFAULTS } from "./tiers";
export { rulePriority } from "./routing";
export { uploadsKeyPrefix } from "./uploads";
export { canaryServices, testRulePriority } from "./rules";
export { isPassiveRecovery, RECOVERY_RELAXATIONS, recoveryState } from "./rules";
export type { RecoveryRelaxation } from "./rules";

/**
 * Raw `platform:*` values from the Pulumi runtime. Object-typed keys arrive as JSON text; text that
 * does not parse is passed on as-is so validation reports it against the key.
 */
export function readRawConfig(project: string): { raw: Record<string, unknown>; awsRegion?: string } {
    const all = pulumi.runtime.allConfig();
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, ...rest] = fullKey.split(":");
        if (namespace !== project) continue;
        const key = rest.join(":").replace(/^config:/, "");
        const spec = CONFIG_KEYS[key as ConfigKey];
        raw[key] = spec?.pulumiType === "object" || spec === undefined ? parseJson(text) : text;
    }
    return { raw, awsRegion: all["aws:region"] };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Validated settings for the current stack; throws ConfigError (listing every problem) otherwise. */
export function loadSettings(): Settings {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const { raw, awsRegion } = readRawConfig(project);
    return resolveSettings(raw, { project, stack, awsRegion });
}
