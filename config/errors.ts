import * as pulumi from "@pulumi/pulumi";

/**
 * One problem with a stack's configuration, written for the person who edits `Pulumi.<stack>.yaml`:
 * which key, the value it has, what is allowed, and how to fix it.
 */
export interface ConfigIssue {
    /** Config key as typed on the CLI, e.g. `network.cidr` (path inside the `platform:network` object). */
    key: string;
    /** The offending value as found in the stack config (`undefined` when the key is missing). */
    value: unknown;
    /** What is allowed, e.g. `one of: dev, staging, prod`. */
    allowed: string;
    /** How to fix it, usually a `pulumi config` command. */
    fix: string;
}

/**
 * Thrown by config validation before any resource is registered. It is a `pulumi.RunError`, so the
 * Pulumi CLI prints the message alone (no stack trace) and exits non-zero.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly issues: ConfigIssue[],
    ) {
        super(formatIssues(stack, issues));
        this.name = "ConfigError";
    }

    /**
     * True for a ConfigError from any copy of this module (the offline harness re-loads the program
     * for every run, so `instanceof` is not enough).
     */
    static isInstance(e: unknown): e is ConfigError {
        return e instanceof Error && e.name === "ConfigError" && Array.isArray((e as ConfigError).issues);
    }
}

export function formatValue(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssues(stack: string, issues: ConfigIssue[]): string {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    const lines = issues.map(
        (i) => `  - ${i.key} = ${formatValue(i.value)}\n      allowed: ${i.allowed}\n      fix: ${i.fix}`,
    );
    return `Invalid configuration for stack "${stack}" (${count}); nothing was deployed:\n${lines.join("\n")}`;
}

/**
 * A config key in `pulumi config --path` syntax: `services.api.paths[0]`, with keys that hold a dot
 * or bracket quoted (`tags["team.name"]`).
 */
export function configPath(segments: readonly PropertyKey[]): string {
    return segments
        .map((s, i) => {
            if (typeof s === "number") return `[${s}]`;
            const text = String(s);
            if (/[.[\]"\s]/.test(text)) return `[${JSON.stringify(text)}]`;
            return i === 0 ? text : `.${text}`;
        })
        .join("");
}

/**
 * The CLI command that sets a (possibly nested) key, quoted for a POSIX shell. With `--path`, the CLI
 * stores `true`/`false` as booleans and integers as numbers (pulumi config set docs), so a string
 * field whose value looks like one (`engineVersion` "17", an environment value "8080") needs
 * `--type string`; top-level keys are always stored as strings.
 */
export function setCommand(stack: string, key: string, example: string, text = false): string {
    const nested = key.includes(".") || key.includes("[");
    const path = nested ? ` --path '${key}'` : ` ${key}`;
    const type = nested && text && /^(true|false|-?\d+)$/.test(example) ? " --type string" : "";
    // A value starting with "-" would be read as a flag: it goes after "--", with every flag before.
    if (example.startsWith("-")) return `pulumi config set${path}${type} --stack ${stack} -- '${example}'`;
    return `pulumi config set${path}${type} '${example}' --stack ${stack}`;
}
