/**
 * Raw stack config → parsed config, key by key. An invalid field is dropped on its own (its group,
 * its service and every other field stay) and reported in the person's terms: which key, the bad
 * value, what is allowed and a fix that works; zod's own wording never reaches them.
 */
import { z } from "zod";
import { ConfigIssue, configPath, setCommand } from "./errors";
import { allowedFor, exampleFor, isTextField, isValidatorWording, keysAt, schemaAt, unwrap, valueAt } from "./fields";
import { CONFIG_KEYS, ConfigKey, IMAGE_NAME, RawConfig } from "./schema";
import { TIERS } from "./settings";

export interface Parsed {
    /** Every valid key, field, entry and service; invalid ones are left out. */
    config: RawConfig;
    /** Service names the stack file declares (valid names only); undefined when `services` is not a map. */
    services: string[] | undefined;
    /** One issue per invalid or unknown key, in key order. */
    issues: ConfigIssue[];
    /** Paths of fields that failed validation, in `configPath` syntax (`services.api.cpu`): rules reading them stay silent. */
    invalid: string[];
}

export function parseConfig(raw: Record<string, unknown>, stack: string): Parsed {
    const issues: ConfigIssue[] = [];
    const invalid: string[] = [];
    const config = parseKeys(raw, stack, issues, invalid);
    return { config, services: declaredServices(raw.services), issues, invalid };
}

/** Service names the stack file declares (valid names only; invalid ones are reported by the schema). */
function declaredServices(rawServices: unknown): string[] | undefined {
    if (rawServices === undefined) return [];
    if (!isObject(rawServices)) return undefined;
    return Object.keys(rawServices).filter((name) => IMAGE_NAME.test(name));
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parseKeys(raw: Record<string, unknown>, stack: string, issues: ConfigIssue[], invalid: string[]): RawConfig {
    const parsed: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
        if (!(key in CONFIG_KEYS)) {
            issues.push({
                key,
                value: raw[key],
                allowed: `known keys: ${Object.keys(CONFIG_KEYS).join(", ")}`,
                fix: `remove it (pulumi config rm ${key} --stack ${stack}) or correct the spelling`,
            });
        }
    }
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
        const value = raw[key];
        const schema = spec.schema as z.ZodType;
        if (key === "tier") {
            const result = schema.safeParse(value);
            if (result.success) parsed.tier = result.data;
            else {
                invalid.push("tier");
                issues.push(tierIssue(value, stack));
            }
            continue;
        }
        if (value === undefined) continue;
        const result = schema.safeParse(value);
        if (result.success) {
            parsed[key] = result.data;
            continue;
        }
        for (const issue of result.error.issues) {
            issues.push(...toIssues(key, schema, value, issue, stack));
            if (issue.code !== "unrecognized_keys") invalid.push(configPath([key, ...issue.path]));
        }
        // Keep every valid field, entry and service, so the rules that do not depend on the invalid
        // ones still run: all problems are reported in one go, not one per attempt.
        const salvaged = salvage(schema, value);
        if (salvaged !== undefined) parsed[key] = salvaged;
    }
    return parsed as RawConfig;
}

/** `tier` is required and has no default: the fix names the stack's own tier, or asks for one. */
function tierIssue(value: unknown, stack: string): ConfigIssue {
    const suggestion = (TIERS as readonly string[]).includes(stack) ? stack : "<dev|staging|prod>";
    return { key: "tier", value, allowed: `one of: ${TIERS.join(", ")}`, fix: setCommand(stack, "tier", suggestion) };
}

