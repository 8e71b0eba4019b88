import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, runProgram } from "../offline/run";
import { resolveSettings, Settings } from "../config";

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

/** Minimal valid raw config for pure config tests. */
export function settingsFor(raw: Record<string, unknown>, stack = "test"): Settings {
    return resolveSettings(raw, { project: "platform", stack });
}

export const TIER_STACKS = ["dev", "staging", "prod"] as const;
