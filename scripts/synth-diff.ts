/**
 * `npm run synth-diff -- [--base <git rev>] [stack ...]`: compares what the program registers in
 * this working tree with what it registered at another revision (default HEAD), per stack, offline.
 * It answers "does this refactoring change anything that is deployed?": a URN that appears or
 * disappears is a create or a delete (a replacement, unless the new resource carries an alias to the
 * old URN), and a changed input is an update. Exit codes: 0 identical, 1 differences, 2 usage.
 */
import { knownStacks, ROOT } from "../offline/run";
import { inputChanges } from "./review/diff";
import { dumpStack, withRevision } from "./review/revision";
import type { Dumped } from "./review/snapshot";

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run synth-diff -- [--base <git rev>] [stack ...]\n`);
    process.exit(2);
}

/** Paths (a.b[0].c) at which two input trees differ, as lines (scripts/review/diff.ts inputChanges; secrets masked). */
export function differences(a: unknown, b: unknown): string[] {
    return inputChanges(a, b).map((c) => `${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`.slice(0, 300));
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

async function main(): Promise<number> {
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

    let changed = false;
    // The base revision in a temporary worktree (removed afterwards, also on failure); a refactoring
    // may change the lockfile, so unlike `plan --against` this does not insist on the same one.
    await withRevision(
        base,
        async (worktree) => {
            for (const stack of stacks.length > 0 ? stacks : all) {
                const lines = compare(await dumpStack(worktree, stack), await dumpStack(ROOT, stack));
                changed ||= lines.length > 0;
                process.stdout.write(lines.length === 0 ? `${stack}: identical to ${base}\n` : `${stack}: ${lines.length} difference(s) from ${base}\n${lines.join("\n")}\n`);
            }
        },
        { requireSameLockfile: false },
    );
    return changed ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: Error) => {
            process.stderr.write(`synth-diff: ${e.message}\n`);
            process.exit(2);
        },
    );
}
