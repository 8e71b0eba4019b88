import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../offline/run";

/**
 * The README stands alone in the repository: what it points at exists here, and every place in the
 * code that sends a reader to a README section names a heading the README has.
 */
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** README text outside fenced code blocks, and the blocks themselves. */
function split(markdown: string): { prose: string; blocks: string[] } {
    const parts = markdown.split(/^```.*$/m);
    return { prose: parts.filter((_, i) => i % 2 === 0).join("\n"), blocks: parts.filter((_, i) => i % 2 === 1) };
}

const { prose, blocks } = split(README);
const headings = [...prose.matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1]);

/** GitHub's anchor for a heading. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");

/** `a.{x,y}.b` → a.x.b, a.y.b */
function expandBraces(p: string): string[] {
    const m = /\{([^}]+)\}/.exec(p);
    return m ? m[1].split(",").flatMap((alt) => expandBraces(p.slice(0, m.index) + alt + p.slice(m.index + m[0].length))) : [p];
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
}

describe("README", () => {
    it("refers to nothing outside the repository (no ../ paths or links)", () => {
        const outside = README.split("\n").filter((line) => /(^|[\s`("'[])\.\.\//.test(line));
        assert.deepEqual(outside, [], "README lines pointing outside the repository");
    });

    it("every relative link points to a file in the repository, every #anchor to a heading", () => {
        const anchors = new Set(headings.map(anchor));
        for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
            if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
            if (target.startsWith("#")) {
                assert.ok(anchors.has(target.slice(1)), `README link ${target}: no such heading`);
            } else {
                assert.ok(fs.existsSync(path.join(ROOT, target.split("#")[0])), `README link ${target}: no such file`);
            }
        }
    });

    it("every repository file named in backticks exists (`config/tiers.ts`, `Pulumi.dev.yaml`, ...)", () => {
        const named = [...prose.matchAll(/`([\w.\-/]+\.(?:ts|js|json|ya?ml|md|sh))`/g)].map((m) => m[1]);
        assert.ok(named.length >= 5, `README names ${named.length} files`);
        for (const file of named) assert.ok(fs.existsSync(path.join(ROOT, file)), `README names \`${file}\`, which does not exist`);
    });

    it("every path in the Repository layout block exists", () => {
        const at = headings.indexOf("Repository layout");
        assert.ok(at !== -1, 'README has no "Repository layout" heading');
        const layout = blocks.find((b) => /^index\.ts\s/m.test(b));
        assert.ok(layout, "README Repository layout block not found");
        const paths = layout!.split("\n").map((l) => /^(\S+)/.exec(l)?.[1]).filter((p): p is string => p !== undefined);
        assert.ok(paths.length >= 8, `layout lists ${paths.length} paths`);
        for (const p of paths.flatMap(expandBraces)) assert.ok(fs.existsSync(path.join(ROOT, p)), `README Repository layout lists ${p}, which does not exist`);
    });

    it('every README: "Section" reference in the code names a README heading', () => {
        const files = ["index.ts", ...sourceFiles("config"), ...sourceFiles("components"), ...sourceFiles("scripts"), ...sourceFiles("offline")];
        const refs: string[] = [];
        for (const file of files) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            for (const m of text.matchAll(/README[:,]?\s+"([^"]+)"/g)) {
                refs.push(m[1]);
                assert.ok(headings.includes(m[1]), `${file} refers to README section "${m[1]}", which has no heading (headings: ${headings.join(" | ")})`);
            }
        }
        assert.ok(refs.length >= 1, "no README references found: has the reference style changed?");
    });
});