/** The valid part of `value`: objects and maps keep their valid fields and entries; anything else is dropped. */
function salvage(schema: z.ZodType, value: unknown): unknown {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const s = unwrapOptional(schema);
    if (s instanceof z.ZodObject && isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [field, fieldSchema] of Object.entries(s.shape as Record<string, z.ZodType>)) {
            if (value[field] === undefined) continue;
            const v = salvage(fieldSchema, value[field]);
            if (v !== undefined) out[field] = v;
        }
        return out;
    }
    if (s instanceof z.ZodRecord && isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [entry, v] of Object.entries(value)) {
            if (!(s.keyType as z.ZodType).safeParse(entry).success) continue;
            const sv = salvage(s.valueType as z.ZodType, v);
            if (sv !== undefined) out[entry] = sv;
        }
        return out;
    }
    return undefined;
}

function unwrapOptional(schema: z.ZodType): z.ZodType {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    return s;
}

function toIssues(key: string, schema: z.ZodType, value: unknown, issue: z.core.$ZodIssue, stack: string): ConfigIssue[] {
    const pathText = (path: readonly PropertyKey[]) => configPath([key, ...path]);
    if (issue.code === "unrecognized_keys") {
        const known = keysAt(schema, issue.path);
        return issue.keys.map((unknownKey) => ({
            key: pathText([...issue.path, unknownKey]),
            value: valueAt(value, [...issue.path, unknownKey]),
            allowed: `known keys here: ${known.join(", ")}`,
            fix: `remove it (pulumi config rm --path '${pathText([...issue.path, unknownKey])}' --stack ${stack}) or correct the spelling`,
        }));
    }
    const fullKey = pathText(issue.path);
    const here = valueAt(value, issue.path);
    if (issue.code === "invalid_key") {
        // A map key (a tag, service or image name) failed: report the key's own rule.
        const keySchema = unwrap(schemaAt(schema, issue.path.slice(0, -1)));
        const message = issue.issues[0]?.message ?? "";
        const allowed = isValidatorWording(message) ? allowedFor(keySchema instanceof z.ZodRecord ? (keySchema.keyType as z.ZodType) : undefined) : message;
        return [{ key: fullKey, value: here, allowed, fix: `rename ${fullKey} in Pulumi.${stack}.yaml (under platform:${key})` }];
    }
    const field = schemaAt(schema, issue.path);
    const allowed = issue.code === "custom" || !isValidatorWording(issue.message) ? issue.message : allowedFor(field);
    return [{ key: fullKey, value: here, allowed: isValidatorWording(allowed) ? allowedFor(field) : allowed, fix: fixFor(stack, key, fullKey, field, here) }];
}

/**
 * A fix that works and destroys nothing: a `pulumi config set` for a single value, an edit of the
 * stack file for a whole group, map entry or list (setting `{}` would wipe what is there).
 */
function fixFor(stack: string, group: string, fullKey: string, field: z.ZodType | undefined, value: unknown): string {
    const s = unwrap(field);
    if (s instanceof z.ZodObject || s instanceof z.ZodRecord) {
        return `edit ${fullKey} under platform:${group} in Pulumi.${stack}.yaml so it is ${allowedFor(field)}`;
    }
    if (s instanceof z.ZodArray) {
        // Not a list (a list with a bad item is reported at the item). A single valid item, e.g.
        // paths: "/api/*", is kept: remove the key, then set it as the list's first item.
        const element = s.element as z.ZodType;
        if (value !== undefined && value !== null && element.safeParse(value).success) {
            return `pulumi config rm --path '${fullKey}' --stack ${stack} && ${setCommand(stack, `${fullKey}[0]`, String(value), isTextField(element))}`;
        }
        return `edit ${fullKey} under platform:${group} in Pulumi.${stack}.yaml so it is ${allowedFor(field)}`;
    }
    const text = isTextField(field);
    // A number or boolean where text belongs: the same value, stored as text.
    const sameAsText = (typeof value === "number" || typeof value === "boolean") && field?.safeParse(String(value)).success;
    const example = text && sameAsText ? String(value) : exampleFor(s);
    // No value would be accepted here (e.g. a queue when none exist): the only fix is removing it.
    if (example === undefined) return `remove it (pulumi config rm --path '${fullKey}' --stack ${stack})`;
    return setCommand(stack, fullKey, example, text);
}
