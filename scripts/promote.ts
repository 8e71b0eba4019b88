/**
 * `npm run promote -- <from-stack> <to-stack> [--only image,image] [--from-file] [--force]`
 *
 * Reads what <from-stack> runs (`pulumi stack output release --json --stack <from-stack>`, or with
 * --from-file the `platform:release` block of Pulumi.<from-stack>.yaml, for machines without the
 * Pulumi CLI) and pins the same tags and digests in Pulumi.<to-stack>.yaml. Nothing else in the file
 * changes. Releases move dev → staging → prod (the tiers the stack files name); skipping a stage needs
 * --force. It prints what it changed, what it skipped, and the next steps: copy the images into the
 * target's repositories, commit, open a pull request (its preview shows exactly the promoted images).
 * Exit codes: 0 written, 1 refused (the message says why), 2 usage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { copyCommands, promote, PromotionError, releaseFromStackFile, stackRegion, stackTier, stageProblem } from "./promotion";
import { stackOutputFromCli } from "./stack-output";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run promote -- <from-stack> <to-stack> [--only image,image] [--from-file] [--force]";

function usage(message: string): never {
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exit(2);
}

function parseArgs(argv: string[]) {
    const positional: string[] = [];
    let only: string[] | undefined;
    let fromFile = false;
    let force = false;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--only") {
            only = (argv[++i] ?? "").split(",").filter(Boolean);
            if (only.length === 0) usage("promote: --only needs a comma-separated list of images");
        } else if (argv[i] === "--from-file") fromFile = true;
        else if (argv[i] === "--force") force = true;
        else if (argv[i].startsWith("-")) usage(`promote: unknown option ${argv[i]}`);
        else positional.push(argv[i]);
    }
    if (positional.length !== 2) usage("promote: name the stack to promote from and the stack to promote to");
    const [from, to] = positional;
    if (from === to) usage("promote: <from-stack> and <to-stack> must differ");
    return { from, to, only, fromFile, force };
}

const stackFile = (stack: string) => path.join(ROOT, `Pulumi.${stack}.yaml`);
const readStackFile = (stack: string) => (fs.existsSync(stackFile(stack)) ? fs.readFileSync(stackFile(stack), "utf8") : undefined);

function releaseFromCli(from: string): unknown {
    const offline = `offline: npm run promote -- ${from} <to-stack> --from-file reads Pulumi.${from}.yaml instead`;
    return stackOutputFromCli("release", from, offline, (problems) => new PromotionError(problems));
}

function projectName(): string {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name?: string };
    return project.name ?? "platform";
}

function main(): void {
    const { from, to, only, fromFile, force } = parseArgs(process.argv.slice(2));
    const targetText = readStackFile(to);
    if (targetText === undefined) usage(`promote: there is no Pulumi.${to}.yaml`);
    const upstreamText = readStackFile(from);
    if (upstreamText === undefined && (fromFile || !force)) {
        throw new PromotionError([`there is no Pulumi.${from}.yaml to read ${fromFile ? "the release" : "the tier"} of ${from} from${fromFile ? "" : " (--force skips the stage check)"}`]);
    }

    const warnings: string[] = [];
    const stage = stageProblem({ stack: from, tier: upstreamText && stackTier(upstreamText, from) }, { stack: to, tier: stackTier(targetText, to) });
    if (stage && !force) throw new PromotionError([stage]);
    if (stage) warnings.push(`WARNING: --force: ${stage.replace(/, or pass --force$/, "")}`);

    const upstream = fromFile ? releaseFromStackFile(upstreamText!, from) : releaseFromCli(from);
    if (fromFile) {
        warnings.push(
            `NOTE: --from-file read what Pulumi.${from}.yaml pins, not what ${from} runs: check that its last pulumi up succeeded and was not rolled back.`,
        );
    }
    const result = promote(upstream, targetText, { from, to, only });
    fs.writeFileSync(stackFile(to), result.text);

    const out: string[] = [...warnings];
    out.push(`Pinned in Pulumi.${to}.yaml what ${from} ${fromFile ? "pins" : "runs"}:`);
    out.push(...result.changes.map((c) => `  ${c.image}: ${c.from ?? "(none)"} → ${c.to}  ${c.digest}${c.from === c.to ? "  (unchanged)" : ""}`));
    if (result.skipped.length > 0) {
        out.push("Skipped:");
        out.push(...result.skipped.map((s) => `  ${s.image}: ${s.why}`));
    }
    const region = stackRegion(targetText, to);
    out.push("Next:");
    out.push(`  1. Copy the images into ${to}'s repositories (a copy keeps the digest):`);
    out.push(...copyCommands(result.changes, upstream as Parameters<typeof copyCommands>[1], { project: projectName(), from, to, region }).map((l) => `       ${l}`));
    out.push(`  2. git diff Pulumi.${to}.yaml, commit, open a pull request; its preview shows the new task definitions.`);
    process.stdout.write(`${out.join("\n")}\n`);
}

try {
    main();
} catch (e) {
    process.stderr.write(`${e instanceof PromotionError ? e.message : `promote failed: ${(e as Error).message}`}\n`);
    process.exit(1);
}
