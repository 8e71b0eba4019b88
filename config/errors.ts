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

/** The CLI command that sets a (possibly nested) key, quoted for a POSIX shell. */
export function setCommand(stack: string, key: string, example: string): string {
    const path = key.includes(".") || key.includes("[") ? ` --path '${key}'` : ` ${key}`;
    return `pulumi config set${path} '${example}' --stack ${stack}`;
}
