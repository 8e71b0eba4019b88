import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ROOT } from "../offline/run";
import { canary, clear, complete, ReleaseError, rollback } from "../scripts/release-config";
import { runScriptInProcess, TS_SCRIPT_RUNNER } from "./helpers";

/** A stack file of its own: the committed ones may not declare workers yet, and tests never write to them. */
const STACK = `# staging: comment that must survive
config:
  platform:tier: staging
  platform:network:
    cidr: 10.20.0.0/16   # inline comment
  platform:workers:
    inference:   # queue worker
      memoryMb: 1024
      timeoutSeconds: 60
    api:
      memoryMb: 512
      routes: ["GET /health", "POST /jobs"]
  platform:release:
    inference:
      tag: "1234567"
`;

const WORKER = (over: Record<string, unknown> = {}) => ({
    functionName: "platform-staging-inference-1a2b3c",
    aliasName: "live",
    aliasArn: "arn:aws:lambda:us-east-1:111111111111:function:platform-staging-inference-1a2b3c:live",
    liveVersion: "7",
    previousVersion: "6",
    routing: {},
    image: `111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/staging/inference@sha256:${"a".repeat(64)}`,
    rollbackCommand: "pulumi config set --path 'workers.inference.rollbackTo' 6 && pulumi up",
    ...over,
});
const OUTPUT = { inference: WORKER(), api: WORKER({ functionName: "platform-staging-api-9f8e7d", liveVersion: "3", previousVersion: "2" }) };
const at = { stack: "staging", worker: "inference" };

const workers = (text: string) => (yaml.load(text) as any).config["platform:workers"];

