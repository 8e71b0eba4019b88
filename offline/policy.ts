/**
 * Runs the CrossGuard pack (policy/) in-process against one stack's synthesized resources: the same
 * mocks and config as the tests and `npm run plan`, plus a legacy `transformations` hook that records
 * each resource's options (mocks never see options). The policies get ResourceValidationArgs /
 * StackValidationArgs built the way the engine builds them, as far as an offline run can:
 *
 * - `props` are the resource's inputs (what a preview shows for a new resource); secret inputs are
 *   passed as their plain value.
 * - `opts` are the options the program passed (`protect`, `deleteBeforeReplace`, `ignoreChanges`,
 *   recorded by the transformations hook). NOT seen: `aliases` (given as []), `customTimeouts`,
 *   `additionalSecretOutputs`, and anything the engine derives (inherited `protect` of a parent
 *   that sets it is not propagated here: this program sets it on each stateful resource).
 *   `retainOnDelete` is no policy option at all: the program's own tests check it.
 * - `provider` is the stack's explicit AWS provider with its inputs (`defaultTags` as JSON text, as
 *   the engine passes provider inputs), which is where policies read the `tier`.
 * - `dependencies` / `propertyDependencies` are reconstructed from values: an input that holds
 *   another resource's mocked id, ARN or name (or a host name under it, as a bucket's domain name)
 *   depends on it. The engine knows them from the program.
 * - Children of awsx components (subnets, route tables, NAT gateways, EIPs of `awsx.ec2.Vpc`) do not
 *   exist offline (awsx builds them in its plugin at deploy time), so policies on them (EC2.15, the
 *   VPC flow-log join) only run under `pulumi preview --policy-pack policy`.
 * - No unknowns: every value is known, as in `pulumi up` after creation; a real first preview reports
 *   policies that read unknown values as "can't run during preview" (advisory) instead.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { Platform } from "../components/platform";
import type { PlatformPolicy } from "../policy/lib";
import { POLICIES } from "../policy/policies";
import { installMocks, mockId, Recorded } from "./mocks";
import { ProgramRun, settle, stackConfig } from "./run";
import { Registered, registeredResources } from "./tree";

export interface SynthesizedResource {
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    inputs: Record<string, any>;
    /** What the mocks returned (ids, ARNs, names): used to reconstruct dependencies. */
    state: Record<string, any>;
    /** `<provider urn>::<id>` as the mocks received it. */
    provider?: string;
    /** Options the program passed; undefined where the hook did not see the resource (the provider). */
    opts?: pulumi.CustomResourceOptions;
}

/** What a test may add to a synthesized stack (a deliberately weakened resource). */
export type Extension = (platform: Platform) => void;

/**
 * One synthesis of the platform for `stack`, with inputs (mocks), options (transformations hook) and
 * URNs (the mock monitor). `extend` may register more resources in the same run. Without `extend`,
 * a program run (runProgram) gives the same resources: `synthesizedResources(run)`.
 */
export async function synthesizeStack(stack: string, extend?: Extension): Promise<SynthesizedResource[]> {
    const { loadSettings } = await import("../config");
    const { createPlatform } = await import("../components/platform");
    const { config, secretKeys } = stackConfig(stack);
    const recorded = installMocks("platform", stack, config["platform:region"] ?? "us-east-1");
    pulumi.runtime.setAllConfig(config, secretKeys);
    const options = new Map<string, pulumi.CustomResourceOptions>();
    const platform = createPlatform(loadSettings(), {
        transformations: [
            (a) => {
                options.set(`${a.type}::${a.name}`, a.opts as pulumi.CustomResourceOptions);
                return undefined;
            },
        ],
    });
    extend?.(platform); // children of a platform component inherit its provider and the hook
    await settle(recorded);
    return synthesized(stack, recorded.resources, registeredResources(), options);
}

/**
 * The resources of a program run as the policy runner sees them: runProgram records the inputs, the
 * mock monitor's URNs and state, and the options (offline/run.ts), so `npm run plan` and the specs
 * evaluate the pack on the run they already have instead of synthesizing the stack again.
 */
export function synthesizedResources(run: Pick<ProgramRun, "stack" | "resources" | "registered" | "options">): SynthesizedResource[] {
    if (!run.registered || !run.options) throw new Error(`the run of ${run.stack} has no registered resources or options (runProgram records them)`);
    return synthesized(run.stack, run.resources, run.registered, new Map(run.options.map((o) => [`${o.type}::${o.name}`, o.opts])));
}

