/**
 * Promotion as a pure transform: the upstream stack's `release` output + the target stack file's text
 * → the new stack file's text, with only `platform:release` changed (comments, order and every other
 * key kept), so the pull request's diff and `pulumi preview` show exactly what is promoted.
 * Also here, pure as well: the stage order (dev → staging → prod), the upstream release read from a
 * stack file (offline mode), and the image-copy commands the promotion needs.
 */
import { isMap, isScalar, parseDocument, YAMLMap } from "yaml";
import { DIGEST_PATTERN, IMAGE_NAME, TAG_PATTERN } from "../config/schema";
import { TIERS } from "../config/settings";
import { Refusal } from "./stack-output";

export const RELEASE_KEY = "platform:release";
const SERVICES_KEY = "platform:services";
const TIER_KEY = "platform:tier";
const REGION_KEY = "platform:region";

/** The `release` stack output: per image, the repository it runs from, the tag and the digest. */
export type UpstreamRelease = Record<string, { repositoryUrl?: string; tag: string; digest: string }>;

export class PromotionError extends Refusal {
    constructor(problems: string[]) {
        super("promotion", problems);
        this.name = "PromotionError";
    }
}

export interface PromotionResult {
    text: string;
    /** Per promoted image: the tag it had in the target (or undefined) and the tag it gets. */
    changes: Array<{ image: string; from?: string; to: string; digest: string }>;
    /** Images the upstream stack runs that were not promoted, and why. */
    skipped: Array<{ image: string; why: string }>;
}

/** The upstream output must look like a release: known image names, commit-SHA tags, sha256 digests. */
export function validateUpstream(upstream: unknown, from: string): UpstreamRelease {
    if (upstream === null || typeof upstream !== "object" || Array.isArray(upstream)) {
        throw new PromotionError([`the "release" output of ${from} is not an object (got ${JSON.stringify(upstream)})`]);
    }
    const problems: string[] = [];
    for (const [image, rel] of Object.entries(upstream as Record<string, any>)) {
        if (!IMAGE_NAME.test(image)) problems.push(`${from} release: "${image}" is not an image name`);
        if (typeof rel?.tag !== "string" || !TAG_PATTERN.test(rel.tag)) problems.push(`${from} release.${image}.tag ${JSON.stringify(rel?.tag)} is not a commit SHA`);
        if (typeof rel?.digest !== "string" || !DIGEST_PATTERN.test(rel.digest)) problems.push(`${from} release.${image}.digest ${JSON.stringify(rel?.digest)} is not a sha256 digest`);
    }
    if (problems.length > 0) throw new PromotionError(problems);
    return upstream as UpstreamRelease;
}

function parseStackFile(text: string, stack: string) {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new PromotionError([`Pulumi.${stack}.yaml does not parse: ${doc.errors[0].message}`]);
    const config = doc.get("config");
    if (!isMap(config)) throw new PromotionError([`Pulumi.${stack}.yaml has no config: mapping`]);
    return { doc, config };
}

const plain = (doc: ReturnType<typeof parseDocument>, key: string): unknown => (doc.getIn(["config", key]) as { toJSON?(): unknown } | undefined)?.toJSON?.() ?? doc.getIn(["config", key]);

/** The tier a stack file names (`platform:tier`), or undefined. */
export function stackTier(text: string, stack: string): string | undefined {
    const tier = plain(parseStackFile(text, stack).doc, TIER_KEY);
    return typeof tier === "string" ? tier : undefined;
}

/**
 * Offline mode: what the upstream stack file pins (`platform:release`), in the shape of the `release`
 * output minus repository URLs. It is what the stack is configured to run, which is what it runs only
 * if its last `pulumi up` succeeded and was not rolled back.
 */
