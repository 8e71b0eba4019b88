/**
 * Runs the whole program (index.ts) for one stack, offline: config assembled exactly as the Pulumi CLI
 * does it, providers mocked, every registered resource and invoke recorded.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, Recorded } from "./mocks";
import { Registered, registeredResources } from "./tree";

export const ROOT = path.resolve(__dirname, "..");

/** Where the examples' stack files are: `examples/<name>/Pulumi.<stack>.yaml` (README "Examples"). */
export const EXAMPLES_DIR = path.join(ROOT, "examples");

/** The examples: directories under examples/ holding at least one stack file. */
export function knownExamples(): string[] {
    if (!fs.existsSync(EXAMPLES_DIR)) return [];
    return fs
        .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory() && knownStacks(path.join(EXAMPLES_DIR, d.name)).length > 0)
        .map((d) => d.name)
        .sort();
}

/**
 * The directory stack files are read from: the repository root (the reference app), unless a command
 * switched to an example (`npm run plan -- <stack> --example <name>`) before running anything.
 */
let stackDirectory = ROOT;

export function useStackDirectory(dir: string): void {
    stackDirectory = dir;
}

export function currentStackDirectory(): string {
    return stackDirectory;
}

interface ProjectFile {
    name: string;
    config?: Record<string, unknown>;
}

export function projectFile(): ProjectFile {
    return yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

export function projectName(): string {
    return projectFile().name;
}

/**
 * Top-level keys of a stack settings file (Pulumi "Project and stack reference": Pulumi.<stack>.yaml).
 * A file with other keys is not a stack's config.
 */
const STACK_FILE_KEYS = new Set(["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"]);

/**
 * Stacks that have a `Pulumi.<stack>.yaml` in the repository. Pulumi stack names may contain
 * periods (`^[A-Za-z0-9_.-]{1,100}$`), so `Pulumi.<a>.<b>.yaml` could be a stack; but Pulumi also
 * keeps other per-stack files beside them (Deployments settings as code: `Pulumi.<stack>.deploy.yaml`).
 * Those are skipped by name, and any file that does not parse as stack settings is skipped too.
 */
export function knownStacks(dir: string = stackDirectory): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => !f.endsWith(".deploy.yaml"))
        .map((f) => [f, /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]] as const)
        .filter(([file, stack]) => stack !== undefined && isStackFile(path.join(dir, file)))
        .map(([, stack]) => stack as string)
        .sort();
}

function isStackFile(file: string): boolean {
    try {
        const content = yaml.load(fs.readFileSync(file, "utf8"));
        if (content === undefined || content === null) return true; // an empty stack file is a stack without config
        if (typeof content !== "object" || Array.isArray(content)) return false;
        return Object.keys(content).every((k) => STACK_FILE_KEYS.has(k));
    } catch {
        return false;
    }
}

export const TEST_SECRET = "offline-test-secret";

/**
 * Config the way the CLI hands it to the program: Pulumi.yaml `default:`/`value:` first, then the
 * stack file's values, `secure:` values replaced by a test value (they cannot be decrypted offline),
 * then `overrides` (a test's variation; `undefined` removes a key). Keys are fully qualified
 * (`platform:network`), values are strings (objects as JSON), as the runtime receives them.
 */
export function stackConfig(
    stack: string,
    overrides: Record<string, unknown> = {},
    /** Read the config of this stack's file instead (a test running a stack name no file has). */
    fileStack: string = stack,
    /** The directory holding the stack file (default: the current one, the repository root unless switched). */
    dir: string = stackDirectory,
): { config: Record<string, string>; secretKeys: string[] } {
    const project = projectFile();
    stack = fileStack;
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`unknown stack "${stack}": there is no Pulumi.${stack}.yaml in ${path.relative(ROOT, dir) || "."} (stacks here: ${knownStacks(dir).join(", ")})`);
    }
    const stackFile = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const isDecl = decl !== null && typeof decl === "object" && !Array.isArray(decl);
        const value = isDecl ? ((decl as Record<string, unknown>).default ?? (decl as Record<string, unknown>).value) : decl;
        if (value !== undefined) values[qualify(key)] = encode(value);
    }
    for (const [key, value] of Object.entries(stackFile.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            values[qualify(key)] = TEST_SECRET;
            secretKeys.push(qualify(key));
        } else {
            values[qualify(key)] = encode(value);
        }
    }
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete values[qualify(key)];
        else values[qualify(key)] = encode(value);
    }
    return { config: values, secretKeys };
}

