import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../offline/run";
import { RevisionRefused, withRevision } from "../scripts/review/revision";
import { runPlan } from "./helpers";

const leftovers = (dir = os.tmpdir()) => fs.readdirSync(dir).filter((f) => f.startsWith("plan-against-"));
const worktrees = (repo: string) => execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: repo, encoding: "utf8" });

/** A throwaway git repository with a committed package-lock.json. */
function scratchRepo(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-repo-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    fs.writeFileSync(path.join(dir, "package-lock.json"), '{"lockfileVersion":3}\n');
    fs.writeFileSync(path.join(dir, "index.ts"), "export const v = 1;\n");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
    return dir;
}

describe("review: --against <git-ref> (temporary worktree)", function () {
    this.timeout(120_000);
    let repo: string;
    before(() => (repo = scratchRepo()));
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("checks the revision out in a temporary worktree that reuses node_modules, and removes it afterwards", async () => {
        const before = leftovers();
        const seen = await withRevision(
            "HEAD",
            async (root) => ({
                file: fs.readFileSync(path.join(root, "index.ts"), "utf8"),
                modules: fs.readlinkSync(path.join(root, "node_modules")),
                listed: worktrees(repo).includes(root),
                root,
            }),
            { repo },
        );
        assert.equal(seen.file, "export const v = 1;\n");
        assert.equal(seen.modules, path.join(repo, "node_modules"));
        assert.ok(seen.listed);
        assert.ok(!fs.existsSync(seen.root));
        assert.ok(!worktrees(repo).includes(seen.root));
        assert.deepEqual(leftovers(), before);
    });

    it("cleans up when the synthesis fails", async () => {
        let root = "";
        await assert.rejects(
            withRevision("HEAD", async (r) => {
                root = r;
                throw new Error("synthesis failed");
            }, { repo }),
            /synthesis failed/,
        );
        assert.ok(root && !fs.existsSync(root));
        assert.ok(!worktrees(repo).includes(root));
    });

    it("refuses, before creating anything, a revision whose package-lock.json differs from this checkout's", async () => {
        fs.writeFileSync(path.join(repo, "package-lock.json"), '{"lockfileVersion":3,"packages":{"x":{}}}\n');
        const before = leftovers();
        let called = false;
        await assert.rejects(
            withRevision("HEAD", async () => {
                called = true;
            }, { repo }),
            (e: Error) => e instanceof RevisionRefused && /different package-lock\.json/.test(e.message),
        );
        assert.equal(called, false);
        assert.deepEqual(leftovers(), before);
        execFileSync("git", ["checkout", "-q", "package-lock.json"], { cwd: repo });
    });

    it("refuses a name that is not a revision", async () => {
        await assert.rejects(withRevision("no-such-ref", async () => undefined, { repo }), /"no-such-ref" is not a git revision/);
    });

    it("npm run plan -- dev --against HEAD --json: synthesizes HEAD beside this tree and leaves no worktree behind (the one slow test)", async () => {
        // Its own TMPDIR: other runs of the suite on this machine create plan-against-* in the shared one.
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "review-tmp-"));
        try {
            const r = await runPlan(["dev", "--against", "HEAD", "--json"], 110_000, { TMPDIR: tmp });
            assert.equal(r.code, 0, r.stderr);
            const out = JSON.parse(r.stdout);
            assert.equal(out.diff.before, "dev at HEAD");
            for (const key of ["added", "removed", "changed", "warnings"]) assert.ok(Array.isArray(out.diff[key]), key);
            assert.equal(typeof out.diff.cost.delta, "number");
            assert.match(out.diff.authority, /pulumi preview/);
            assert.deepEqual(leftovers(tmp), []);
            assert.ok(!worktrees(ROOT).includes(tmp), "its worktree is no longer registered");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
