/**
 * Worker releases as a pure transform, the sibling of promotion.ts for Lambda aliases: a stack's
 * `workers` output + its stack file's text → the new stack file's text, with only
 * `platform:workers.<worker>.rollbackTo` and `.canary` changed (comments, order and every other key
 * kept), so the pull request's diff and `pulumi preview` show exactly the alias change.
 *
 * - rollback: `rollbackTo: "<previousVersion>"` (or the version asked for), dropping an active canary;
 *   during a canary, rolling back means the stable version takes 100 %.
 * - canary: `canary: { stable: "<liveVersion>", weight }`, committed with the new release pin so the
 *   `up` that publishes the new version keeps `live` on the stable one and sends `weight` to the new one.
 * - complete: drops `canary` (100 % to the newest version). clear: drops `rollbackTo` (the fix shipped).
 */
import { isMap, isScalar, parseDocument, Scalar, YAMLMap } from "yaml";
import { Refusal } from "./stack-output";

export const WORKERS_KEY = "platform:workers";
const REGION_KEY = "platform:region";
const RELEASE_KEY = "platform:release";

/** Lambda numbers published versions from 1; config writes them as quoted strings of digits. */
export const VERSION_PATTERN = /^[1-9][0-9]*$/;

export const COMMANDS = ["rollback", "canary", "complete", "clear"] as const;
export type ReleaseCommand = (typeof COMMANDS)[number];

/** One worker of the `workers` stack output (the fields the release needs; the rest pass through). */
export interface WorkerOutput {
    functionName: string;
    aliasName: string;
    liveVersion: string;
    /** Newest published version − 1; null while only one version exists (first deploy). */
    previousVersion: string | null;
    /** With a canary active: `{ <newest>: weight }`. */
    routing: Record<string, number>;
    /** The image the function runs, `<repository>@sha256:…` (what the next release must differ from). */
    image?: string;
}

export class ReleaseError extends Refusal {
    constructor(problems: string[]) {
        super("release", problems);
        this.name = "ReleaseError";
    }
}

export interface ReleaseResult {
    text: string;
    /** Every config value written or removed: `to` undefined means removed. */
    changes: Array<{ key: string; from?: string; to?: string }>;
    /** What `aws lambda get-alias --name live` should show after the next `pulumi up`. */
    expect: string;
}

type Doc = ReturnType<typeof parseDocument>;

/** Values are written double-quoted: an all-digit version (3) would otherwise be read back as a number. */
const quoted = (value: string) => JSON.stringify(value);
const key = (worker: string, field?: string) => `workers.${worker}${field ? `.${field}` : ""}`;
const asVersion = (v: unknown): string | undefined => (typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v : undefined);

function parseStackFile(text: string, stack: string): Doc {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new ReleaseError([`Pulumi.${stack}.yaml does not parse: ${doc.errors[0].message}`]);
    if (!isMap(doc.get("config"))) throw new ReleaseError([`Pulumi.${stack}.yaml has no config: mapping`]);
    return doc;
}

/** The worker's mapping in the stack file; refuses a worker the file does not declare. */
function workerNode(doc: Doc, stack: string, worker: string): YAMLMap {
    const workers = doc.getIn(["config", WORKERS_KEY], true);
    const declared = isMap(workers) ? workers.items.map((p) => String((p.key as Scalar).value)) : [];
    if (!declared.includes(worker)) {
        throw new ReleaseError([
            `Pulumi.${stack}.yaml declares no worker "${worker}" under ${WORKERS_KEY} (it declares: ${declared.join(", ") || "none"}); check the name, or add the worker and deploy it first`,
        ]);
    }
    const node = (workers as YAMLMap).get(worker, true);
    if (!isMap(node)) throw new ReleaseError([`Pulumi.${stack}.yaml: ${WORKERS_KEY}.${worker} is not a mapping`]);
    return node;
}

/** Refuses a stack file that does not declare the worker (before the outputs are read). */
export function checkDeclared(text: string, stack: string, worker: string): void {
    workerNode(parseStackFile(text, stack), stack, worker);
}