export interface ProgramRun extends Recorded {
    stack: string;
    /** The program's exports, with every Output resolved. */
    outputs: Record<string, unknown>;
    /** Names of outputs that are secret. */
    secretOutputs: string[];
    /** Set when the program threw (e.g. invalid config); outputs are empty then. */
    error?: Error;
    /** Every registered resource's URN, read from the mock monitor right after the run (review tooling: scripts/review/). */
    urns?: string[];
    /** What the mock monitor held right after the run: URN and the state the mocks returned (policy runner: offline/policy.ts). */
    registered?: Registered[];
    /** Every resource's options as the program passed them, in construction order (see `recordingOptions`). */
    options?: RecordedOptions[];
}

export interface RecordedOptions {
    type: string;
    name: string;
    opts: pulumi.CustomResourceOptions;
    /** The resource itself (compare with another record's `opts.parent` to find its parent). */
    resource: pulumi.Resource;
}

type CreatePlatform = (settings: unknown, opts?: pulumi.ComponentResourceOptions) => unknown;

/**
 * Mocks never see resource options (`protect`, `retainOnDelete`, `aliases`, ...), but legacy
 * `transformations` run client-side and receive them. The program's one entry into the components is
 * `createPlatform(settings, opts)`, whose components pass `opts` on to every child; for the duration of
 * `body` its export gets a recording transformation added (returning undefined, it changes nothing), so
 * one run of the unchanged index.ts yields inputs, outputs and options together.
 */
function recordingOptions<T>(into: RecordedOptions[], body: () => T): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const platform = require(path.join(ROOT, "components", "platform")) as { createPlatform: CreatePlatform };
    const createPlatform = platform.createPlatform;
    const record: pulumi.ResourceTransformation = (a) => {
        into.push({ type: a.type, name: a.name, opts: a.opts as pulumi.CustomResourceOptions, resource: a.resource });
        return undefined;
    };
    platform.createPlatform = (settings, opts = {}) => createPlatform(settings, { ...opts, transformations: [...(opts.transformations ?? []), record] });
    try {
        return body();
    } finally {
        platform.createPlatform = createPlatform;
    }
}

/**
 * Re-load the program entry for every run, so its top-level code runs against the new config and
 * mocks. Only index.ts has top-level state; config/ and components/ are pure modules and stay cached.
 */
function clearProgramModules(): void {
    delete require.cache[require.resolve(path.join(ROOT, "index.ts"))];
}

/** Resolves an Output (or plain data holding Outputs) to its value. Hangs on unknowns: keep preview off. */
export async function resolve(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const inner = await new Promise<unknown>((res) => (value as pulumi.Output<unknown>).apply((v) => res(v)));
        return resolve(inner);
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}

async function isSecretDeep(value: unknown): Promise<boolean> {
    if (pulumi.Output.isInstance(value)) return pulumi.isSecret(value as pulumi.Output<unknown>);
    if (value !== null && typeof value === "object") {
        for (const v of Object.values(value)) if (await isSecretDeep(v)) return true;
    }
    return false;
}

/** Waits until no new resources or invokes have been registered for a few event-loop turns. */
export async function settle(recorded: Recorded): Promise<void> {
    let last = -1;
    let quiet = 0;
    while (quiet < 5) {
        await new Promise((r) => setTimeout(r, 5));
        const now = recorded.resources.length + recorded.invokes.length;
        quiet = now === last ? quiet + 1 : 0;
        last = now;
    }
}

/** Runs the program as stack `stack`; `fileStack` names the stack file its config comes from (default: its own). */
export async function runProgram(stack: string, overrides: Record<string, unknown> = {}, fileStack: string = stack, dir: string = stackDirectory): Promise<ProgramRun> {
    const project = projectName();
    const { config, secretKeys } = stackConfig(stack, overrides, fileStack, dir);
    const region = config[`${project}:region`] ?? "us-east-1";
    const recorded = installMocks(project, stack, region);
    pulumi.runtime.setAllConfig(config, secretKeys);
    clearProgramModules();

    const options: RecordedOptions[] = [];
    let programExports: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        programExports = recordingOptions(options, () => require(path.join(ROOT, "index.ts")) as Record<string, unknown>);
    } catch (error) {
        await settle(recorded);
        return { stack, ...recorded, outputs: {}, secretOutputs: [], error: error as Error, options };
    }
    const outputs = (await resolve({ ...programExports })) as Record<string, unknown>;
    const secretOutputs: string[] = [];
    for (const [k, v] of Object.entries(programExports)) if (await isSecretDeep(v)) secretOutputs.push(k);
    await settle(recorded);
    const registered = registeredResources();
    return { stack, ...recorded, outputs, secretOutputs, urns: registered.map((r) => r.urn), registered, options };
}
