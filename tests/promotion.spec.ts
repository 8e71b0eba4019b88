import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ROOT } from "../offline/run";
import { promote, PromotionError } from "../scripts/promotion";

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
            const problems = refusal(() => promote(UPSTREAM, TARGET, { from: "dev", to: "staging", only: ["billing"] }));
            assert.match(problems[0], /dev does not run "billing"/);
        });

        it("refuses an upstream output that is not a release: bad tag, bad digest, not an object", () => {
            const problems = refusal(() => promote({ api: { tag: "latest", digest: "sha256:abc" } }, TARGET, { from: "dev", to: "staging" }));
            assert.equal(problems.length, 2);
            assert.match(problems[0], /tag "latest" is not a commit SHA/);
            assert.match(problems[1], /digest "sha256:abc" is not a sha256 digest/);
            assert.match(refusal(() => promote("nope", TARGET, { from: "dev", to: "staging" }))[0], /not an object/);
        });

        it("refuses a target with nothing to promote", () => {
            assert.match(refusal(() => promote(UPSTREAM, "config:\n  platform:tier: dev\n", { from: "a", to: "b" }))[0], /runs no images/);
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
                `#!/bin/sh\nif [ "$*" = "stack output release --json --stack dev" ]; then echo '${JSON.stringify(UPSTREAM)}'; exit 0; fi\necho "error: no stack named '$6'" >&2; exit 255\n`,
                { mode: 0o755 },
            );
        });
        beforeEach(() => fs.writeFileSync(target, TARGET));
        after(() => {
            fs.rmSync(target, { force: true });
            fs.rmSync(bin, { recursive: true, force: true });
        });

        const run = (...args: string[]) =>
            spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/promote.ts", ...args], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
            });

        it("writes the upstream release into the target stack file and says what changed", () => {
            const r = run("dev", "promotetest");
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, new RegExp(`api: ${SHA_B} → ${SHA_A}`));
            assert.equal((yaml.load(fs.readFileSync(target, "utf8")) as any).config["platform:release"].api.digest, DIGEST("a"));
        });

        it("reports a stack the CLI cannot read and leaves the file alone", () => {
            const r = run("qa", "promotetest");
            assert.equal(r.status, 1);
            assert.match(r.stderr, /could not read the release output of stack qa: error: no stack named 'qa'/);
            assert.equal(fs.readFileSync(target, "utf8"), TARGET);
        });

        it("refuses bad usage with exit 2", () => {
            assert.equal(run("dev").status, 2);
            assert.equal(run("dev", "dev").status, 2);
            assert.equal(run("dev", "nosuchstack").status, 2);
        });
    });
});
