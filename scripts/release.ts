/**
 * `npm run release -- <command> <stack> <worker> [...] [--outputs-file <file.json>] [--stack-file <path>]`
 *
 *   rollback <stack> <worker> [--to <version>]   live → the previous version (or --to); drops a canary
 *   canary   <stack> <worker> <weight>           live stays on the live version, <weight> (0–1) to the new one
 *   complete <stack> <worker>                    drops the canary: 100 % to the newest version
 *   clear    <stack> <worker>                    drops rollbackTo once the fix is released
 *
 * Writes only `platform:workers.<worker>.rollbackTo` / `.canary` in Pulumi.<stack>.yaml (comments,
 * order and every other key kept; versions quoted), the sibling of `npm run promote` for Lambda
 * aliases. rollback and canary read the stack's `workers` output with the Pulumi CLI (`pulumi stack
 * output workers --json --stack <stack>`), or, on a machine without it, from --outputs-file: a saved
 * `pulumi stack output --json --stack <stack>` (all outputs; its `workers` key is read). --stack-file
 * edits another file than Pulumi.<stack>.yaml in the repository root (tests use it).
 * It prints what it changed and the next steps. Exit codes: 0 written, 1 refused (the message says
 * why), 2 usage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { canary, checkCanaryFile, checkDeclared, clear, COMMANDS, complete, ReleaseCommand, ReleaseError, ReleaseResult, rollback, stackRegion, validateWorker } from "./release-config";
import { stackOutputFromCli } from "./stack-output";

const ROOT = path.resolve(__dirname, "..");
const USAGE = [
    "usage: npm run release -- rollback <stack> <worker> [--to <version>] [--outputs-file <file.json>]",
    "       npm run release -- canary <stack> <worker> <weight 0–1> [--outputs-file <file.json>]",
    "       npm run release -- complete <stack> <worker>",
    "       npm run release -- clear <stack> <worker>",
    "       (any command: --stack-file <path> edits that file instead of Pulumi.<stack>.yaml)",
].join("\n");

function usage(message: string): never {
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exit(2);
}

interface Args {
    command: ReleaseCommand;
    stack: string;
    worker: string;
    weight?: string;
    to?: string;
    outputsFile?: string;
    stackFile?: string;
}

function parseArgs(argv: string[]): Args {
    const positional: string[] = [];
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const option = ["--to", "--outputs-file", "--stack-file"].find((o) => argv[i] === o);
        if (option) {
            const value = argv[++i];
            if (value === undefined || value === "") usage(`release: ${option} needs a value`);
            options[option] = value;
        } else if (argv[i].startsWith("--")) usage(`release: unknown option ${argv[i]}`);
        else positional.push(argv[i]);
    }
    const [command, stack, worker, ...rest] = positional;
    if (command === undefined) usage("release: name a command");
    if (!(COMMANDS as readonly string[]).includes(command)) usage(`release: unknown command "${command}" (commands: ${COMMANDS.join(", ")})`);
    if (stack === undefined || worker === undefined) usage(`release: ${command} needs a stack and a worker`);
    const wanted = command === "canary" ? 1 : 0;
    if (rest.length !== wanted) usage(command === "canary" ? "release: canary needs a weight between 0 and 1 (e.g. 0.1 for 10 %)" : `release: ${command} takes a stack and a worker only`);
    if (options["--to"] !== undefined && command !== "rollback") usage("release: --to belongs to rollback");
    if (options["--outputs-file"] !== undefined && (command === "complete" || command === "clear")) usage(`release: ${command} reads no outputs; drop --outputs-file`);
    return { command: command as ReleaseCommand, stack, worker, weight: rest[0], to: options["--to"], outputsFile: options["--outputs-file"], stackFile: options["--stack-file"] };
}

function workersFromCli(stack: string): unknown {
    const offline = `offline: save the outputs where the CLI runs, pulumi stack output --json --stack ${stack} > outputs.json, and pass --outputs-file outputs.json`;
    return stackOutputFromCli("workers", stack, offline, (problems) => new ReleaseError(problems));
}

/** A saved `pulumi stack output --json`: every output of the stack, of which `workers` is read. */
function workersFromFile(file: string): unknown {
    let outputs: unknown;
    try {
        outputs = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ReleaseError([`--outputs-file ${file}: ${(e as Error).message}; save it with pulumi stack output --json --stack <stack> > ${file}`]);
    }
    if (outputs === null || typeof outputs !== "object" || !("workers" in outputs)) {
        throw new ReleaseError([`--outputs-file ${file} has no "workers" output; it must be a saved pulumi stack output --json --stack <stack> (all outputs) of a stack deployed with workers`]);
    }
    return (outputs as { workers: unknown }).workers;
}