export function releaseFromStackFile(text: string, stack: string): UpstreamRelease {
    const release = plain(parseStackFile(text, stack).doc, RELEASE_KEY);
    if (release === undefined || release === null) return {};
    if (typeof release !== "object" || Array.isArray(release)) throw new PromotionError([`Pulumi.${stack}.yaml: ${RELEASE_KEY} is not a mapping`]);
    // A tag written unquoted as all digits (1234567) parses as a number: read it back as the string it was meant to be.
    return Object.fromEntries(
        Object.entries(release as Record<string, any>).map(([image, rel]) => [
            image,
            { tag: typeof rel?.tag === "number" ? String(rel.tag) : rel?.tag, digest: rel?.digest },
        ]),
    ) as UpstreamRelease;
}

/**
 * Releases move one stage at a time, in tier order dev → staging → prod. Promoting to a later tier
 * that skips one (dev → prod) is refused unless forced; staying within a tier or going back is allowed.
 */
export function stageProblem(from: { stack: string; tier?: string }, to: { stack: string; tier?: string }): string | undefined {
    const order = TIERS as readonly string[];
    const [a, b] = [order.indexOf(from.tier ?? ""), order.indexOf(to.tier ?? "")];
    if (a < 0) return `cannot tell which stage ${from.stack} is: Pulumi.${from.stack}.yaml names no tier (${order.join(" → ")})`;
    if (b < 0) return `cannot tell which stage ${to.stack} is: Pulumi.${to.stack}.yaml names no tier (${order.join(" → ")})`;
    if (b > a + 1) {
        const skipped = order.slice(a + 1, b).join(", ");
        return `${from.stack} (${from.tier}) → ${to.stack} (${to.tier}) skips ${skipped}: releases go ${order.join(" → ")}; promote to ${skipped} first, or pass --force`;
    }
    return undefined;
}

/**
 * Images to promote: the ones asked for (`only`), else every image the target stack declares (its
 * `platform:services`). Each must be one the target declares (else the plan would refuse the file)
 * and one the upstream stack runs: promoting never invents or silently drops an image.
 */
export function promote(upstreamOutput: unknown, targetText: string, opts: { from: string; to: string; only?: string[] }): PromotionResult {
    const upstream = validateUpstream(upstreamOutput, opts.from);
    const { doc, config } = parseStackFile(targetText, opts.to);

    const current = plain(doc, RELEASE_KEY) as Record<string, { tag: string | number; digest: string }> | undefined;
    const declared = Object.keys((plain(doc, SERVICES_KEY) as object | undefined) ?? {}).sort();
    const only = opts.only && opts.only.length > 0 ? [...new Set(opts.only)] : undefined;

    const problems: string[] = [];
    if (only) {
        for (const image of only.filter((i) => !declared.includes(i))) {
            problems.push(`Pulumi.${opts.to}.yaml declares no service "${image}" (it declares: ${declared.join(", ") || "none"}); add the service there first`);
        }
    }
    const wanted = only ?? declared;
    if (wanted.length === 0) throw new PromotionError([`Pulumi.${opts.to}.yaml declares no services and none were named with --only`]);
    for (const image of wanted.filter((i) => !upstream[i])) {
        problems.push(`${opts.from} does not run "${image}" (it runs: ${Object.keys(upstream).join(", ") || "nothing"}); deploy it there first`);
    }
    if (problems.length > 0) throw new PromotionError(problems);

    const skipped = Object.keys(upstream)
        .filter((image) => !wanted.includes(image))
        .sort()
        .map((image) => ({ image, why: only && declared.includes(image) ? "not named with --only" : `Pulumi.${opts.to}.yaml declares no such service` }));
    const changes = wanted.map((image) => ({
        image,
        from: current?.[image]?.tag === undefined ? undefined : String(current[image].tag),
        to: upstream[image].tag,
        digest: upstream[image].digest,
    }));
    return { text: applyChanges(targetText, doc, config, changes), changes, skipped };
}

/** Values are always written double-quoted: an all-digit tag (1234567) would otherwise be read as a number. */
const quoted = (value: string) => JSON.stringify(value);

type Doc = ReturnType<typeof parseDocument>;
type Change = PromotionResult["changes"][number];

/**
 * Edits the text in place rather than re-serializing the document (which would reformat flow lists
 * and comment spacing): existing tag/digest values are replaced where they stand; images the target
 * has no entry for are appended to its release block (or a new block at the end of `config:`).
 */
