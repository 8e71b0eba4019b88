/**
 * What the release scripts (promote, release) share: their refusal error, and reading one output of a
 * stack through the Pulumi CLI.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** A refusal with every problem listed; the CLIs print the message and exit 1. */
export class Refusal extends Error {
    constructor(
        what: string,
        readonly problems: string[],
    ) {
        super(`${what} refused:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
}

/**
 * `pulumi stack output <output> --json --stack <stack>`, parsed. Without the CLI, the refusal carries
 * `offlineHint` (how to do the same offline); any other failure carries the CLI's own error.
 */
export function stackOutputFromCli(output: string | undefined, stack: string, offlineHint: string, refuse: (problems: string[]) => Refusal): unknown {
    let text: string;
    // Without a name: every output as one JSON object (one CLI call for a script that needs several).
    const what = output === undefined ? "outputs" : `${output} output`;
    try {
        text = execFileSync("pulumi", ["stack", "output", ...(output === undefined ? [] : [output]), "--json", "--stack", stack], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const err = e as { code?: string; stderr?: string };
        const why = err.code === "ENOENT" ? `the Pulumi CLI is not installed or not on PATH (${offlineHint})` : (err.stderr ?? String(e)).trim();
        throw refuse([`could not read the ${what} of stack ${stack}: ${why}`]);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw refuse([`stack ${stack} returned ${output === undefined ? "outputs" : `a ${output} output`} that ${output === undefined ? "are" : "is"} not JSON: ${text.slice(0, 200)}`]);
    }
}