function nextSteps(args: Args, file: string, result: ReleaseResult, functionName: string | undefined, region: string): string[] {
    const { command, stack, worker } = args;
    const fn = functionName ?? `"$(pulumi stack output workers --json --stack ${stack} | jq -r '.["${worker}"].functionName')"`;
    const steps = [
        `git diff ${file}; commit it and open a pull request${command === "canary" ? " together with the new release pin (the canary needs a new version to send traffic to)" : ""}.`,
        command === "canary"
            ? `pulumi preview --stack ${stack}: the function (its new code and version) and the alias "live" change, nothing else.`
            : `pulumi preview --stack ${stack}: only the alias "live" of ${worker} changes (its version or routing); no image rebuild, nothing else.`,
        `pulumi up --stack ${stack} (staging and prod deploy from the merged pull request).`,
        `Verify:\n       aws lambda get-alias --region ${region} --function-name ${fn} --name live --query '{version: FunctionVersion, routing: RoutingConfig}'\n     expect ${result.expect}.`,
    ];
    if (command === "rollback") steps.push(`After the fix is released: npm run release -- clear ${stack} ${worker} (live follows the newest version again).`);
    if (command === "canary") steps.push(`Watch the worker's alarms and errors; then npm run release -- complete ${stack} ${worker} (100 % to the new version), or npm run release -- rollback ${stack} ${worker}.`);
    return steps.map((s, i) => `  ${i + 1}. ${s}`);
}

function main(): void {
    const args = parseArgs(process.argv.slice(2));
    const file = args.stackFile ?? path.join(ROOT, `Pulumi.${args.stack}.yaml`);
    if (!fs.existsSync(file)) usage(`release: there is no ${args.stackFile ?? `Pulumi.${args.stack}.yaml`}`);
    const text = fs.readFileSync(file, "utf8");
    const opts = { stack: args.stack, worker: args.worker };

    let result: ReleaseResult;
    let functionName: string | undefined;
    if (args.command === "complete") result = complete(text, opts);
    else if (args.command === "clear") result = clear(text, opts);
    else {
        // Refuse what the stack file alone refuses before asking the CLI.
        checkDeclared(text, args.stack, args.worker);
        if (args.command === "canary") checkCanaryFile(text, { ...opts, weight: args.weight! });
        const output = args.outputsFile ? workersFromFile(args.outputsFile) : workersFromCli(args.stack);
        result = args.command === "rollback" ? rollback(output, text, { ...opts, to: args.to }) : canary(output, text, { ...opts, weight: args.weight! });
        functionName = validateWorker(output, args.stack, args.worker).functionName;
    }
    fs.writeFileSync(file, result.text);

    const shown = path.relative(ROOT, file).startsWith("..") ? file : path.relative(ROOT, file);
    const out = [`${args.command}: wrote ${shown}${args.outputsFile ? ` (outputs read from ${args.outputsFile})` : ""}:`];
    out.push(...result.changes.map((c) => `  ${c.key}: ${c.from ?? "(none)"} → ${c.to ?? "(removed)"}`));
    out.push("Next:", ...nextSteps(args, shown, result, functionName, stackRegion(text, args.stack)));
    process.stdout.write(`${out.join("\n")}\n`);
}

try {
    main();
} catch (e) {
    process.stderr.write(`${e instanceof ReleaseError ? e.message : `release failed: ${(e as Error).message}`}\n`);
    process.exit(1);
}
