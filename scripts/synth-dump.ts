/**
 * Prints, as JSON, what the program registers for one stack: every resource's URN (its identity in
 * Pulumi state: a changed URN is a replacement unless aliased) and its inputs. Used by
 * `npm run synth-diff` on two checkouts; it loads the program from the checkout named by --root, so
 * it also works on revisions older than this script.
 *
 * usage: ts-node --transpile-only scripts/synth-dump.ts --root <checkout> <stack>
 */
import * as path from "node:path";

interface Dumped {
    urn: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const at = args.indexOf("--root");
    const root = path.resolve(at >= 0 ? args.splice(at, 2)[1] : path.join(__dirname, ".."));
    const [stack] = args;
    if (!stack) throw new Error("usage: synth-dump.ts --root <checkout> <stack>");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runProgram } = require(path.join(root, "offline/run.ts")) as typeof import("../offline/run");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { registeredResources } = require(path.join(root, "offline/tree.ts")) as typeof import("../offline/tree");
    const run = await runProgram(stack);
    if (run.error) throw run.error;
    const inputs = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, { inputs: r.inputs, custom: r.custom }]));
    const dumped: Dumped[] = registeredResources()
        .map((r) => {
            const name = r.urn.split("::").slice(3).join("::");
            const chain = r.urn.split("::")[2].split("$");
            const recorded = inputs.get(`${chain[chain.length - 1]}::${name}`);
            return { urn: r.urn, custom: recorded?.custom ?? false, inputs: (recorded?.inputs ?? {}) as Record<string, unknown> };
        })
        .sort((a, b) => a.urn.localeCompare(b.urn));
    process.stdout.write(JSON.stringify(dumped));
}

main().then(
    () => process.exit(0),
    (e: Error) => {
        process.stderr.write(`synth-dump: ${e.message}\n`);
        process.exit(1);
    },
);
