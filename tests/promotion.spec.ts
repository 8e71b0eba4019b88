import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ROOT } from "../offline/run";
import { copyCommands, promote, PromotionError, releaseFromStackFile, stageProblem } from "../scripts/promotion";
import { runScriptInProcess, TS_SCRIPT_RUNNER } from "./helpers";

const SHA_A = "4f2c9e1a7b3d5c6e8f9012345678901234abcdef";
const SHA_B = "0123456789abcdef0123456789abcdef01234567";
const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;

const TARGET = `# staging: comment that must survive
config:
  platform:tier: staging
  platform:network:
    cidr: 10.20.0.0/16   # inline comment
  platform:services:
    api:
      cpu: 512
      memory: 1024
      port: 8080
      paths: ["/api/*"]
    notifier:
      cpu: 256
      memory: 512
      port: 8081
      expose: internal
  platform:release:
    api:
      tag: ${SHA_B}
      digest: ${DIGEST("b")}
    notifier:
      tag: ${SHA_B}
      digest: ${DIGEST("c")}
`;

const REGISTRY = "111111111111.dkr.ecr.us-east-1.amazonaws.com";
const UPSTREAM = {
    api: { repositoryUrl: "111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/dev/api", tag: SHA_A, digest: DIGEST("a") },
    notifier: { repositoryUrl: "111111111111.dkr.ecr.us-east-1.amazonaws.com/platform/dev/notifier", tag: SHA_A, digest: DIGEST("d") },
};

function refusal(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof PromotionError, String(e));
        return e.problems;
    }
    assert.fail("expected the promotion to be refused");
}

