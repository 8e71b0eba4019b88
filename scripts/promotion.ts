/**
 * Promotion as a pure transform: the upstream stack's `release` output + the target stack file's text
 * → the new stack file's text, with only `platform:release` changed (comments, order and every other
 * key kept), so the pull request's diff and `pulumi preview` show exactly what is promoted.
 */
import { isMap, isScalar, parseDocument, YAMLMap } from "yaml";
import { DIGEST_PATTERN, IMAGE_NAME, TAG_PATTERN } from "../config/schema";

export const RELEASE_KEY = "platform:release";
const SERVICES_KEY = "platform:services";

/** The `release` stack output: per image, the repository it runs from, the tag and the digest. */
export type UpstreamRelease = Record<string, { repositoryUrl?: string; tag: string; digest: string }>;

export class PromotionError extends Error {
    constructor(readonly problems: string[]) {
        super(`promotion refused:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PromotionError";
    }
}

export interface PromotionResult {
    text: string;
    /** Per promoted image: the tag it had in the target (or undefined) and the tag it gets. */
    changes: Array<{ image: string; from?: string; to: string; digest: string }>;
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

/**
 * Images to promote: the ones asked for (`only`), else every image the target stack runs (its
 * services and its current release). Each must be one the upstream stack runs: promoting never
 * invents or silently drops an image.
 */
export function promote(upstreamOutput: unknown, targetText: string, opts: { from: string; to: string; only?: string[] }): PromotionResult {
    const upstream = validateUpstream(upstreamOutput, opts.from);
    const doc = parseDocument(targetText);
    if (doc.errors.length > 0) throw new PromotionError([`Pulumi.${opts.to}.yaml does not parse: ${doc.errors[0].message}`]);
    const config = doc.get("config");
    if (!isMap(config)) throw new PromotionError([`Pulumi.${opts.to}.yaml has no config: mapping`]);

    const current = (doc.getIn(["config", RELEASE_KEY]) as { toJSON(): unknown } | undefined)?.toJSON() as Record<string, { tag: string; digest: string }> | undefined;
    const services = Object.keys(((doc.getIn(["config", SERVICES_KEY]) as { toJSON(): unknown } | undefined)?.toJSON() as object | undefined) ?? {});
    const wanted = opts.only && opts.only.length > 0 ? opts.only : [...new Set([...services, ...Object.keys(current ?? {})])].sort();
    if (wanted.length === 0) throw new PromotionError([`Pulumi.${opts.to}.yaml runs no images and none were named with --only`]);

    const missing = wanted.filter((image) => !upstream[image]);
    if (missing.length > 0) {
        throw new PromotionError(
            missing.map((image) => `${opts.from} does not run "${image}" (it runs: ${Object.keys(upstream).join(", ") || "nothing"}); deploy it there first`),
        );
    }

    const changes = wanted.map((image) => ({ image, from: current?.[image]?.tag, to: upstream[image].tag, digest: upstream[image].digest }));
    return { text: applyChanges(targetText, doc, config, changes), changes };
}

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
            edits.push({ at: tag.range[0], end: tag.range[1], text: c.to }, { at: digest.range[0], end: digest.range[1], text: c.digest });
        } else {
            missing.push(c);
        }
    }
    if (missing.length > 0) {
        const release = doc.getIn(["config", RELEASE_KEY], true);
        const block = isMap(release) && release.items.length > 0 ? release : config;
        const indent = " ".repeat(column(text, (block.items[0].key as { range: [number, number, number] }).range[0]));
        const entries = (pad: string) => missing.map((c) => `${pad}${c.image}:\n${pad}  tag: ${c.to}\n${pad}  digest: ${c.digest}\n`).join("");
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