/** The `workers` output must hold the worker, with versions that are strings of digits. */
export function validateWorker(output: unknown, stack: string, worker: string): WorkerOutput {
    if (output === null || typeof output !== "object" || Array.isArray(output)) {
        throw new ReleaseError([`the "workers" output of ${stack} is not an object (got ${JSON.stringify(output)}); has ${stack} been deployed with workers yet?`]);
    }
    const all = output as Record<string, any>;
    const w = all[worker];
    if (w === undefined) {
        throw new ReleaseError([
            `stack ${stack} runs no worker "${worker}" (its workers output has: ${Object.keys(all).join(", ") || "none"}); deploy it first (pulumi up), then release`,
        ]);
    }
    const problems: string[] = [];
    const live = asVersion(w?.liveVersion);
    const previous = w?.previousVersion === null ? null : asVersion(w?.previousVersion);
    if (typeof w?.functionName !== "string") problems.push(`${stack} workers.${worker}.functionName ${JSON.stringify(w?.functionName)} is not a function name`);
    if (live === undefined || !VERSION_PATTERN.test(live)) problems.push(`${stack} workers.${worker}.liveVersion ${JSON.stringify(w?.liveVersion)} is not a version number`);
    if (previous !== null && (previous === undefined || !VERSION_PATTERN.test(previous))) {
        problems.push(`${stack} workers.${worker}.previousVersion ${JSON.stringify(w?.previousVersion)} is neither a version number nor null`);
    }
    if (problems.length > 0) throw new ReleaseError(problems);
    const routing = w.routing && typeof w.routing === "object" ? (w.routing as Record<string, number>) : {};
    const image = typeof w.image === "string" ? w.image : undefined;
    return { functionName: w.functionName, aliasName: typeof w.aliasName === "string" ? w.aliasName : "live", liveVersion: live!, previousVersion: previous as string | null, routing, image };
}

/** The newest published version the outputs tell of: previous + 1, the live one, or a canary's. */
function newestVersion(w: WorkerOutput): number {
    return Math.max(Number(w.liveVersion), w.previousVersion === null ? 0 : Number(w.previousVersion) + 1, ...Object.keys(w.routing).map(Number).filter(Number.isInteger));
}

/** What the worker's stack-file entry says now. */
function current(worker: YAMLMap) {
    const canary = worker.get("canary", true);
    const plainCanary = isMap(canary) ? (canary.toJSON() as { stable?: unknown; weight?: unknown }) : undefined;
    return {
        rollbackTo: asVersion((worker.get("rollbackTo", true) as Scalar | undefined)?.value),
        canary: plainCanary ? { stable: asVersion(plainCanary.stable), weight: plainCanary.weight } : canary !== undefined ? {} : undefined,
    };
}

const percent = (weight: number) => `${Math.round(weight * 1000) / 10} %`;
const describeCanary = (c: { stable?: string; weight?: unknown }) => `{ stable: ${c.stable ?? "?"}, weight: ${String(c.weight ?? "?")} }`;

/**
 * `rollback`: pins `live` to the previous version (or `to`). With a canary active the stable version
 * takes 100 %: rollbackTo = canary.stable, and the canary goes.
 */
