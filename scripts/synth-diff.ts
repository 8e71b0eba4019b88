/**
 * `npm run synth-diff -- [--base <git rev>] [stack ...]`: compares what the program registers in
 * this working tree with what it registered at another revision (default HEAD), per stack, offline.
 * It answers "does this refactoring change anything that is deployed?": a URN that appears or
 * disappears is a create or a delete (a replacement, unless the new resource carries an alias to the
 * old URN), and a changed input is an update. Exit codes: 0 identical, 1 differences, 2 usage.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { knownStacks, ROOT } from "../offline/run";

interface Dumped {
    urn: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run synth-diff -- [--base <git rev>] [stack ...]\n`);
    process.exit(2);
}

function dump(root: string, stack: string): Dumped[] {
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", "-r", path.join(root, "offline/fast-stacks.ts"), path.join(ROOT, "scripts/synth-dump.ts"), "--root", root, stack],
        { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PULUMI_ERROR_OUTPUT_STRING: "true" } },
    );
    if (r.status !== 0) throw new Error(`could not synthesize ${stack} in ${root}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout) as Dumped[];
}

/** Paths (a.b[0].c) at which two input trees differ. */
export function differences(a: unknown, b: unknown, at = ""): string[] {
    if (isDeepStrictEqual(a, b)) return [];
    // Policies and container definitions are JSON text: compare what they say, field by field.
    if (typeof a === "string" && typeof b === "string") {
        const [pa, pb] = [parseJson(a), parseJson(b)];
        if (pa !== undefined && pb !== undefined) return differences(pa, pb, at);
    }
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => differences(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
    }
    return [`${at || "(value)"}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`.slice(0, 300)];
}

function parseJson(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** What changed between two dumps of one stack, as lines a reviewer reads. */
export function compare(before: Dumped[], after: Dumped[]): string[] {
    const old = new Map(before.map((d) => [d.urn, d]));
    const now = new Map(after.map((d) => [d.urn, d]));
    const lines: string[] = [];
    for (const urn of old.keys()) if (!now.has(urn)) lines.push(`- ${urn}`);
    for (const urn of now.keys()) if (!old.has(urn)) lines.push(`+ ${urn}`);
    for (const [urn, d] of now) {
        const o = old.get(urn);
        if (!o) continue;
        for (const diff of differences(o.inputs, d.inputs)) lines.push(`~ ${urn}\n    ${diff}`);
    }
    return lines;
}

function main(): void {
    const args = process.argv.slice(2);
    let base = "HEAD";
    const stacks: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--base") base = args[++i] ?? usage("synth-diff: --base needs a git revision");
        else if (args[i].startsWith("-")) usage(`synth-diff: unknown option ${args[i]}`);
        else stacks.push(args[i]);
    }
    const all = knownStacks();
    for (const s of stacks) if (!all.includes(s)) usage(`synth-diff: unknown stack "${s}" (stacks: ${all.join(", ")})`);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-diff-"));
    const worktree = path.join(tmp, "base");
    execFileSync("git", ["worktree", "add", "--detach", "--quiet", worktree, base], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    let changed = false;
    try {
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(worktree, "node_modules"), "dir");
        for (const stack of stacks.length > 0 ? stacks : all) {
            const lines = compare(dump(worktree, stack), dump(ROOT, stack));
            changed ||= lines.length > 0;
            process.stdout.write(lines.length === 0 ? `${stack}: identical to ${base}\n` : `${stack}: ${lines.length} difference(s) from ${base}\n${lines.join("\n")}\n`);
        }
    } finally {
        execFileSync("git", ["worktree", "remove", "--force", worktree], { cwd: ROOT });
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    process.exit(changed ? 1 : 0);
}

if (require.main === module) {
    try {
        main();
    } catch (e) {
        process.stderr.write(`synth-diff: ${(e as Error).message}\n`);
        process.exit(2);
    }
}