function synthesized(
    stack: string,
    resources: Recorded["resources"],
    registered: Registered[],
    options: ReadonlyMap<string, pulumi.CustomResourceOptions>,
): SynthesizedResource[] {
    const byKey = new Map(registered.map((r) => [`${typeOfUrn(r.urn)}::${r.urn.split("::").slice(3).join("::")}`, r]));
    return resources.map((r) => {
        const key = `${r.type}::${r.name}`;
        const reg = byKey.get(key);
        return {
            type: r.type,
            name: r.name,
            urn: reg?.urn ?? `urn:pulumi:${stack}::platform::${r.type}::${r.name}`,
            custom: Boolean(r.custom),
            inputs: r.inputs ?? {},
            state: reg?.state ?? {},
            provider: r.provider || undefined,
            opts: options.get(key),
        };
    });
}

function typeOfUrn(urn: string): string {
    const chain = urn.split("::")[2].split("$");
    return chain[chain.length - 1];
}

/** Pulumi's marker for a secret in serialized inputs. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function plain(v: unknown): any {
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (Object.values(o).includes(SECRET_SIG) && "value" in o) return plain(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

function policyOptions(o: pulumi.CustomResourceOptions | undefined): PolicyResourceOptions {
    return {
        protect: o?.protect === true,
        ignoreChanges: o?.ignoreChanges ?? [],
        deleteBeforeReplace: o?.deleteBeforeReplace,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: o?.additionalSecretOutputs ?? [],
    };
}

/** Values by which inputs refer to a resource: its id, ARN and physical names. */
function referenceTokens(r: SynthesizedResource): string[] {
    if (!r.custom) return [];
    const s = r.state;
    const names = [s.name, s.bucket, s.identifier, s.url, s.repositoryUrl].filter((v): v is string => typeof v === "string" && v.length >= 10);
    return [mockId(r.name), ...(typeof s.arn === "string" ? [s.arn] : []), ...names];
}

/** Every resource an input value refers to (exact token, a qualified ARN/path under a token, or inside JSON text). */
function referencedIn(value: unknown, tokens: Map<string, string[]>, into: Set<string>): void {
    if (typeof value === "string") {
        tokens.get(value)?.forEach((u) => into.add(u));
        if (value.startsWith("arn:")) {
            for (let i = value.length - 1; i > 0; i--) {
                if (value[i] !== ":" && value[i] !== "/") continue;
                tokens.get(value.slice(0, i))?.forEach((u) => into.add(u));
            }
        }
        // A host name whose first label is a resource's name (`<bucket>.s3.<region>.amazonaws.com`).
        const label = /^([a-z0-9][a-z0-9-]*)\.[a-z0-9.-]+\.[a-z]{2,}$/.exec(value)?.[1];
        if (label) tokens.get(label)?.forEach((u) => into.add(u));
        if (value.startsWith("{") || value.startsWith("[")) {
            try {
                referencedIn(JSON.parse(value), tokens, into);
            } catch {
                /* not JSON */
            }
        }
    } else if (Array.isArray(value)) {
        for (const v of value) referencedIn(v, tokens, into);
    } else if (value !== null && typeof value === "object") {
        for (const v of Object.values(value)) referencedIn(v, tokens, into);
    }
}

/** The synthesized resources as CrossGuard PolicyResources (stack validation) with their validation args. */
export function policyResources(resources: SynthesizedResource[]): Array<{ resource: PolicyResource; options: PolicyResourceOptions }> {
    // Mocked ids and names repeat across types (a bucket and its policy are both `<name>-id`, a role and
    // a function both `<name>-abc1234`): a value refers to every holder registered before the resource
    // that uses it (a value can only come from an earlier resource). Joins look for the type they want.
    const order = new Map(resources.map((r, i) => [r.urn, i]));
    const tokens = new Map<string, string[]>();
    for (const r of resources) for (const t of referenceTokens(r)) tokens.set(t, [...(tokens.get(t) ?? []), r.urn]);
    const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    const built = new Map<string, PolicyResource>();
    const out = resources.map((r) => {
        const ref = r.provider ? providers.get(r.provider.split("::").slice(0, -1).join("::")) : undefined;
        const options = policyOptions(r.opts);
        const resource: PolicyResource = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: plain(r.inputs),
            opts: options,
            provider: ref ? { type: ref.type, name: ref.name, urn: ref.urn, props: plain(ref.inputs) } : undefined,
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === r.type,
            asType: (cls) => ((cls as unknown as { __pulumiType?: string }).__pulumiType === r.type ? (plain(r.inputs) as any) : undefined),
        };
        built.set(r.urn, resource);
        return { resource, options };
    });
    for (const r of resources) {
        const res = built.get(r.urn)!;
        const all = new Set<string>();
        for (const [key, value] of Object.entries(r.inputs ?? {})) {
            const refs = new Set<string>();
            referencedIn(value, tokens, refs);
            for (const u of refs) if (u === r.urn || order.get(u)! > order.get(r.urn)!) refs.delete(u);
            if (refs.size === 0) continue;
            res.propertyDependencies[key] = [...refs].map((u) => built.get(u)!).filter(Boolean);
            refs.forEach((u) => all.add(u));
        }
        res.dependencies = [...all].map((u) => built.get(u)!).filter(Boolean);
    }
    return out;
}