export function rollback(output: unknown, text: string, opts: { stack: string; worker: string; to?: string }): ReleaseResult {
    const doc = parseStackFile(text, opts.stack);
    const node = workerNode(doc, opts.stack, opts.worker);
    const w = validateWorker(output, opts.stack, opts.worker);
    const now = current(node);
    const canaryActive = now.canary !== undefined || Object.keys(w.routing).length > 0;

    let target: string;
    if (opts.to !== undefined) {
        const newest = newestVersion(w);
        if (!VERSION_PATTERN.test(opts.to)) throw new ReleaseError([`--to ${JSON.stringify(opts.to)} is not a version number (Lambda versions are 1, 2, 3, …; ${opts.worker} has 1–${newest})`]);
        if (Number(opts.to) > newest) throw new ReleaseError([`--to ${opts.to}: ${opts.stack} has published versions 1–${newest} of ${opts.worker}; pick one of those`]);
        if (opts.to === w.liveVersion && !canaryActive) throw new ReleaseError([`--to ${opts.to} is the version live already serves in ${opts.stack}; pick an older one`]);
        target = opts.to;
    } else if (now.canary !== undefined) {
        if (now.canary.stable === undefined || !VERSION_PATTERN.test(now.canary.stable)) {
            throw new ReleaseError([`Pulumi.${opts.stack}.yaml: ${key(opts.worker, "canary.stable")} is not a version number; pass the version to roll back to with --to <version>`]);
        }
        target = now.canary.stable;
    } else if (w.previousVersion === null) {
        throw new ReleaseError([
            `${opts.worker} in ${opts.stack} has only one published version (first deploy): there is no previous version to roll back to. ` +
                `Pin the previous release digest instead (git log -p -- Pulumi.${opts.stack}.yaml; README "Runbook: roll back or canary a worker"): its pulumi up publishes a new version with the old code`,
        ]);
    } else if (w.previousVersion === w.liveVersion) {
        throw new ReleaseError([
            `${opts.worker} in ${opts.stack} already serves version ${w.liveVersion}, the previous one (rolled back already?); to go further back pass --to <version>`,
        ]);
    } else {
        target = w.previousVersion;
    }

    const edits = new Editor(text, node);
    const changes: ReleaseResult["changes"] = [];
    if (now.canary !== undefined && now.rollbackTo === undefined) {
        // The pin takes the canary's place in the file: one hunk in the diff.
        edits.replacePair("canary", `rollbackTo: ${quoted(target)}`);
    } else {
        edits.set("rollbackTo", quoted(target));
        if (now.canary !== undefined) edits.remove("canary");
    }
    changes.push({ key: key(opts.worker, "rollbackTo"), from: now.rollbackTo, to: target });
    if (now.canary !== undefined) changes.push({ key: key(opts.worker, "canary"), from: describeCanary(now.canary) });
    return { text: edits.apply(), changes, expect: `FunctionVersion ${target}, no RoutingConfig: 100 % on ${target}` };
}

/** What the stack file alone refuses for a canary (before the outputs are read): a bad weight, a pinned live. */
export function checkCanaryFile(text: string, opts: { stack: string; worker: string; weight: string | number }): { doc: Doc; node: YAMLMap; weight: number; now: ReturnType<typeof current> } {
    const doc = parseStackFile(text, opts.stack);
    const node = workerNode(doc, opts.stack, opts.worker);
    const weight = typeof opts.weight === "number" ? opts.weight : opts.weight.trim() === "" ? NaN : Number(opts.weight);
    if (!Number.isFinite(weight) || weight <= 0 || weight >= 1) {
        throw new ReleaseError([`weight ${JSON.stringify(opts.weight)} is not between 0 and 1 (exclusive): write 10 % as 0.1; 100 % is "complete", 0 % is "rollback"`]);
    }
    const now = current(node);
    if (now.rollbackTo !== undefined) {
        throw new ReleaseError([
            `Pulumi.${opts.stack}.yaml pins ${key(opts.worker, "rollbackTo")}: "${now.rollbackTo}"; a canary cannot start while live is pinned. ` +
                `Clear it first (npm run release -- clear ${opts.stack} ${opts.worker}), then run this again: both can go in the fix's pull request`,
        ]);
    }
    return { doc, node, weight, now };
}

/** The digest a stack file pins for an image (`platform:release.<image>.digest`), if any. */
function pinnedDigest(doc: Doc, image: string): string | undefined {
    const digest = doc.getIn(["config", RELEASE_KEY, image, "digest"]);
    return typeof digest === "string" ? digest : undefined;
}

/**
 * `canary`: keeps live on the live version and sends `weight` of invocations to the next published one.
 * A new canary needs a new version: the stack file must pin another image than the one running (from
 * the outputs), else the next `up` publishes nothing, the stable version stays the newest and the
 * canary would send its share to the stable version itself.
 */