/** Lines that differ, for texts of equal length; asserts the rest of the file is byte for byte the same. */
function changedLines(before: string, after: string): Array<[string, string]> {
    const [a, b] = [before.split("\n"), after.split("\n")];
    assert.equal(b.length, a.length, `line count changed:\n${after}`);
    return a.map((line, i) => [line, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

function refusal(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ReleaseError, String(e));
        return e.problems;
    }
    assert.fail("expected the release to be refused");
}

/** STACK with the inference worker in a canary: stable 7, 10 % to the newest. */
const IN_CANARY = STACK.replace("      timeoutSeconds: 60\n", '      timeoutSeconds: 60\n      canary:\n        stable: "7"   # the version before the fix\n        weight: 0.1\n');
const CANARY_OUTPUT = { ...OUTPUT, inference: WORKER({ liveVersion: "7", previousVersion: "7", routing: { "8": 0.1 } }) };
/** STACK with the inference worker rolled back to 6. */
const ROLLED_BACK = STACK.replace("      timeoutSeconds: 60\n", '      timeoutSeconds: 60\n      rollbackTo: "6"\n');

describe("worker releases (npm run release)", () => {
    describe("rollback", () => {
        it("pins live to the previous version from the outputs, appended to the worker, quoted", () => {
            const { text, changes } = rollback(OUTPUT, STACK, at);
            assert.equal(text, STACK.replace("      timeoutSeconds: 60\n", '      timeoutSeconds: 60\n      rollbackTo: "6"\n'));
            assert.equal(workers(text).inference.rollbackTo, "6", "a string, not the number 6");
            assert.deepEqual(changes, [{ key: "workers.inference.rollbackTo", from: undefined, to: "6" }]);
        });

        it("rolls back to the version --to names", () => {
            assert.equal(workers(rollback(OUTPUT, STACK, { ...at, to: "4" }).text).inference.rollbackTo, "4");
        });

        it("replaces an existing rollbackTo where it stands (going further back)", () => {
            const out = { ...OUTPUT, inference: WORKER({ liveVersion: "6", previousVersion: "7" }) };
            const { text, changes } = rollback(out, ROLLED_BACK, { ...at, to: "5" });
            assert.deepEqual(changedLines(ROLLED_BACK, text), [['      rollbackTo: "6"', '      rollbackTo: "5"']]);
            assert.deepEqual(changes, [{ key: "workers.inference.rollbackTo", from: "6", to: "5" }]);
        });

        it("during a canary the stable version takes 100 %: rollbackTo = canary.stable, and the canary goes in its place", () => {
            const { text, changes } = rollback(CANARY_OUTPUT, IN_CANARY, at);
            assert.equal(text, ROLLED_BACK.replace('rollbackTo: "6"', 'rollbackTo: "7"'));
            assert.deepEqual(changes, [
                { key: "workers.inference.rollbackTo", from: undefined, to: "7" },
                { key: "workers.inference.canary", from: "{ stable: 7, weight: 0.1 }" },
            ]);
            // --to the stable (live) version is what a canary rollback means, not a no-op.
            assert.equal(workers(rollback(CANARY_OUTPUT, IN_CANARY, { ...at, to: "7" }).text).inference.rollbackTo, "7");
        });

        it("changes nothing but the worker's values: comments, order, other workers and keys are kept", () => {
            const { text } = rollback(OUTPUT, STACK, { stack: "staging", worker: "api" });
            assert.ok(text.startsWith("# staging: comment that must survive\n"));
            assert.match(text, /cidr: 10\.20\.0\.0\/16 {3}# inline comment/);
            assert.match(text, /inference: {3}# queue worker/);
            assert.match(text, /routes: \["GET \/health", "POST \/jobs"\]\n {6}rollbackTo: "2"\n {2}platform:release:/);
            assert.equal(text.replace('      rollbackTo: "2"\n', ""), STACK);
        });

        it("edits a worker written as a flow mapping in place", () => {
            const flow = STACK.replace("    api:\n      memoryMb: 512\n      routes: [\"GET /health\", \"POST /jobs\"]\n", '    api: { memoryMb: 512, routes: ["GET /health"] }   # http\n');
            const { text } = rollback(OUTPUT, flow, { stack: "staging", worker: "api" });
            assert.deepEqual(changedLines(flow, text), [[
                '    api: { memoryMb: 512, routes: ["GET /health"] }   # http',
                '    api: { memoryMb: 512, routes: ["GET /health"], rollbackTo: "2" }   # http',
            ]]);
        });

        it("refuses a worker the stack file does not declare, naming the ones it does", () => {
            assert.deepEqual(refusal(() => rollback(OUTPUT, STACK, { ...at, worker: "billing" })), [
                'Pulumi.staging.yaml declares no worker "billing" under platform:workers (it declares: inference, api); check the name, or add the worker and deploy it first',
            ]);
            assert.match(refusal(() => rollback(OUTPUT, "config:\n  platform:tier: dev\n", at))[0], /declares no worker "inference" under platform:workers \(it declares: none\)/);
        });

        it("refuses a stack whose workers output has no such worker (declared but not deployed yet)", () => {
            assert.deepEqual(refusal(() => rollback({ api: OUTPUT.api }, STACK, at)), [
                'stack staging runs no worker "inference" (its workers output has: api); deploy it first (pulumi up), then release',
            ]);
            assert.match(refusal(() => rollback(null, STACK, at))[0], /the "workers" output of staging is not an object/);
        });

        it("refuses a stack with no previous version (first deploy) and says to pin the previous release digest", () => {
            const [problem] = refusal(() => rollback({ inference: WORKER({ liveVersion: "1", previousVersion: null }) }, STACK, at));
            assert.match(problem, /^inference in staging has only one published version \(first deploy\): there is no previous version to roll back to\. Pin the previous release digest instead/);
            assert.match(problem, /git log -p -- Pulumi\.staging\.yaml/);
        });

        it("refuses a --to that is not a version number, is the live version, or was never published", () => {
            for (const bad of ["latest", "$LATEST", "0", "6.1", "-1", "06"]) {
                assert.match(refusal(() => rollback(OUTPUT, STACK, { ...at, to: bad }))[0], /^--to ".*" is not a version number \(Lambda versions are 1, 2, 3, …; inference has 1–7\)$/, bad);
            }
            assert.deepEqual(refusal(() => rollback(OUTPUT, STACK, { ...at, to: "7" })), ["--to 7 is the version live already serves in staging; pick an older one"]);
            assert.deepEqual(refusal(() => rollback(OUTPUT, STACK, { ...at, to: "9" })), ["--to 9: staging has published versions 1–7 of inference; pick one of those"]);
        });

        it("refuses rolling back again to the version live already serves (already rolled back)", () => {
            const out = { inference: WORKER({ liveVersion: "6", previousVersion: "6" }) };
            assert.match(refusal(() => rollback(out, ROLLED_BACK, at))[0], /already serves version 6, the previous one \(rolled back already\?\); to go further back pass --to <version>/);
        });

        it("refuses outputs whose versions are not version numbers", () => {
            const problems = refusal(() => rollback({ inference: WORKER({ liveVersion: "$LATEST", previousVersion: 6.5 }) }, STACK, at));
            assert.deepEqual(problems, [
                'staging workers.inference.liveVersion "$LATEST" is not a version number',
                "staging workers.inference.previousVersion 6.5 is neither a version number nor null",
            ]);
        });
    });

    describe("canary", () => {
        it("keeps live on the live version and sends the weight to the new one: canary: { stable: <liveVersion>, weight }", () => {
            const { text, changes } = canary(OUTPUT, STACK, { ...at, weight: "0.1" });
            assert.equal(text, IN_CANARY.replace("   # the version before the fix", ""));
            assert.deepEqual(workers(text).inference.canary, { stable: "7", weight: 0.1 });
            assert.deepEqual(changes, [{ key: "workers.inference.canary", from: undefined, to: "{ stable: 7, weight: 0.1 }" }]);
            assert.match(canary(OUTPUT, STACK, { ...at, weight: "0.1" }).expect, /^FunctionVersion 7, RoutingConfig\.AdditionalVersionWeights \{ <new version>: 0\.1 \}: 10 % on the new version$/);
        });

        it("moves only the weight of a canary in progress (10 % → 50 %), keeping its stable version and comments", () => {
            const { text } = canary(CANARY_OUTPUT, IN_CANARY, { ...at, weight: 0.5 });
            assert.deepEqual(changedLines(IN_CANARY, text), [["        weight: 0.1", "        weight: 0.5"]]);
        });

        it("writes a flow-style canary into a worker written as a flow mapping", () => {
            const flow = "config:\n  platform:workers:\n    inference: { memoryMb: 1024 }\n";
            assert.equal(canary(OUTPUT, flow, { ...at, weight: 0.25 }).text, 'config:\n  platform:workers:\n    inference: { memoryMb: 1024, canary: { stable: "7", weight: 0.25 } }\n');
        });

        it("refuses a weight outside (0, 1) or not a number", () => {
            for (const bad of ["0", "1", "1.5", "-0.1", "10%", "ten", ""]) {
                assert.deepEqual(refusal(() => canary(OUTPUT, STACK, { ...at, weight: bad })), [
                    `weight ${JSON.stringify(bad)} is not between 0 and 1 (exclusive): write 10 % as 0.1; 100 % is "complete", 0 % is "rollback"`,
                ]);
            }
        });

        it("refuses a canary whose stable version would be the newest: the stack file pins the image already running", () => {
            const samePin = STACK.replace('      tag: "1234567"\n', `      tag: "1234567"\n      digest: sha256:${"a".repeat(64)}\n`);
            assert.deepEqual(refusal(() => canary(OUTPUT, samePin, { ...at, weight: "0.1" })), [
                `Pulumi.staging.yaml pins the image inference already runs (sha256:${"a".repeat(64)}): the next pulumi up publishes no new version, so the canary's stable version 7 would be the newest one and there is nothing to send 10 % to. ` +
                    'Pin the new release first (npm run promote, or CI\'s pin in dev; README "Release flow"), then run this again: both go in one pull request',
            ]);
            // A new pin (another digest) is what the canary sends its share to.
            const newPin = samePin.replace(`sha256:${"a".repeat(64)}`, `sha256:${"b".repeat(64)}`);
            assert.deepEqual(workers(canary(OUTPUT, newPin, { ...at, weight: "0.1" }).text).inference.canary, { stable: "7", weight: 0.1 });
            // Outputs that do not say what runs cannot show a new version is coming.
            const { image: _, ...noImage } = OUTPUT.inference;
            assert.match(refusal(() => canary({ inference: noImage }, newPin, { ...at, weight: "0.1" }))[0], /does not say which image inference runs/);
        });

        it("refuses while rollbackTo pins live, saying how to clear it", () => {
            assert.deepEqual(refusal(() => canary(OUTPUT, ROLLED_BACK, { ...at, weight: "0.1" })), [
                'Pulumi.staging.yaml pins workers.inference.rollbackTo: "6"; a canary cannot start while live is pinned. Clear it first (npm run release -- clear staging inference), then run this again: both can go in the fix\'s pull request',
            ]);
        });

        it("refuses a worker the stack file does not declare, or the stack does not run", () => {
            assert.match(refusal(() => canary(OUTPUT, STACK, { ...at, worker: "billing", weight: "0.1" }))[0], /declares no worker "billing"/);
            assert.match(refusal(() => canary({ api: OUTPUT.api }, STACK, { ...at, weight: "0.1" }))[0], /stack staging runs no worker "inference"/);
        });
    });

    describe("complete and clear", () => {
        it("complete removes the canary (all its lines), nothing else", () => {
            const { text, changes } = complete(IN_CANARY, at);
            assert.equal(text, STACK);
            assert.deepEqual(changes, [{ key: "workers.inference.canary", from: "{ stable: 7, weight: 0.1 }" }]);
        });

        it("clear removes rollbackTo, nothing else", () => {
            const { text, changes } = clear(ROLLED_BACK, at);
            assert.equal(text, STACK);
            assert.deepEqual(changes, [{ key: "workers.inference.rollbackTo", from: "6" }]);
        });

        it("remove a key from a flow mapping, and keep an emptied worker a mapping", () => {
            assert.equal(clear('config:\n  platform:workers:\n    inference: { memoryMb: 1024, rollbackTo: "6" }\n', at).text, "config:\n  platform:workers:\n    inference: { memoryMb: 1024 }\n");
            assert.deepEqual(workers(clear('config:\n  platform:workers:\n    inference:\n      rollbackTo: "6"\n', at).text).inference, {});
        });

        it("refuse when there is nothing to complete or clear, and a worker the file does not declare", () => {
            assert.deepEqual(refusal(() => complete(STACK, at)), ["Pulumi.staging.yaml has no workers.inference.canary: nothing to complete (live already follows the newest version)"]);
            assert.match(refusal(() => complete(ROLLED_BACK, at))[0], /it is pinned to 6 by rollbackTo: see clear/);
            assert.deepEqual(refusal(() => clear(STACK, at)), ["Pulumi.staging.yaml has no workers.inference.rollbackTo: nothing to clear"]);
            assert.match(refusal(() => clear(STACK, { ...at, worker: "billing" }))[0], /declares no worker "billing"/);
        });
    });

    describe("the CLI (stand-in pulumi on PATH, --outputs-file)", function () {
        this.timeout(60_000);
        let dir: string;
        let bin: string;
        let stackFile: string;

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-"));
            bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            stackFile = path.join(dir, "Pulumi.staging.yaml");
            // Answers `pulumi stack output workers --json --stack staging` like the real CLI would.
            fs.writeFileSync(
                path.join(bin, "pulumi"),
                `#!/bin/sh\nif [ "$*" = "stack output workers --json --stack staging" ]; then echo '${JSON.stringify(OUTPUT)}'; exit 0; fi\nif [ -n "$PULUMI_MUST_NOT_RUN" ]; then echo "the CLI was called" >&2; exit 99; fi\necho "error: no stack named '$6'" >&2; exit 255\n`,
                { mode: 0o755 },
            );
            fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({ region: "us-east-1", workers: CANARY_OUTPUT }));
        });
        beforeEach(() => fs.writeFileSync(stackFile, STACK));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        // In this process (tests/helpers.ts runScriptInProcess); the entry point's own spawn is tested below.
        const runWith = (env: Record<string, string>, ...args: string[]) =>
            runScriptInProcess("scripts/release.ts", args, { PATH: `${bin}:${process.env.PATH}`, ...env });
        const spawned = (...args: string[]) =>
            spawnSync(process.execPath, [...TS_SCRIPT_RUNNER, "scripts/release.ts", ...args], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
            });
        const run = (...args: string[]) => runWith({}, ...args, "--stack-file", stackFile);
        const file = () => fs.readFileSync(stackFile, "utf8");

        it("rollback writes the previous version from the CLI's outputs and prints the change and the next steps", () => {
            const r = run("rollback", "staging", "inference");
            assert.equal(r.status, 0, r.stderr);
            assert.equal(workers(file()).inference.rollbackTo, "6");
            assert.match(r.stdout, /^ {2}workers\.inference\.rollbackTo: \(none\) → 6$/m);
            assert.ok(r.stdout.includes(`git diff ${stackFile}`), r.stdout);
            assert.match(r.stdout, /pulumi preview --stack staging: only the alias "live" of inference changes/);
            assert.match(r.stdout, /pulumi up --stack staging/);
            assert.ok(r.stdout.includes("aws lambda get-alias --region us-east-1 --function-name platform-staging-inference-1a2b3c --name live"), r.stdout);
            assert.match(r.stdout, /npm run release -- clear staging inference/);
            assert.match(r.stdout, /expect FunctionVersion 6, no RoutingConfig/);
        });

        it("canary writes the stable version and weight; complete and clear take no outputs", () => {
            const r = run("canary", "staging", "inference", "0.1");
            assert.equal(r.status, 0, r.stderr);
            assert.deepEqual(workers(file()).inference.canary, { stable: "7", weight: 0.1 });
            assert.match(r.stdout, /together with the new release pin/);
            assert.match(r.stdout, /npm run release -- complete staging inference/);
            const done = runWith({ PULUMI_MUST_NOT_RUN: "1" }, "complete", "staging", "inference", "--stack-file", stackFile);
            assert.equal(done.status, 0, done.stderr);
            assert.equal(file(), STACK);
            assert.match(done.stdout, /workers\.inference\.canary: \{ stable: 7, weight: 0\.1 \} → \(removed\)/);
            fs.writeFileSync(stackFile, ROLLED_BACK);
            const cleared = runWith({ PULUMI_MUST_NOT_RUN: "1" }, "clear", "staging", "inference", "--stack-file", stackFile);
            assert.equal(cleared.status, 0, cleared.stderr);
            assert.equal(file(), STACK);
        });

        it("--outputs-file reads a saved pulumi stack output --json without calling the CLI", () => {
            fs.writeFileSync(stackFile, IN_CANARY);
            const r = runWith({ PULUMI_MUST_NOT_RUN: "1" }, "rollback", "staging", "inference", "--outputs-file", path.join(dir, "outputs.json"), "--stack-file", stackFile);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(file(), ROLLED_BACK.replace('"6"', '"7"'));
            assert.match(r.stdout, /outputs read from .*outputs\.json/);
            fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ region: "us-east-1" }));
            const bad = runWith({ PULUMI_MUST_NOT_RUN: "1" }, "rollback", "staging", "inference", "--outputs-file", path.join(dir, "bad.json"), "--stack-file", stackFile);
            assert.equal(bad.status, 1);
            assert.match(bad.stderr, /has no "workers" output/);
        });

        it("refusals exit 1 and leave the file alone", () => {
            const cases: Array<[string[], RegExp]> = [
                [["rollback", "staging", "billing"], /declares no worker "billing"/],
                [["rollback", "prod", "inference"], /could not read the workers output of stack prod: error: no stack named 'prod'/],
                [["rollback", "staging", "inference", "--to", "latest"], /--to "latest" is not a version number/],
                [["rollback", "staging", "inference", "--to", "7"], /is the version live already serves/],
                [["canary", "staging", "inference", "1"], /weight "1" is not between 0 and 1/],
                [["complete", "staging", "inference"], /nothing to complete/],
                [["clear", "staging", "inference"], /nothing to clear/],
            ];
            for (const [args, message] of cases) {
                const r = run(...args);
                assert.equal(r.status, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
                assert.match(r.stderr, message);
                assert.equal(file(), STACK);
            }
        });

        it("without the Pulumi CLI, points to --outputs-file", () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
            try {
                const r = runWith({ PATH: empty }, "rollback", "staging", "inference", "--stack-file", stackFile);
                assert.equal(r.status, 1);
                assert.match(r.stderr, /the Pulumi CLI is not installed or not on PATH \(offline: .*pulumi stack output --json --stack staging > outputs\.json, and pass --outputs-file outputs\.json\)/);
                assert.equal(file(), STACK);
            } finally {
                fs.rmSync(empty, { recursive: true, force: true });
            }
        });

        it("refuses bad usage with exit 2", () => {
            for (const args of [
                [],
                ["undo", "staging", "inference"],
                ["rollback", "staging"],
                ["canary", "staging", "inference"],
                ["complete", "staging", "inference", "extra"],
                ["canary", "staging", "inference", "0.1", "--to", "3"],
                ["rollback", "staging", "inference", "--to"],
                ["rollback", "staging", "inference", "--force"],
                ["clear", "staging", "inference", "--outputs-file", "o.json"],
            ]) {
                const r = run(...args);
                assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
                assert.match(r.stderr, /usage: npm run release -- rollback <stack> <worker>/);
            }
            const missing = runWith({}, "rollback", "nosuchstack", "inference");
            assert.equal(missing.status, 2);
            assert.match(missing.stderr, /there is no Pulumi\.nosuchstack\.yaml/);
            assert.equal(file(), STACK);
            // The real entry point, in its own Node process: the same exit code and message.
            const real = spawned("rollback", "nosuchstack", "inference");
            assert.equal(real.status, 2);
            assert.equal(real.stderr, missing.stderr);
        });
    });
});
