/**
 * Synthesizing another git revision offline: a temporary `git worktree` of that revision that reuses
 * this checkout's installed node_modules (symlinked), removed again afterwards — also when the run
 * fails. Used by `npm run plan -- <stack> --against <ref>` and `npm run synth-diff`.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../../offline/run";
import { Dumped } from "./snapshot";

/** Refused: the revision cannot be synthesized with this checkout's dependencies. */
export class RevisionRefused extends Error {}

function git(args: string[], cwd = ROOT): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Runs `fn` with a checkout of `ref` at a temporary path. `requireSameLockfile` refuses (before any
 * worktree exists) when the revision's package-lock.json differs from this checkout's: the symlinked
 * node_modules would then not be what that revision installs, and its synthesis would not be its own.
 */
export async function withRevision<T>(ref: string, fn: (root: string) => Promise<T>, options: { requireSameLockfile?: boolean; repo?: string } = {}): Promise<T> {
    const repo = options.repo ?? ROOT;
    let commit: string;
    try {
        commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], repo).trim();
    } catch {
        throw new RevisionRefused(`"${ref}" is not a git revision of ${repo}`);
    }
    if (options.requireSameLockfile ?? true) {
        let theirs: string | undefined;
        try {
            theirs = git(["show", `${commit}:package-lock.json`], repo);
        } catch {
            theirs = undefined;
        }
        const ours = fs.readFileSync(path.join(repo, "package-lock.json"), "utf8");
        if (theirs !== ours) {
            throw new RevisionRefused(
                `${ref} has a different package-lock.json than this checkout: its program would run on dependencies it does not pin. ` +
                    "Check it out and run `npm ci && npm run plan` there, or compare against a revision with the same lockfile.",
            );
        }
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-against-"));
    const worktree = path.join(tmp, "rev");
    let cleaned = false;
    const cleanup = () => {
        if (cleaned) return;
        cleaned = true;
        try {
            git(["worktree", "remove", "--force", worktree], repo);
        } catch {
            // not created, or already gone: prune its administrative entry below
        }
        fs.rmSync(tmp, { recursive: true, force: true });
        try {
            git(["worktree", "prune"], repo);
        } catch {
            // nothing to prune
        }
    };
    // An interrupted run (Ctrl-C) or one that exits early (plan's config error) leaves no worktree behind either.
    const onSignal = () => {
        cleanup();
        process.exit(130);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    process.once("exit", cleanup);
    try {
        git(["worktree", "add", "--detach", "--quiet", worktree, commit], repo);
        fs.symlinkSync(path.join(repo, "node_modules"), path.join(worktree, "node_modules"), "dir");
        return await fn(worktree);
    } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        process.removeListener("exit", cleanup);
        cleanup();
    }
}

/** What the program at `root` registers for `stack` (scripts/synth-dump.ts, run as a separate process). */
export function dumpStack(root: string, stack: string): Promise<Dumped[]> {
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            [require.resolve("ts-node/dist/bin"), "--transpile-only", "-r", path.join(root, "offline/fast-stacks.ts"), path.join(ROOT, "scripts/synth-dump.ts"), "--root", root, stack],
            { cwd: root, env: { ...process.env, PULUMI_ERROR_OUTPUT_STRING: "true" } },
        );
        const out: Buffer[] = [];
        let err = "";
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code !== 0) reject(new Error(`could not synthesize ${stack} in ${root}: ${err.trim()}`));
            else resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as Dumped[]);
        });
    });
}
