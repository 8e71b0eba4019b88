import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { WorkerOutput } from "../components/workers";
import { MOCK_LAMBDA_VERSION } from "../offline/mocks";
import { ProgramRun, ROOT, runProgram } from "../offline/run";
import { changedResources, one, stackRun, TS_SCRIPT_RUNNER } from "./helpers";

const ALIAS = "aws:lambda/alias:Alias";
const FN = "aws:lambda/function:Function";
/** A scratch copy of the prod stack file (repository root, name ending in `test`: other specs skip it). */
const SCRATCH = "releasee2etest";
const NEW_DIGEST = `sha256:${"e".repeat(64)}`;

/**
 * `npm run release` end to end: the CLI edits a copy of Pulumi.prod.yaml from the outputs of the
 * synthesized prod program, and the program synthesized from the edited file changes only what the
 * runbook says (README "Runbook: roll back or canary a worker").
 */
describe("npm run release, then the program on the edited stack file", function () {
    this.timeout(120_000);
    const file = path.join(ROOT, `Pulumi.${SCRATCH}.yaml`);
    let dir: string;
    let prod: ProgramRun;

    const release = (...args: string[]) => {
        const outputs = ["rollback", "canary"].includes(args[0]) ? ["--outputs-file", path.join(dir, "outputs.json")] : [];
        const r = spawnSync(process.execPath, [...TS_SCRIPT_RUNNER, "scripts/release.ts", ...args, ...outputs, "--stack-file", file], {
            cwd: ROOT,
            encoding: "utf8",
            // No Pulumi CLI: the outputs come from the file only.
            env: { ...process.env, PATH: path.dirname(process.execPath) },
        });
        return r;
    };
    /** The prod program synthesized from the scratch file (same stack name, so the same resource names). */
    const synth = async () => {
        const run = await runProgram("prod", {}, SCRATCH);
        assert.equal(run.error, undefined, String(run.error));
        return run;
    };
    const alias = (run: ProgramRun) => one(run, ALIAS, "prod-workers-inference").inputs;

    before(async () => {
        prod = await stackRun("prod");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-e2e-"));
        fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(prod.outputs));
    });
    beforeEach(() => fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), file));
    after(() => {
        fs.rmSync(file, { force: true });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("rollback: the file gains only rollbackTo (the previous version from the outputs); the program changes only the alias, pinned with no routing", async () => {
        const original = fs.readFileSync(file, "utf8");
        const r = release("rollback", "prod", "inference");
        assert.equal(r.status, 0, r.stderr);
        const previous = (prod.outputs.workers as Record<string, WorkerOutput>).inference.previousVersion!;
        const lines = fs.readFileSync(file, "utf8").split("\n");
        const added = lines.findIndex((l) => l === `      rollbackTo: "${previous}"`);
        assert.ok(added > lines.indexOf("    inference:"), "under the inference worker");
        assert.deepEqual([...lines.slice(0, added), ...lines.slice(added + 1)], original.split("\n"), "one line added, nothing else changed");
        const after = await synth();
        assert.deepEqual(changedResources(prod, after), [`${ALIAS}::prod-workers-inference`]);
        const a = alias(after);
        assert.deepEqual([a.name, a.functionVersion, a.routingConfig], ["live", previous, undefined]);
        assert.equal((after.outputs.workers as Record<string, WorkerOutput>).inference.liveVersion, previous);
    });

    it("canary: refused without a new release; with the new pin it changes only the alias (stable version, weight to the newest), and the release PR as a whole only the function and its alias", async () => {
        const refused = release("canary", "prod", "inference", "0.1");
        assert.equal(refused.status, 1);
        assert.match(refused.stderr, /pins the image inference already runs/);

        // The new release pin (what npm run promote writes), then the canary in the same pull request.
        const running = (prod.outputs.workers as Record<string, WorkerOutput>).inference;
        const oldDigest = running.image.split("@")[1];
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(oldDigest, NEW_DIGEST));
        const pinned = await synth();
        const r = release("canary", "prod", "inference", "0.1");
        assert.equal(r.status, 0, r.stderr);
        const canaried = await synth();

        assert.deepEqual(changedResources(pinned, canaried), [`${ALIAS}::prod-workers-inference`], "the canary itself moves only the alias");
        assert.deepEqual(changedResources(prod, canaried), [`${ALIAS}::prod-workers-inference`, `${FN}::prod-workers-inference`], "release + canary: the function and its alias");
        const a = alias(canaried);
        const newest = one(canaried, FN, "prod-workers-inference");
        assert.ok(newest.inputs.imageUri.endsWith(`@${NEW_DIGEST}`));
        // live stays on the version it served; the newest published version (the mocks report every
        // function at the same version number) gets the weight.
        assert.equal(a.functionVersion, running.liveVersion);
        assert.deepEqual(a.routingConfig, { additionalVersionWeights: { [MOCK_LAMBDA_VERSION]: 0.1 } });
        assert.deepEqual((canaried.outputs.workers as Record<string, WorkerOutput>).inference.routing, a.routingConfig.additionalVersionWeights);

        // complete: back to the pinned release with live following the newest version.
        const done = release("complete", "prod", "inference");
        assert.equal(done.status, 0, done.stderr);
        assert.deepEqual(changedResources(pinned, await synth()), []);
    });
});