export interface PolicyResult {
    policy: string;
    control: string;
    level: string;
    scope: "resource" | "stack";
    urn: string;
    type: string;
    name: string;
    message: string;
    remediation: string;
    /** Set when a waiver (policy/waivers.ts) covers it: the reason. */
    waived?: string;
}

class NotApplicable extends Error {}

function resourceArgs(r: PolicyResource, stackTags: ReadonlyMap<string, string>): ResourceValidationArgs {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        opts: r.opts,
        provider: r.provider,
        stackTags,
        isType: r.isType,
        asType: r.asType as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Evaluates every policy of the pack (or `policies`) against the resources: violations and waived findings. */
export function evaluatePack(resources: SynthesizedResource[], policies: PlatformPolicy[] = POLICIES, stackTags: ReadonlyMap<string, string> = new Map()): PolicyResult[] {
    const views = policyResources(resources).map((v) => v.resource);
    const results: PolicyResult[] = [];
    const push = (p: PlatformPolicy, on: { urn: string; type: string; name: string }, message: string, waived?: string) =>
        results.push({ policy: p.name, control: p.meta.control, level: p.meta.level, scope: p.meta.scope, urn: on.urn, type: on.type, name: on.name, message, remediation: p.meta.remediation, waived });
    for (const p of policies) {
        if (p.meta.scope === "stack") {
            const args: StackValidationArgs = {
                resources: views,
                stackTags,
                getConfig: <T extends object>() => ({}) as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            };
            const stackSubject = { urn: "", type: "pulumi:pulumi:Stack", name: "(stack)" };
            const o = p.evaluate(args);
            o.violations.forEach((v) => push(p, v.resource ?? stackSubject, v.message));
            o.waived.forEach((v) => push(p, v.resource ?? stackSubject, v.message, v.reason));
        } else {
            for (const r of views) {
                if (!p.meta.types.includes(r.type)) continue;
                try {
                    const o = p.evaluate(resourceArgs(r, stackTags));
                    o.violations.forEach((v) => push(p, r, v.message));
                    o.waived.forEach((v) => push(p, r, v.message, v.reason));
                } catch (e) {
                    if (!(e instanceof NotApplicable)) throw e;
                }
            }
        }
    }
    return results;
}

/** Violations that fail a preview (mandatory, not waived). */
export function mandatoryViolations(results: PolicyResult[]): PolicyResult[] {
    return results.filter((r) => r.level === "mandatory" && !r.waived);
}

/** Lines for `npm run plan`: after each resource line of the tree (`<name>  (<type>)…`), its policy findings. */
export function annotateTree(lines: string[], results: PolicyResult[]): string[] {
    const byResource = new Map<string, PolicyResult[]>();
    for (const r of results) {
        const key = `${r.name}  (${r.type})`;
        byResource.set(key, [...(byResource.get(key) ?? []), r]);
    }
    const out: string[] = [];
    for (const line of lines) {
        out.push(line);
        const text = line.replace(/^[\s│├└─]*/, "");
        const key = [...byResource.keys()].find((k) => text.startsWith(k));
        if (!key) continue;
        const indent = " ".repeat(line.length - text.length + 3);
        for (const r of byResource.get(key)!) out.push(`${indent}${findingLine(r)}`);
    }
    return out;
}

function findingLine(r: PolicyResult): string {
    if (r.waived) return `~ waived: ${r.policy} (${r.control}), policy/waivers.ts`;
    return `!! POLICY ${r.level === "mandatory" ? "VIOLATION" : "ADVISORY"} ${r.policy} (${r.control}): ${r.message} Fix: ${r.remediation}`;
}

/** The plan's policy summary: counts (a mandatory violation fails `pulumi preview --policy-pack policy`), and stack-level findings on no resource. */
export function policySummary(results: PolicyResult[]): string[] {
    const mandatory = mandatoryViolations(results).length;
    const advisory = results.filter((r) => r.level === "advisory" && !r.waived).length;
    const waived = results.filter((r) => r.waived).length;
    return [
        `Policy pack (policy/, ${POLICIES.length} policies, run in-process; README "Policy pack"): ${mandatory} mandatory violation(s)${mandatory ? " (pulumi preview --policy-pack policy would fail)" : ""}, ${advisory} advisory, ${waived} waived; violations are marked !! under their resources, waivers ~.`,
        ...results.filter((r) => r.urn === "").map((r) => `  ${findingLine(r)}`),
    ];
}
