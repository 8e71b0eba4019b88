/**
 * What the review modes (cost, diff, diagram) read: one stack's synthesized program as a flat list of
 * resources — URN, type, logical name, owning component and inputs — built either from an in-process
 * run (`runProgram`) or from `scripts/synth-dump.ts` output (another git revision).
 */
import type { ProgramRun } from "../../offline/run";

export interface SnapResource {
    urn: string;
    /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
    type: string;
    /** Logical name (the last URN segment), e.g. `prod-data-db`. */
    name: string;
    /** Top-level `platform:*` component that owns it (`platform:data:Data`), or `(stack)` for the provider. */
    component: string;
    custom: boolean;
    inputs: Record<string, any>;
}

export interface Snapshot {
    stack: string;
    region: string;
    resources: SnapResource[];
}

/** What synth-dump prints per resource. */
export interface Dumped {
    urn: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

export function urnParts(urn: string): { chain: string[]; type: string; name: string } {
    // urn:pulumi:<stack>::<project>::<parentType$...$type>::<name>
    const chain = urn.split("::")[2].split("$");
    return { chain, type: chain[chain.length - 1], name: urn.split("::").slice(3).join("::") };
}

export function fromDump(stack: string, dumped: Dumped[], region?: string): Snapshot {
    const resources = dumped.map((d) => {
        const { chain, type, name } = urnParts(d.urn);
        const component = chain[0].startsWith("platform:") ? chain[0] : "(stack)";
        return { urn: d.urn, type, name, component, custom: d.custom, inputs: d.inputs as Record<string, any> };
    });
    const provider = resources.find((r) => r.type === "pulumi:providers:aws");
    return { stack, region: region ?? String(provider?.inputs.region ?? "us-east-1"), resources };
}

/** A snapshot of an in-process run (needs `run.urns`, which `runProgram` records). */
export function fromRun(run: ProgramRun): Snapshot {
    if (run.error) throw run.error;
    if (!run.urns) throw new Error("this run has no URNs (runProgram records them; was it run by an older offline/run.ts?)");
    const byKey = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r]));
    const dumped: Dumped[] = run.urns.map((urn) => {
        const { type, name } = urnParts(urn);
        const r = byKey.get(`${type}::${name}`);
        return { urn, custom: r?.custom ?? false, inputs: (r?.inputs ?? {}) as Record<string, unknown> };
    });
    return fromDump(run.stack, dumped, typeof run.outputs.region === "string" ? run.outputs.region : undefined);
}

/** Pulumi's serialized secret: `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`. */
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): boolean {
    return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG;
}

/** The same tree with every secret replaced by the text `[secret]` (for printing and JSON). */
export function maskSecrets<T>(v: T): T {
    if (isSecretValue(v)) return "[secret]" as T;
    if (Array.isArray(v)) return v.map(maskSecrets) as T;
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)])) as T;
    return v;
}

/**
 * Does `text` mention resource `r`? Offline ids and ARNs are built from logical names (`<name>-id`,
 * `arn:…:<name>`, auto-names `<name>-abc1234`, offline/mocks.ts), explicit physical names from the
 * resource's own inputs (`identifier`, `name`, `bucket`, `replicationGroupId`).
 */
export function mentions(text: string, r: SnapResource): boolean {
    const tokens = [r.name, r.inputs.identifier, r.inputs.name, r.inputs.bucket, r.inputs.replicationGroupId].filter(
        (t): t is string => typeof t === "string" && t.length > 2,
    );
    return tokens.some((t) => new RegExp(`(?<![A-Za-z0-9-])${escape(t)}(?:-id|-abc1234)?(?![A-Za-z0-9-])`).test(text));
}

function escape(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every string inside an input tree (JSON text included as is). */
export function strings(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(strings);
    if (v !== null && typeof v === "object") return Object.values(v).flatMap(strings);
    return [];
}

/** Resources of `types` that `from` (a resource, or any input value) refers to in its inputs' strings. */
export function referencedBy(snap: Snapshot, from: SnapResource | unknown, types: string[]): SnapResource[] {
    const texts = strings(isSnapResource(from) ? from.inputs : from);
    const candidates = snap.resources.filter((r) => types.includes(r.type) && r !== from);
    const found = new Set<SnapResource>();
    for (const text of texts) {
        // `prod-compute-api-migrate` does not mention `prod-compute-api` (`mentions` rejects a prefix);
        // one string may mention several resources (a JSON environment of many URLs).
        for (const c of candidates) if (mentions(text, c)) found.add(c);
    }
    return [...found];
}

function isSnapResource(v: unknown): v is SnapResource {
    return v !== null && typeof v === "object" && "urn" in v && "inputs" in v;
}

export function ofType(snap: Snapshot, type: string): SnapResource[] {
    return snap.resources.filter((r) => r.type === type);
}

/** The components (top-level `platform:*` resources) in registration order. */
export function components(snap: Snapshot): SnapResource[] {
    return snap.resources.filter((r) => r.type.startsWith("platform:") && urnParts(r.urn).chain.length === 1);
}

/**
 * The same snapshot with the stack's name replaced by `<stack>` in URNs, names and input strings, so
 * two stacks of one program compare resource by resource (`--against-stack`). Whole words only:
 * `prod-data-db` → `<stack>-data-db`, `platform-prod-postgres` → `platform-<stack>-postgres`.
 */
export function normalizeStack(snap: Snapshot): Snapshot {
    const re = new RegExp(`(?<![A-Za-z0-9])${escape(snap.stack)}(?![A-Za-z0-9])`, "g");
    const fix = (v: unknown): any => {
        if (typeof v === "string") return v.replace(re, "<stack>");
        if (Array.isArray(v)) return v.map(fix);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
        return v;
    };
    return { ...snap, resources: snap.resources.map((r) => ({ ...r, urn: fix(r.urn), name: fix(r.name), inputs: fix(r.inputs) })) };
}
