/**
 * What deploy/ reads from the repository it lives in: the platform's project name (root Pulumi.yaml)
 * and its stacks with their tiers and regions (Pulumi.<stack>.yaml, `platform:tier`, `platform:region`;
 * the region defaults to the project's us-east-1). Plain text matching, so the
 * program needs no YAML parser at deploy time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RepoFacts } from "./config";

export const REPO_ROOT = path.resolve(__dirname, "..");

export function readRepoFacts(root: string = REPO_ROOT): RepoFacts {
    const projectFile = fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8");
    const project = /^name:\s*([\w.-]+)\s*$/m.exec(projectFile)?.[1];
    if (!project) throw new Error(`${path.join(root, "Pulumi.yaml")} has no top-level name:`);
    const stacks: Record<string, string | undefined> = {};
    const regions: Record<string, string> = {};
    for (const file of fs.readdirSync(root)) {
        const stack = /^Pulumi\.([\w-]+)\.yaml$/.exec(file)?.[1];
        if (!stack) continue;
        const text = fs.readFileSync(path.join(root, file), "utf8");
        stacks[stack] = new RegExp(`^\\s+${project}:tier:\\s*["']?(\\w+)["']?\\s*(#.*)?$`, "m").exec(text)?.[1];
        regions[stack] = new RegExp(`^\\s+${project}:region:\\s*["']?([a-z]{2}(?:-[a-z]+)+-\\d)["']?\\s*(#.*)?$`, "m").exec(text)?.[1] ?? "us-east-1";
    }
    return { project, stacks, regions };
}