describe("promotion", () => {
    describe("the transform (upstream release output + target stack file → new stack file)", () => {
        it("pins every image the target runs to the upstream tag and digest", () => {
            const { text, changes } = promote(UPSTREAM, TARGET, { from: "dev", to: "staging" });
            const release = (yaml.load(text) as any).config["platform:release"];
            assert.deepEqual(release, { api: { tag: SHA_A, digest: DIGEST("a") }, notifier: { tag: SHA_A, digest: DIGEST("d") } });
            assert.deepEqual(changes.map((c) => [c.image, c.from, c.to]), [["api", SHA_B, SHA_A], ["notifier", SHA_B, SHA_A]]);
        });

        it("changes nothing but the release: comments, order and other keys are kept", () => {
            const { text } = promote(UPSTREAM, TARGET, { from: "dev", to: "staging" });
            const before = TARGET.split("\n");
            const after = text.split("\n");
            assert.equal(after.length, before.length);
            const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a !== b);
            assert.equal(changed.length, 4, JSON.stringify(changed));
            for (const [, line] of changed) assert.match(line, /^\s+(tag|digest): /);
            assert.ok(text.startsWith("# staging: comment that must survive\n"));
            assert.match(text, /cidr: 10\.20\.0\.0\/16 {3}# inline comment/);
        });

        it("promotes only the named images with --only", () => {
            const { text, changes } = promote(UPSTREAM, TARGET, { from: "dev", to: "staging", only: ["api"] });
            const release = (yaml.load(text) as any).config["platform:release"];
            assert.equal(release.api.tag, SHA_A);
            assert.equal(release.notifier.tag, SHA_B, "notifier untouched");
            assert.deepEqual(changes.map((c) => c.image), ["api"]);
        });

        it("adds a release block to a stack that has none", () => {
            const target = "config:\n  platform:tier: prod\n  platform:services:\n    api: { cpu: 256, memory: 512, port: 8080, paths: [/api/*] }\n";
            const { text } = promote(UPSTREAM, target, { from: "staging", to: "prod" });
            assert.deepEqual((yaml.load(text) as any).config["platform:release"], { api: { tag: SHA_A, digest: DIGEST("a") } });
        });

        it("adds an image the target's release block lacks inside that block", () => {
            const target = TARGET.replace(/    notifier:\n      tag: \w+\n      digest: \S+\n$/, "").concat("# trailing comment\n");
            const { text } = promote(UPSTREAM, target, { from: "dev", to: "staging" });
            const release = (yaml.load(text) as any).config["platform:release"];
            assert.deepEqual(release.notifier, { tag: SHA_A, digest: DIGEST("d") });
            assert.equal(release.api.tag, SHA_A);
            assert.ok(text.endsWith("# trailing comment\n"));
        });

        it("refuses an image the upstream stack does not run, naming it and what upstream runs", () => {
            const problems = refusal(() => promote({ api: UPSTREAM.api }, TARGET, { from: "dev", to: "staging" }));
            assert.deepEqual(problems, ['dev does not run "notifier" (it runs: api); deploy it there first']);
        });

        it("refuses an --only image the upstream stack does not run", () => {
            const problems = refusal(() => promote({ api: UPSTREAM.api }, TARGET, { from: "dev", to: "staging", only: ["notifier"] }));
            assert.deepEqual(problems, ['dev does not run "notifier" (it runs: api); deploy it there first']);
        });

        it("refuses an --only image the target stack does not declare (the plan would refuse its release)", () => {
            const problems = refusal(() => promote({ ...UPSTREAM, billing: UPSTREAM.api }, TARGET, { from: "dev", to: "staging", only: ["billing"] }));
            assert.deepEqual(problems, ['Pulumi.staging.yaml declares no service "billing" (it declares: api, notifier); add the service there first']);
        });

        it("writes tags and digests as quoted strings, so an all-digit tag stays a string", () => {
            const upstream = { ...UPSTREAM, api: { ...UPSTREAM.api, tag: "1234567" } };
            const existing = promote(upstream, TARGET, { from: "dev", to: "staging" }).text;
            assert.match(existing, /^ {6}tag: "1234567"$/m);
            assert.match(existing, new RegExp(`^ {6}digest: "${DIGEST("a")}"$`, "m"));
            assert.equal((yaml.load(existing) as any).config["platform:release"].api.tag, "1234567");
            const added = promote(upstream, "config:\n  platform:tier: prod\n  platform:services:\n    api: { port: 8080 }\n", { from: "staging", to: "prod" }).text;
            assert.equal((yaml.load(added) as any).config["platform:release"].api.tag, "1234567");
        });

        it("says what it skipped: images the target does not declare, and images not named with --only", () => {
            const target = "config:\n  platform:tier: prod\n  platform:services:\n    api: { port: 8080 }\n";
            assert.deepEqual(promote(UPSTREAM, target, { from: "staging", to: "prod" }).skipped, [{ image: "notifier", why: "Pulumi.prod.yaml declares no such service" }]);
            assert.deepEqual(promote(UPSTREAM, TARGET, { from: "dev", to: "staging", only: ["api"] }).skipped, [{ image: "notifier", why: "not named with --only" }]);
            assert.deepEqual(promote(UPSTREAM, TARGET, { from: "dev", to: "staging" }).skipped, []);
        });

        it("refuses an upstream output that is not a release: bad tag, bad digest, not an object", () => {
            const problems = refusal(() => promote({ api: { tag: "latest", digest: "sha256:abc" } }, TARGET, { from: "dev", to: "staging" }));
            assert.equal(problems.length, 2);
            assert.match(problems[0], /tag "latest" is not a commit SHA/);
            assert.match(problems[1], /digest "sha256:abc" is not a sha256 digest/);
            assert.match(refusal(() => promote("nope", TARGET, { from: "dev", to: "staging" }))[0], /not an object/);
        });

        it("refuses a target with nothing to promote", () => {
            assert.match(refusal(() => promote(UPSTREAM, "config:\n  platform:tier: dev\n", { from: "a", to: "b" }))[0], /declares no services/);
        });
    });

    describe("stages, offline mode and image copies", () => {
        it("releases move dev → staging → prod: skipping a stage is refused, one step, same tier or back are allowed", () => {
            const at = (stack: string, tier?: string) => ({ stack, tier });
            assert.match(stageProblem(at("dev", "dev"), at("prod", "prod"))!, /dev \(dev\) → prod \(prod\) skips staging: releases go dev → staging → prod; promote to staging first, or pass --force/);
            assert.equal(stageProblem(at("dev", "dev"), at("staging", "staging")), undefined);
            assert.equal(stageProblem(at("staging", "staging"), at("prod", "prod")), undefined);
            assert.equal(stageProblem(at("staging", "staging"), at("staging-eu", "staging")), undefined);
            assert.equal(stageProblem(at("prod", "prod"), at("staging", "staging")), undefined);
            assert.match(stageProblem(at("qa"), at("prod", "prod"))!, /cannot tell which stage qa is: Pulumi\.qa\.yaml names no tier/);
        });

        it("offline mode reads the upstream stack file's release block (an unquoted all-digit tag as a string)", () => {
            const file = `config:\n  platform:tier: dev\n  platform:release:\n    api:\n      tag: 1234567\n      digest: ${DIGEST("a")}\n`;
            assert.deepEqual(releaseFromStackFile(file, "dev"), { api: { tag: "1234567", digest: DIGEST("a") } });
            assert.deepEqual(releaseFromStackFile("config:\n  platform:tier: dev\n", "dev"), {});
            const committed = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as any).config["platform:release"];
            assert.deepEqual(releaseFromStackFile(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"), "dev"), committed);
        });

        it("the copy step: from the upstream repository by digest to the target's repository (same registry, platform/<to>/<image>) by tag", () => {
            const changes = [{ image: "api", to: SHA_A, digest: DIGEST("a") }];
            assert.deepEqual(copyCommands(changes, UPSTREAM, { project: "platform", from: "dev", to: "staging", region: "us-east-1" }), [
                `aws ecr get-login-password --region us-east-1 | crane auth login --username AWS --password-stdin "${REGISTRY}"`,
                `crane copy "${REGISTRY}/platform/dev/api@${DIGEST("a")}" "${REGISTRY}/platform/staging/api:${SHA_A}"`,
            ]);
            // Offline mode knows no repository URLs: the registry comes from the caller's account.
            assert.deepEqual(copyCommands(changes, { api: { tag: SHA_A, digest: DIGEST("a") } }, { project: "platform", from: "dev", to: "staging", region: "us-east-1" }), [
                'REGISTRY="$(aws sts get-caller-identity --query Account --output text).dkr.ecr.us-east-1.amazonaws.com"',
                'aws ecr get-login-password --region us-east-1 | crane auth login --username AWS --password-stdin "$REGISTRY"',
                `crane copy "$REGISTRY/platform/dev/api@${DIGEST("a")}" "$REGISTRY/platform/staging/api:${SHA_A}"`,
            ]);
        });
    });

    describe("npm run promote (with a stand-in pulumi CLI on PATH)", function () {
        this.timeout(30_000);
        let bin: string;
        const target = path.join(ROOT, "Pulumi.promotetest.yaml");

        before(() => {
            bin = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-bin-"));
            // Answers `pulumi stack output release --json --stack dev` like the real CLI would.
            fs.writeFileSync(
                path.join(bin, "pulumi"),
                `#!/bin/sh\nif [ "$*" = "stack output release --json --stack dev" ]; then echo '${JSON.stringify(UPSTREAM)}'; exit 0; fi\nif [ -n "$PULUMI_MUST_NOT_RUN" ]; then echo "the CLI was called" >&2; exit 99; fi\necho "error: no stack named '$6'" >&2; exit 255\n`,
                { mode: 0o755 },
            );
        });
        beforeEach(() => fs.writeFileSync(target, TARGET));
        after(() => {
            fs.rmSync(target, { force: true });
            fs.rmSync(bin, { recursive: true, force: true });
        });

        // In this process (tests/helpers.ts runScriptInProcess); the entry point's own spawn is tested below.
        const runWith = (env: Record<string, string>, ...args: string[]) =>
            runScriptInProcess("scripts/promote.ts", args, { PATH: `${bin}:${process.env.PATH}`, ...env });
        const spawned = (...args: string[]) =>
            spawnSync(process.execPath, [...TS_SCRIPT_RUNNER, "scripts/promote.ts", ...args], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
            });
        const run = (...args: string[]) => runWith({}, ...args);
        const release = () => (yaml.load(fs.readFileSync(target, "utf8")) as any).config["platform:release"];

        it("writes the upstream release into the target stack file, says what changed and prints the image copies", () => {
            const r = run("dev", "promotetest");
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, new RegExp(`api: ${SHA_B} → ${SHA_A}`));
            assert.equal(release().api.digest, DIGEST("a"));
            assert.ok(r.stdout.includes(`crane copy "${REGISTRY}/platform/dev/api@${DIGEST("a")}" "${REGISTRY}/platform/promotetest/api:${SHA_A}"`), r.stdout);
            assert.ok(r.stdout.includes(`crane copy "${REGISTRY}/platform/dev/notifier@${DIGEST("d")}" "${REGISTRY}/platform/promotetest/notifier:${SHA_A}"`), r.stdout);
        });

        it("says what it skipped", () => {
            const r = run("dev", "promotetest", "--only", "api");
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, /^Skipped:\n {2}notifier: not named with --only$/m);
            assert.equal(release().notifier.tag, SHA_B);
        });

        it("reports a stack the CLI cannot read and leaves the file alone", () => {
            const r = run("staging", "promotetest");
            assert.equal(r.status, 1);
            assert.match(r.stderr, /could not read the release output of stack staging: error: no stack named 'staging'/);
            assert.equal(fs.readFileSync(target, "utf8"), TARGET);
        });

        it("without the Pulumi CLI, points to the offline mode", () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
            try {
                const r = runWith({ PATH: empty }, "dev", "promotetest");
                assert.equal(r.status, 1);
                assert.match(r.stderr, /the Pulumi CLI is not installed or not on PATH \(offline: npm run promote -- dev <to-stack> --from-file/);
                assert.equal(fs.readFileSync(target, "utf8"), TARGET);
            } finally {
                fs.rmSync(empty, { recursive: true, force: true });
            }
        });

        it("--from-file pins what the upstream stack file pins, without calling the CLI", () => {
            const r = runWith({ PULUMI_MUST_NOT_RUN: "1" }, "staging", "promotetest", "--from-file");
            assert.equal(r.status, 0, r.stderr);
            const pinned = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")) as any).config["platform:release"];
            assert.deepEqual(release(), { api: pinned.api, notifier: pinned.notifier });
            assert.match(r.stdout, /--from-file read what Pulumi\.staging\.yaml pins, not what staging runs/);
            assert.match(r.stdout, /^ +REGISTRY="\$\(aws sts get-caller-identity --query Account --output text\)\.dkr\.ecr\.us-east-1\.amazonaws\.com"$/m);
        });

        it("refuses an --only image the target does not declare, leaving the file alone", () => {
            const r = run("dev", "promotetest", "--only", "billing");
            assert.equal(r.status, 1);
            assert.match(r.stderr, /Pulumi\.promotetest\.yaml declares no service "billing"/);
            assert.equal(fs.readFileSync(target, "utf8"), TARGET);
        });

        it("refuses to skip a stage (dev → a prod-tier stack) unless forced", () => {
            const prodTarget = TARGET.replace("platform:tier: staging", "platform:tier: prod");
            fs.writeFileSync(target, prodTarget);
            const refused = run("dev", "promotetest");
            assert.equal(refused.status, 1);
            assert.match(refused.stderr, /dev \(dev\) → promotetest \(prod\) skips staging/);
            assert.equal(fs.readFileSync(target, "utf8"), prodTarget);
            const forced = run("dev", "promotetest", "--force");
            assert.equal(forced.status, 0, forced.stderr);
            assert.match(forced.stdout, /WARNING: --force: dev \(dev\) → promotetest \(prod\) skips staging/);
            assert.equal(release().api.tag, SHA_A);
        });

        it("refuses bad usage with exit 2", () => {
            assert.equal(run("dev").status, 2);
            assert.equal(run("dev", "dev").status, 2);
            assert.equal(run("dev", "nosuchstack").status, 2);
            // The real entry point, in its own Node process: the same exit code and message.
            const real = spawned("dev");
            assert.equal(real.status, 2);
            assert.equal(real.stderr, run("dev").stderr);
        });
    });
});
