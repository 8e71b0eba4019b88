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
import { knownStacks, ROOT, runProgram } from "../offline/run";
import { buildTree, registeredResources, renderTree } from "../offline/tree";
import { annotateTree, evaluatePack, policySummary, synthesizeStack } from "../offline/policy";
import { findPlaceholders, placeholderWarning } from "./placeholders";

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run plan -- <stack>   (stacks: ${knownStacks().join(", ")})\n`);
    process.exit(2);
}

function formatOutput(value: unknown, secret: boolean): string {
    if (secret) return "[secret]";
    const flat = JSON.stringify(value);
    return flat.length <= 100 ? flat : JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
}

async function main(): Promise<void> {
    const [stack, ...rest] = process.argv.slice(2);
    if (!stack || rest.length > 0) usage("plan: name exactly one stack");
    if (!knownStacks().includes(stack)) usage(`plan: unknown stack "${stack}" (no Pulumi.${stack}.yaml)`);

    const started = Date.now();
    const run = await runProgram(stack);
    if (run.error) {
        const text = ConfigError.isInstance(run.error) ? run.error.message : `program failed: ${run.error.message}`;
        process.stderr.write(`${text}\n`);
        process.exit(1);
    }

    const inputs = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
    const tree = buildTree(registeredResources(), (type, name) => inputs.get(`${type}::${name}`) ?? {});
    const count = run.resources.filter((r) => r.custom).length;
    const policyResults = evaluatePack(await synthesizeStack(stack)); // after the tree: it re-synthesizes with the options hook

    const out: string[] = [];
    out.push(`OFFLINE PLAN  stack=${stack}  tier=${run.outputs.tier}  region=${run.outputs.region}`);
    out.push("Providers are mocked: no AWS account or Pulumi backend was contacted. This is what the program");
    out.push("registers for this stack's config, not a diff against deployed state; ids, ARNs and endpoints are");
    out.push("placeholders, and awsx components show as one node (their subnets, routes and NAT gateways are");
    out.push("created inside the awsx plugin at deploy time). Run `pulumi preview` with credentials for the real diff.");
    const stackFile = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | undefined;
    const placeholders = placeholderWarning(stack, findPlaceholders(stackFile?.config));
    if (placeholders.length > 0) out.push("", ...placeholders);
    if (typeof run.outputs.url === "string" && run.outputs.url.startsWith("http://")) {
        out.push("");
        out.push("NOTE: no domain configured, so the load balancer serves plain HTTP only (the tier allows it; staging and");
        out.push("prod refuse it). Set platform:domain to get HTTPS with a redirect from HTTP.");
    }
    const unreleased = Object.keys((run.outputs.unreleased as Record<string, string> | undefined) ?? {});
    if (unreleased.length > 0) {
        out.push("");
        out.push(`NOTE: not deployed until a release is pinned: ${unreleased.join(", ")} (see the unreleased output).`);
    }
    out.push("");
    out.push(`Resources (${count} AWS resources, ${run.resources.length - count} components and providers):`);
    out.push(...annotateTree(renderTree(tree).map((l) => `  ${l}`), policyResults));
    out.push("", ...policySummary(policyResults));
    out.push("");
    out.push("Outputs:");
    for (const [key, value] of Object.entries(run.outputs)) {
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