export function canary(output: unknown, text: string, opts: { stack: string; worker: string; weight: string | number }): ReleaseResult {
    const { node, weight, now, doc } = checkCanaryFile(text, opts);
    const w = validateWorker(output, opts.stack, opts.worker);
    const edits = new Editor(text, node);
    const stableNow = now.canary?.stable;
    const weightNode = (node.get("canary", true) as YAMLMap | undefined)?.get?.("weight", true);
    let stable: string;
    if (now.canary !== undefined && stableNow !== undefined && isScalar(weightNode)) {
        // A canary in progress: only its weight moves (10 % → 50 %); the stable version stays.
        stable = stableNow;
        edits.replaceNode(weightNode, String(weight));
    } else {
        stable = w.liveVersion;
        const running = w.image?.split("@")[1];
        if (running === undefined) {
            throw new ReleaseError([
                `the workers output of ${opts.stack} does not say which image ${opts.worker} runs (no "image"); run pulumi up --stack ${opts.stack} once to refresh the outputs, then start the canary`,
            ]);
        }
        if (pinnedDigest(doc, opts.worker) === running) {
            throw new ReleaseError([
                `Pulumi.${opts.stack}.yaml pins the image ${opts.worker} already runs (${running}): the next pulumi up publishes no new version, so the canary's stable version ${stable} would be the newest one and there is nothing to send ${percent(weight)} to. ` +
                    `Pin the new release first (npm run promote, or CI's pin in dev; README "Release flow"), then run this again: both go in one pull request`,
            ]);
        }
        const value = edits.flow ? `{ stable: ${quoted(stable)}, weight: ${weight} }` : `\n${edits.childIndent}  stable: ${quoted(stable)}\n${edits.childIndent}  weight: ${weight}`;
        edits.set("canary", value);
    }
    const changes = [{ key: key(opts.worker, "canary"), from: now.canary && describeCanary(now.canary), to: describeCanary({ stable, weight }) }];
    return { text: edits.apply(), changes, expect: `FunctionVersion ${stable}, RoutingConfig.AdditionalVersionWeights { <new version>: ${weight} }: ${percent(weight)} on the new version` };
}

/** `complete`: drops the canary; live follows the newest version, 100 %. */
export function complete(text: string, opts: { stack: string; worker: string }): ReleaseResult {
    const node = workerNode(parseStackFile(text, opts.stack), opts.stack, opts.worker);
    const now = current(node);
    if (now.canary === undefined) throw new ReleaseError([`Pulumi.${opts.stack}.yaml has no ${key(opts.worker, "canary")}: nothing to complete (live already follows the newest version${now.rollbackTo ? `; it is pinned to ${now.rollbackTo} by rollbackTo: see clear` : ""})`]);
    const edits = new Editor(text, node);
    edits.remove("canary");
    return { text: edits.apply(), changes: [{ key: key(opts.worker, "canary"), from: describeCanary(now.canary) }], expect: "FunctionVersion = the newest version, no RoutingConfig: 100 % on it" };
}

/** `clear`: drops rollbackTo once the fix is released; live follows the newest version again. */
export function clear(text: string, opts: { stack: string; worker: string }): ReleaseResult {
    const node = workerNode(parseStackFile(text, opts.stack), opts.stack, opts.worker);
    const now = current(node);
    if (now.rollbackTo === undefined) throw new ReleaseError([`Pulumi.${opts.stack}.yaml has no ${key(opts.worker, "rollbackTo")}: nothing to clear`]);
    const edits = new Editor(text, node);
    edits.remove("rollbackTo");
    return { text: edits.apply(), changes: [{ key: key(opts.worker, "rollbackTo"), from: now.rollbackTo }], expect: "FunctionVersion = the newest version, no RoutingConfig: 100 % on it" };
}

/** The region a stack file names (`platform:region`), defaulting like Pulumi.yaml does. */
export function stackRegion(text: string, stack: string): string {
    const region = parseStackFile(text, stack).getIn(["config", REGION_KEY]);
    return typeof region === "string" ? region : "us-east-1";
}

/**
 * Text edits inside one worker's mapping, made where the values stand rather than by re-serializing
 * the document (which would reformat flow lists and comment spacing). A block mapping gets whole
 * lines added, replaced or removed; a flow mapping (`api: { memory: 512 }`) is rewritten from its
 * items' own text.
 */
class Editor {
    private edits: Array<{ at: number; end: number; text: string }> = [];
    readonly flow: boolean;
    /** Indentation of the worker's keys (block style). */
    readonly childIndent: string;