function applyChanges(text: string, doc: Doc, config: YAMLMap, changes: Change[]): string {
    const edits: Array<{ at: number; end: number; text: string }> = [];
    const missing: Change[] = [];
    for (const c of changes) {
        const tag = doc.getIn(["config", RELEASE_KEY, c.image, "tag"], true);
        const digest = doc.getIn(["config", RELEASE_KEY, c.image, "digest"], true);
        if (isScalar(tag) && isScalar(digest) && tag.range && digest.range) {
            edits.push({ at: tag.range[0], end: tag.range[1], text: quoted(c.to) }, { at: digest.range[0], end: digest.range[1], text: quoted(c.digest) });
        } else {
            missing.push(c);
        }
    }
    if (missing.length > 0) {
        const release = doc.getIn(["config", RELEASE_KEY], true);
        const block = isMap(release) && release.items.length > 0 ? release : config;
        const indent = " ".repeat(column(text, (block.items[0].key as { range: [number, number, number] }).range[0]));
        const entries = (pad: string) => missing.map((c) => `${pad}${c.image}:\n${pad}  tag: ${quoted(c.to)}\n${pad}  digest: ${quoted(c.digest)}\n`).join("");
        const insertion = block === config ? `${indent}${RELEASE_KEY}:\n${entries(indent + "  ")}` : entries(indent);
        const at = lineEnd(text, block.range![1]);
        edits.push({ at, end: at, text: (at > 0 && text[at - 1] !== "\n" ? "\n" : "") + insertion });
    }
    return edits.sort((a, b) => b.at - a.at).reduce((out, e) => out.slice(0, e.at) + e.text + out.slice(e.end), text);
}

function column(text: string, offset: number): number {
    return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** Offset just past the line containing the character before `offset` (where a block's next line starts). */
function lineEnd(text: string, offset: number): number {
    if (offset > 0 && text[offset - 1] === "\n") return offset;
    const nl = text.indexOf("\n", offset);
    return nl === -1 ? text.length : nl + 1;
}

/** The region a stack file names (`platform:region`), defaulting like Pulumi.yaml does. */
export function stackRegion(text: string, stack: string): string {
    const region = plain(parseStackFile(text, stack).doc, REGION_KEY);
    return typeof region === "string" ? region : "us-east-1";
}

/**
 * The image copy a promotion needs before its `pulumi up`: every promoted digest from the upstream
 * stack's repository into the target stack's, tagged with its commit SHA (a copy keeps the digest).
 * The target's repository is the upstream's registry with `<project>/<to-stack>/<image>` (naming.ts
 * repositoryName). Without upstream repository URLs (offline mode) both sides use `$REGISTRY`, which
 * the first line sets from the caller's AWS account.
 */
export function copyCommands(
    changes: PromotionResult["changes"],
    upstream: UpstreamRelease,
    ctx: { project: string; from: string; to: string; region: string },
): string[] {
    const lines: string[] = [];
    const registries = new Set<string>();
    const copies = changes.map((c) => {
        const source = upstream[c.image]?.repositoryUrl;
        const registry = source ? source.split("/")[0] : "$REGISTRY";
        registries.add(registry);
        const from = source ?? `${registry}/${ctx.project}/${ctx.from}/${c.image}`;
        return `crane copy "${from}@${c.digest}" "${registry}/${ctx.project}/${ctx.to}/${c.image}:${c.to}"`;
    });
    if (registries.has("$REGISTRY")) {
        lines.push(`REGISTRY="$(aws sts get-caller-identity --query Account --output text).dkr.ecr.${ctx.region}.amazonaws.com"`);
    }
    for (const registry of [...registries].sort()) {
        const region = registry === "$REGISTRY" ? ctx.region : (registry.split(".")[3] ?? ctx.region);
        lines.push(`aws ecr get-login-password --region ${region} | crane auth login --username AWS --password-stdin "${registry}"`);
    }
    return [...lines, ...copies];
}
