/**
 * Runs deploy/ for one of its stacks offline (tests and `npm run plan:deploy`): config assembled as
 * the CLI does (deploy/Pulumi.yaml defaults, then deploy/Pulumi.<stack>.yaml, then a test's
 * overrides), every provider mocked, every registered resource recorded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { resolve, settle } from "../offline/run";
import { Recorded } from "../offline/mocks";
import { DEPLOY_PROJECT } from "./config";
import { GITHUB_AUDIENCE, GITHUB_ISSUER_HOST } from "./trust";

export const DEPLOY_DIR = __dirname;

/** Stacks of deploy/ that have a Pulumi.<stack>.yaml. */
export function deployStacks(): string[] {
    return fs.readdirSync(DEPLOY_DIR).map((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

export function deployConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(DEPLOY_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
    const file = path.join(DEPLOY_DIR, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`unknown deploy stack "${stack}": there is no deploy/Pulumi.${stack}.yaml (stacks: ${deployStacks().join(", ")})`);
    const stackFile = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    const values: Record<string, string> = {};
    for (const [key, decl] of Object.entries(project.config)) if (decl.default !== undefined) values[key] = encode(decl.default);
    for (const [key, value] of Object.entries(stackFile.config ?? {})) values[key] = encode(value);
    for (const [key, value] of Object.entries(overrides)) {
        const k = key.includes(":") ? key : `${DEPLOY_PROJECT}:${key}`;
        if (value === undefined) delete values[k];
        else values[k] = encode(value);
    }
    return values;
}

/** What the mocks answer: IAM ARNs in the configured account, everything else echoes its inputs. */
function mockState(args: pulumi.runtime.MockResourceArgs, accountId: string): Record<string, unknown> {
    const { type, name, inputs } = args;
    switch (type) {
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return { ...inputs, arn: `arn:aws:iam::${accountId}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}` };
        case "aws:iam/role:Role":
            return { ...inputs, name: inputs.name ?? name, arn: `arn:aws:iam::${accountId}:role/${inputs.name ?? name}` };
        default:
            return { ...inputs };
    }
}

export interface DeployRun extends Recorded {
    stack: string;
    outputs: Record<string, unknown>;
    error?: Error;
}

export async function runDeploy(stack: string, overrides: Record<string, unknown> = {}): Promise<DeployRun> {
    const config = deployConfig(stack, overrides);
    let accountId = "000000000000";
    const organization = String(config[`${DEPLOY_PROJECT}:organization`] ?? "");
    try {
        accountId = (JSON.parse(config[`${DEPLOY_PROJECT}:accounts`] ?? "{}") as Record<string, string>)[stack] ?? accountId;
    } catch {
        // invalid accounts: the program reports it
    }
    const recorded: Recorded = { resources: [], invokes: [] };
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                recorded.resources.push(args);
                return { id: args.custom ? `${args.name}-id` : "", state: mockState(args, accountId) };
            },
            call: (call) => {
                recorded.invokes.push(call);
                // An existing IAM OIDC provider (oidcProviders: existing): it accepts the audience its tokens carry.
                if (call.token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider") {
                    const arn = String(call.inputs.arn);
                    const url = arn.replace(/^arn:aws:iam::\d{12}:oidc-provider\//, "");
                    return { arn, url, clientIdLists: [url === GITHUB_ISSUER_HOST ? GITHUB_AUDIENCE : organization], thumbprintLists: [], tags: {} };
                }
                throw new Error(`deploy offline mocks: unmocked invoke ${call.token}`);
            },
        },
        DEPLOY_PROJECT,
        stack,
        false,
        "acme",
    );
    pulumi.runtime.setAllConfig(config, [`${DEPLOY_PROJECT}:chat`]);
    const entry = path.join(DEPLOY_DIR, "index.ts");
    delete require.cache[require.resolve(entry)];
    let programExports: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        programExports = require(entry) as Record<string, unknown>;
    } catch (error) {
        await settle(recorded);
        return { stack, ...recorded, outputs: {}, error: error as Error };
    }
    const outputs = (await resolve({ ...programExports })) as Record<string, unknown>;
    await settle(recorded);
    return { stack, ...recorded, outputs };
}
