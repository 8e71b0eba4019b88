/**
 * `npm run promote -- <from-stack> <to-stack> [--only image,image]`
 *
 * Reads what <from-stack> runs (`pulumi stack output release --json --stack <from-stack>`) and pins
 * the same tags and digests in Pulumi.<to-stack>.yaml. Nothing else in the file changes; commit it
 * and open a pull request: its preview shows exactly the promoted images.
 * Exit codes: 0 written, 1 refused (the message says why), 2 usage.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promote, PromotionError } from "./promotion";

const ROOT = path.resolve(__dirname, "..");

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run promote -- <from-stack> <to-stack> [--only image,image]\n`);
    process.exit(2);
}

function parseArgs(argv: string[]) {
    const positional: string[] = [];
    let only: string[] | undefined;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--only") {
            only = (argv[++i] ?? "").split(",").filter(Boolean);
            if (only.length === 0) usage("promote: --only needs a comma-separated list of images");
        } else if (argv[i].startsWith("-")) usage(`promote: unknown option ${argv[i]}`);
        else positional.push(argv[i]);
    }
    if (positional.length !== 2) usage("promote: name the stack to promote from and the stack to promote to");
    const [from, to] = positional;
    if (from === to) usage("promote: <from-stack> and <to-stack> must differ");
    return { from, to, only };
}

function upstreamRelease(from: string): unknown {
    let text: string;
    try {
        text = execFileSync("pulumi", ["stack", "output", "release", "--json", "--stack", from], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const err = e as { code?: string; stderr?: string };
        const why = err.code === "ENOENT" ? "the Pulumi CLI is not installed or not on PATH" : (err.stderr ?? String(e)).trim();
        throw new PromotionError([`could not read the release output of stack ${from}: ${why}`]);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new PromotionError([`stack ${from} returned a release output that is not JSON: ${text.slice(0, 200)}`]);
    }
}

function main(): void {
    const { from, to, only } = parseArgs(process.argv.slice(2));
    const file = path.join(ROOT, `Pulumi.${to}.yaml`);
    if (!fs.existsSync(file)) usage(`promote: there is no Pulumi.${to}.yaml`);
    const result = promote(upstreamRelease(from), fs.readFileSync(file, "utf8"), { from, to, only });
    fs.writeFileSync(file, result.text);
    const lines = result.changes.map((c) => `  ${c.image}: ${c.from ?? "(none)"} → ${c.to}  ${c.digest}`);
    process.stdout.write(
        `Pinned in Pulumi.${to}.yaml what ${from} runs:\n${lines.join("\n")}\n` +
            `Next: git diff Pulumi.${to}.yaml, commit, open a pull request; its preview shows the change.\n`,
    );
}

try {
    main();
} catch (e) {
    process.stderr.write(`${e instanceof PromotionError ? e.message : `promote failed: ${(e as Error).message}`}\n`);
    process.exit(1);
}
