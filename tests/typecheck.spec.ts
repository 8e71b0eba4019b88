import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "../offline/run";

/**
 * `npm test` type-checks everything (program, tests, offline harness, scripts) with
 * tsconfig.test.json. The check starts when mocha loads this file, and `npm test` names this file first
 * (its parallel workers take files in the order given), so the compiler runs from the start beside the
 * other worker (mocha runs transpile-only); the one test here waits for it. `npm run typecheck` runs the
 * same check alone.
 */
const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const typecheck = new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.test.json"], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => resolve({ code: null, output: String(err) }));
    child.on("close", (code) => resolve({ code, output }));
});

describe("type check", function () {
    this.timeout(180_000);

    it("the program, tests, offline harness and scripts compile under tsconfig.test.json (strict)", async () => {
        const r = await typecheck;
        assert.ok(r.code === 0, `tsc --noEmit -p tsconfig.test.json exited ${r.code}:\n${r.output.trim()}`);
    });
});
