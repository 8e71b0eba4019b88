/**
 * The review modes of `npm run plan -- <stack> [--cost] [--diagram] [--against <git-ref> | --against-stack <other>] [--json]`
 * (README "Review tooling"). plan.ts parses its stack, runs the program once, and hands the run here.
 */
import { ProgramRun, ROOT, runProgram } from "../../offline/run";
import type { ReviewOptions } from "./args";
import { estimateCost, renderCost } from "./cost";
import { buildDiagram } from "./diagram";
import { diffSnapshots, renderDiff } from "./diff";
import { dumpStack, withRevision } from "./revision";
import { fromDump, fromRun, maskSecrets, normalizeStack, Snapshot } from "./snapshot";

export { isReview, parseReviewArgs, REVIEW_USAGE } from "./args";
export type { ReviewOptions } from "./args";

/** The plain plan as JSON (--json without another mode). */
function planJson(snap: Snapshot, run: ProgramRun) {
    return {
        stack: snap.stack,
        region: snap.region,
        resources: snap.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, component: r.component, inputs: maskSecrets(r.inputs) })),
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, run.secretOutputs.includes(k) ? "[secret]" : v])),
    };
}

/**
 * Starts what does not depend on this checkout's run — synthesizing the `--against` revision, or the
 * `--against-stack` stack, in its own process — so it runs beside `runProgram` on the second core
 * (plan.ts calls this first). Errors surface in `review`. `inProcess` leaves the other stack to
 * `review`'s `otherRun` (tests pass their memoised runs).
 */
export function startReview(stack: string, o: ReviewOptions, inProcess = false): Promise<Snapshot> | undefined {
    let pending: Promise<Snapshot>;
    if (o.against !== undefined) {
        const ref = o.against;
        pending = withRevision(ref, async (root) => fromDump(stack, await dumpStack(root, stack)));
    } else if (o.againstStack !== undefined && !inProcess) {
        const other = o.againstStack;
        pending = dumpStack(ROOT, other).then((dumped) => fromDump(other, dumped));
    } else {
        return undefined;
    }
    pending.catch(() => undefined); // awaited (and reported) by review()
    return pending;
}

/**
 * Runs the requested modes for `stack`; `run` is the program already run for it (in this process).
 * `otherRun` is where the in-process run of another stack comes from (tests pass a cached one).
 * Returns what to print: text lines, or one JSON document.
 */
export async function review(
    stack: string,
    run: ProgramRun,
    o: ReviewOptions,
    started: Promise<Snapshot> | undefined = startReview(stack, o, true),
    otherRun: (stack: string) => Promise<ProgramRun> = runProgram,
): Promise<string> {
    const snap = fromRun(run);
    const result: Record<string, unknown> = { stack, region: snap.region };
    const text: string[] = [];
    if (o.cost) {
        const cost = estimateCost(snap);
        result.cost = cost;
        text.push(...renderCost(cost), "");
    }
    if (o.against !== undefined) {
        const ref = o.against;
        const before = await started!;
        const diff = diffSnapshots(before, snap, { before: `${stack} at ${ref}`, after: `${stack} in this working tree` });
        result.diff = diff;
        text.push(...renderDiff(diff), "");
    }
    if (o.againstStack !== undefined) {
        const base = normalizeStack(started ? await started : fromRun(await otherRun(o.againstStack)));
        const diff = diffSnapshots(base, normalizeStack(snap), { before: `stack ${o.againstStack}`, after: `stack ${stack}` });
        result.diff = { ...diff, note: "stack names replaced by <stack> in names and inputs so the two stacks compare resource by resource" };
        text.push(...renderDiff(diff), "");
    }
    if (o.diagram) {
        const d = buildDiagram(snap);
        result.diagram = d;
        text.push(`\`\`\`mermaid\n${d.mermaid}\n\`\`\``, "");
    }
    if (o.json) {
        if (!o.cost && !o.diagram && o.against === undefined && o.againstStack === undefined) Object.assign(result, { plan: planJson(snap, run) });
        return `${JSON.stringify(result, null, 2)}\n`;
    }
    return `${text.join("\n").trimEnd()}\n`;
}
