import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, RecordedOptions, ROOT, runProgram } from "../offline/run";
import { ConfigError, ConfigIssue, resolveSettings, Settings } from "../config";

export type Res = pulumi.runtime.MockResourceArgs;

const cache = new Map<string, ProgramRun>();

/**
 * The whole program run for a stack file as committed (memoised: several spec files read the same
 * run). Runs are sequential because the mock monitor is global.
 */
export async function stackRun(stack: string): Promise<ProgramRun> {
    let run = cache.get(stack);
    if (!run) {
        run = await runProgram(stack);
        if (run.error) throw run.error;
        cache.set(stack, run);
    }
    return run;
}

let activeRecovery: Promise<ProgramRun> | undefined;

/**
 * prod-dr after the one reviewed change of a failover (`recovery.active: true` on its stack file's
 * recovery block). Memoised like stackRun: four spec files read it.
 */
export function activeRecoveryRun(): Promise<ProgramRun> {
    activeRecovery ??= (async () => {
        const file = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.prod-dr.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
        const run = await runProgram("prod-dr", { "platform:recovery": { ...file.config["platform:recovery"], active: true } });
        if (run.error) throw run.error;
        return run;
    })();
    return activeRecovery;
}

/** A fresh run with config overrides (a test's one variation). Never cached. */
export function variantRun(stack: string, overrides: Record<string, unknown>): Promise<ProgramRun> {
    return runProgram(stack, overrides);
}

export function ofType(run: { resources: Res[] }, type: string): Res[] {
    return run.resources.filter((r) => r.type === type);
}

export function one(run: { resources: Res[] }, type: string, nameEnd?: string): Res {
    const matches = ofType(run, type).filter((r) => nameEnd === undefined || r.name.endsWith(nameEnd));
    if (matches.length !== 1) {
        throw new Error(`expected one ${type}${nameEnd ? ` named *${nameEnd}` : ""}, found ${matches.map((m) => m.name).join(", ") || "none"}`);
    }
    return matches[0];
}

/** Parse an IAM/bucket/key policy input (JSON text) into an object. */
export function policy(input: unknown): { Statement: Array<Record<string, any>> } {
    return typeof input === "string" ? JSON.parse(input) : (input as { Statement: Array<Record<string, any>> });
}

/** The problems config reports for `raw` (none when it resolves), as the person editing the stack file would see them. */
export function configIssues(raw: Record<string, unknown>, ctx: { stack?: string; awsRegion?: string; project?: string } = {}): ConfigIssue[] {
    try {
        resolveSettings(raw, { project: ctx.project ?? "platform", stack: ctx.stack ?? "test", awsRegion: ctx.awsRegion });
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.issues;
    }
    return [];
}

/** `type::name` of every resource whose inputs differ between two runs of the same stack (which must register the same resources). */
export function changedResources(before: { resources: Res[] }, after: { resources: Res[] }): string[] {
    const key = (r: Res) => `${r.type}::${r.name}`;
    const old = new Map(before.resources.map((r) => [key(r), JSON.stringify(r.inputs)]));
    assert.deepEqual(after.resources.map(key).sort(), [...old.keys()].sort(), "same resources");
    return after.resources.filter((r) => old.get(key(r)) !== JSON.stringify(r.inputs)).map(key).sort();
}

/** Minimal valid raw config for pure config tests. */
export function settingsFor(raw: Record<string, unknown>, stack = "test"): Settings {
    return resolveSettings(raw, { project: "platform", stack });
}

export const TIER_STACKS = ["dev", "staging", "prod"] as const;

export type { RecordedOptions } from "../offline/run";

/**
 * Every resource's options as the program passes them, for a stack file (or a variant of it): mocks never
 * see options, so runProgram records them with a legacy `transformations` hook (offline/run.ts,
 * `recordingOptions`). Without overrides this is the memoised stackRun's record: no extra synthesis.
 */
export async function recordResourceOptions(stack: string, overrides: Record<string, unknown> = {}): Promise<RecordedOptions[]> {
    const run = Object.keys(overrides).length === 0 ? await stackRun(stack) : await variantRun(stack, overrides);
    if (run.error) throw run.error;
    return [...run.options!];
}

/** Pulumi's marker for a secret value in serialized inputs (what mocks receive for secret Outputs). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretInput(v: unknown): boolean {
    return v !== null && typeof v === "object" && Object.values(v as object).includes(SECRET_SIG);
}

/** The value inside a secret input (or the input itself when not secret). */
export function unsecret<T = any>(v: unknown): T {
    return (isSecretInput(v) ? (v as { value: unknown }).value : v) as T;
}

/**
 * How specs start a TypeScript script in a child process, as its npm script would but faster: sucrase
 * strips the types without loading the TypeScript compiler (about 0.3 s a start instead of ts-node's
 * 0.7 s), which adds up over the CLI tests. What is tested is the script's behaviour, not the loader.
 */
export const TS_SCRIPT_RUNNER = ["-r", "sucrase/register/ts"] as const;

/**
 * Runs a synchronous CLI script (scripts/promote.ts, scripts/release.ts) inside this test process, as
 * `node <script> <args>` would with `env` added: fresh module, `process.argv` set, stdout/stderr
 * captured, and `process.exit` ending the run with the FIRST code it is given (a script's usage error
 * exits 2 inside its own try block, whose catch would otherwise turn it into 1). Saves a Node start per
 * call (the suite runs dozens); each spec keeps one real spawn of the script's entry point.
 */
export function runScriptInProcess(script: string, args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
    const file = require.resolve(path.join(ROOT, script));
    class Exit {
        constructor(readonly code: number) {}
    }
    const saved = { argv: process.argv, exit: process.exit, out: process.stdout.write, err: process.stderr.write, env: { ...process.env } };
    let stdout = "";
    let stderr = "";
    let status: number | undefined;
    process.argv = [process.execPath, file, ...args];
    Object.assign(process.env, env);
    process.exit = ((code?: number) => {
        status ??= code ?? 0;
        throw new Exit(status);
    }) as typeof process.exit;
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += status === undefined ? String(chunk) : ""), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += status === undefined ? String(chunk) : ""), true)) as typeof process.stderr.write;
    try {
        delete require.cache[file];
        require(file);
    } catch (e) {
        if (!(e instanceof Exit)) throw e;
    } finally {
        process.argv = saved.argv;
        process.exit = saved.exit;
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
        for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
        Object.assign(process.env, saved.env);
    }
    return { status: status ?? 0, stdout, stderr };
}

export interface PlanResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * The command `npm run plan` runs (package.json: `PULUMI_ERROR_OUTPUT_STRING=true ts-node --transpile-only
 * -r ./offline/fast-stacks.ts scripts/plan.ts`), with the TS_SCRIPT_RUNNER loader: the same script,
 * options and environment, without npm's and ts-node's start (about half of a plan's CPU time, and the
 * plan specs start several). tests/plan.spec.ts checks the npm script still runs exactly this.
 */
export const PLAN_COMMAND = { env: { PULUMI_ERROR_OUTPUT_STRING: "true" }, args: ["-r", "./offline/fast-stacks.ts", "scripts/plan.ts"] } as const;

/** Runs `npm run plan -- <args>`'s command (PLAN_COMMAND) as a separate process in the repository root. */
export function runPlan(args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<PlanResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...TS_SCRIPT_RUNNER, ...PLAN_COMMAND.args, ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, ...PLAN_COMMAND.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