    constructor(
        private readonly text: string,
        private readonly map: YAMLMap,
    ) {
        this.flow = Boolean(map.flow) || map.items.length === 0;
        const first = map.items[0]?.key as Scalar | undefined;
        this.childIndent = this.flow || !first?.range ? "" : " ".repeat(column(text, first.range[0]));
    }

    private pair(name: string) {
        return this.map.items.find((p) => isScalar(p.key) && p.key.value === name);
    }

    replaceNode(node: Scalar, text: string): void {
        this.edits.push({ at: node.range![0], end: node.range![1], text });
    }

    /** Sets a key: replaces the value of an existing one, else appends it as the mapping's last key. */
    set(name: string, value: string): void {
        if (this.flow) return this.rewriteFlow(name, value);
        const existing = this.pair(name);
        if (existing && isScalar(existing.value) && existing.value.range) return this.replaceNode(existing.value, value.startsWith("\n") ? value.trimStart() : value);
        if (existing) return this.replacePair(name, `${name}:${value.startsWith("\n") ? "" : " "}${value}`);
        const at = lineEnd(this.text, this.map.range![1]);
        this.edits.push({ at, end: at, text: `${at > 0 && this.text[at - 1] !== "\n" ? "\n" : ""}${this.childIndent}${name}:${value.startsWith("\n") ? "" : " "}${value}\n` });
    }

    /** Replaces a key and its value (all its lines) with `replacement` (one `key: value`). */
    replacePair(name: string, replacement: string): void {
        if (this.flow) {
            const [k, ...v] = replacement.split(": ");
            this.rewriteFlow(name, undefined);
            return this.rewriteFlow(k, v.join(": "));
        }
        const [start, end] = this.pairLines(name);
        this.edits.push({ at: start, end, text: `${this.childIndent}${replacement}\n` });
    }

    remove(name: string): void {
        if (this.flow) return this.rewriteFlow(name, undefined);
        const [start, end] = this.pairLines(name);
        // The last key going would leave `worker:` null: keep an empty mapping instead.
        const text = this.map.items.length === 1 ? `${this.childIndent}{}\n` : "";
        this.edits.push({ at: start, end, text });
    }

    /** From the start of the key's line to just past its value's last line. */
    private pairLines(name: string): [number, number] {
        const p = this.pair(name)!;
        const keyStart = (p.key as Scalar).range![0];
        const valueEnd = (p.value as Scalar | YAMLMap | null)?.range?.[1] ?? (p.key as Scalar).range![1];
        return [this.text.lastIndexOf("\n", keyStart - 1) + 1, lineEnd(this.text, valueEnd)];
    }

    private flowItems?: Array<[string, string]>;

    private rewriteFlow(name: string, value: string | undefined): void {
        this.flowItems ??= this.map.items.map((p) => {
            const k = p.key as Scalar;
            const v = p.value as Scalar | YAMLMap | null;
            return [String(k.value), v?.range ? this.text.slice(v.range[0], v.range[1]).trim() : ""];
        });
        const i = this.flowItems.findIndex(([k]) => k === name);
        if (value === undefined) {
            if (i >= 0) this.flowItems.splice(i, 1);
        } else if (i >= 0) this.flowItems[i][1] = value;
        else this.flowItems.push([name, value]);
        const [start, end] = [this.map.range![0], this.map.range![1]];
        const body = this.flowItems.map(([k, v]) => `${k}: ${v}`).join(", ");
        this.edits = this.edits.filter((e) => e.at !== start);
        this.edits.push({ at: start, end, text: body ? `{ ${body} }` : "{}" });
    }

    apply(): string {
        return [...this.edits].sort((a, b) => b.at - a.at).reduce((out, e) => out.slice(0, e.at) + e.text + out.slice(e.end), this.text);
    }
}

function column(text: string, offset: number): number {
    return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** Offset just past the line containing the character before `offset`. */
function lineEnd(text: string, offset: number): number {
    if (offset > 0 && text[offset - 1] === "\n") return offset;
    const nl = text.indexOf("\n", offset);
    return nl === -1 ? text.length : nl + 1;
}
