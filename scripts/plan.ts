/**
 * `npm run plan -- <stack>`: the offline stand-in for `pulumi preview`. Runs the program for one stack
 * with mocked providers and prints the resource tree (with the settings that matter) and the stack
 * outputs, after a WARNING for every placeholder value left in the stack file (placeholders.ts).
 * Exit codes: 0 plan printed, 1 invalid config or program error, 2 usage/unknown stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ConfigError } from "../config/errors";
import { currentStackDirectory, EXAMPLES_DIR, knownExamples, knownStacks, runProgram, useStackDirectory } from "../offline/run";
import { buildTree, registeredResources, renderTree } from "../offline/tree";
import { annotateTree, evaluatePack, policySummary, synthesizedResources } from "../offline/policy";
import { findPlaceholders, placeholderWarning } from "./placeholders";
import { isReview, parseReviewArgs, REVIEW_USAGE } from "./review/args";

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run plan -- <stack> [--example <name>] ${REVIEW_USAGE}   (stacks: ${knownStacks().join(", ")}) (examples: ${knownExamples().join(", ")})\n`);
    process.exit(2);
}

/**
 * `--example <name>`: read the stack files of examples/<name>/ instead of the root ones (README
 * "Examples"); taken out of the arguments before anything reads a stack file. Returns the rest.
 */
function takeExample(args: string[]): { example?: string; rest: string[] } {
    const i = args.indexOf("--example");
    if (i < 0) return { rest: args };
    const name = args[i + 1];
    if (!name || name.startsWith("-")) usage("plan: --example needs the name of an example");
    if (!knownExamples().includes(name)) usage(`plan: unknown example "${name}" (no stack files in examples/${name}/)`);
    if (args.includes("--against")) usage("plan: --against compares git revisions of the root stack files; use --against-stack with --example");
    useStackDirectory(path.join(EXAMPLES_DIR, name));
    return { example: name, rest: [...args.slice(0, i), ...args.slice(i + 2)] };
}

function formatOutput(value: unknown, secret: boolean): string {
    if (secret) return "[secret]";
    const flat = JSON.stringify(value);
    return flat.length <= 100 ? flat : JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
}

/** `Alarms: N …`: how many CloudWatch alarms the stack has, by severity (their descriptions start with it). */
function alarmSummary(resources: { type: string; inputs: Record<string, any> }[]): string {
    const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    const count = (severity: string) => alarms.filter((a) => String(a.inputs.alarmDescription ?? "").startsWith(`${severity}:`)).length;
    return `Alarms: ${alarms.length} CloudWatch alarms (${count("CRITICAL")} critical, ${count("WARNING")} warning), each notifying on ALARM and OK`;
}

async function main(): Promise<void> {
    const { example, rest: args } = takeExample(process.argv.slice(2));
    let parsed: ReturnType<typeof parseReviewArgs>;
    try {
        parsed = parseReviewArgs(args);
    } catch (e) {
        usage((e as Error).message);
    }
    const [stack, ...rest] = parsed.rest;
    if (!stack || rest.length > 0) usage("plan: name exactly one stack");
    if (!knownStacks().includes(stack)) usage(`plan: unknown stack "${stack}" (no Pulumi.${stack}.yaml)`);

    const started = Date.now();
    const reviewing = isReview(parsed.options) ? await import("./review") : undefined;
    const againstRevision = reviewing?.startReview(stack, parsed.options);
    const run = await runProgram(stack);
    if (run.error) {
        const text = ConfigError.isInstance(run.error) ? run.error.message : `program failed: ${run.error.message}`;
        process.stderr.write(`${text}\n`);
        process.exit(1);
    }
    if (reviewing) {
        process.stdout.write(await reviewing.review(stack, run, parsed.options, againstRevision));
        return;
    }

    const inputs = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
    const tree = buildTree(registeredResources(), (type, name) => inputs.get(`${type}::${name}`) ?? {});
    const count = run.resources.filter((r) => r.custom).length;
    const policyResults = evaluatePack(synthesizedResources(run)); // the same run: runProgram records options too

    const out: string[] = [];
    out.push(`OFFLINE PLAN  stack=${stack}${example ? `  example=${example}` : ""}  tier=${run.outputs.tier}  region=${run.outputs.region}`);
    out.push("Providers are mocked: no AWS account or Pulumi backend was contacted. This is what the program");
    out.push("registers for this stack's config, not a diff against deployed state; ids, ARNs and endpoints are");
    out.push("placeholders, and awsx components show as one node (their subnets, routes and NAT gateways are");
    out.push("created inside the awsx plugin at deploy time). Run `pulumi preview` with credentials for the real diff.");
    const stackFile = yaml.load(fs.readFileSync(path.join(currentStackDirectory(), `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | undefined;
    const placeholders = placeholderWarning(stack, findPlaceholders(stackFile?.config));
    if (placeholders.length > 0) out.push("", ...placeholders);
    if (typeof run.outputs.siteUrl === "string" && run.outputs.siteUrl.endsWith(".cloudfront.net")) {
        out.push("");
        out.push("NOTE: no domain configured: CloudFront serves https://<distribution>.cloudfront.net with its default");
        out.push("certificate (CloudFront forces TLSv1 as the minimum there), and reaches the internal load balancer over");
        out.push("plain HTTP inside the VPC (the tier allows it; staging and prod refuse it). Set platform:domain for your");
        out.push("own host with a us-east-1 certificate, TLS 1.2 minimum and HTTPS to the origin.");
    }
    const unreleased = Object.keys((run.outputs.unreleased as Record<string, string> | undefined) ?? {});
    if (unreleased.length > 0) {
        out.push("");
        out.push(`NOTE: not deployed until a release is pinned: ${unreleased.join(", ")} (see the unreleased output).`);
    }
    out.push("");
    out.push(alarmSummary(run.resources));
    out.push("");
    out.push(`Resources (${count} AWS resources, ${run.resources.length - count} components and providers):`);
    out.push(...annotateTree(renderTree(tree).map((l) => `  ${l}`), policyResults));
    out.push("", ...policySummary(policyResults));
    out.push("");
    out.push("Outputs:");
    for (const [key, value] of Object.entries(run.outputs)) {
        if (value === undefined) continue; // Pulumi records no stack output for an undefined value (e.g. natInstanceId with NAT gateways)
        out.push(`  ${key}: ${formatOutput(value, run.secretOutputs.includes(key))}`);
    }
    out.push("");
    out.push(`(offline plan took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    process.stdout.write(`${out.join("\n")}\n`);
}

main().then(
    () => process.exit(0),
    (e: Error) => {
        process.stderr.write(`plan: ${e.message}\n`);
        process.exit(1);
    },
);
