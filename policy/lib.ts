/**
 * The pack's building blocks: one way to declare a policy (name, control, level, remediation, the
 * resource types it inspects), how a policy learns the tier, and the parsing helpers the domain modules
 * share (IAM-style policy documents, JSON-string inputs, CIDRs).
 *
 * Resource types are matched by their type token (`aws:rds/instance:Instance`), not through the
 * `@pulumi/aws` classes: awsguard went stale because its tokens came from the @pulumi/aws copy it
 * bundled (reference/anchors.md); a spec checks every token here against the installed @pulumi/aws.
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { waiverFor, type WaiverSubject } from "./waivers";

/** Mandatory: security and data protection (the preview fails). Advisory: cost and hygiene (reported). */
export type Level = "mandatory" | "advisory";

/** The tiers the program knows (config/tiers.ts). */
export type Tier = "dev" | "staging" | "prod";

export interface PolicyMeta {
    /** kebab-case, unique in the pack. */
    name: string;
    /** What it enforces: FSBP control ids (`RDS.3`), other Security Hub/checkov ids, or `seed: …` for the project's own rules. */
    control: string;
    /** One sentence: what must hold. */
    summary: string;
    level: Level;
    /** Which config key (or file) fixes a violation. */
    remediation: string;
    /** Tiers it applies to; omitted = every tier. A resource whose tier cannot be seen counts as prod. */
    tiers?: Tier[];
}

/** A violation before waivers: the message, and what a waiver may match on besides the resource. */
export interface Finding {
    message: string;
    /** A detail a waiver can match (an IAM action, a listener's role, …). */
    detail?: string;
    /** The resource the finding is about, for stack policies (defaults to the validated resource). */
    resource?: PolicyResource;
}

export interface Outcome {
    violations: Finding[];
    waived: Array<Finding & { reason: string }>;
}

/** What the pack's policies are: CrossGuard policies plus the metadata the README table and the runner read. */
export type PlatformPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
    meta: PolicyMeta & { types: string[]; scope: "resource" | "stack" };
    /** The findings, waived ones apart (what validateResource/validateStack reports is `violations`). Takes the args of its scope. */
    evaluate(args: ResourceValidationArgs | StackValidationArgs): Outcome;
};

type ResourceCheck = (props: Record<string, any>, args: ResourceValidationArgs) => Array<Finding | string> | void;
type StackCheck = (args: StackValidationArgs) => Array<Finding> | void;

function describe(meta: PolicyMeta): string {
    const scope = meta.tiers ? ` (${meta.tiers.join(", ")} only)` : "";
    return `${meta.control}: ${meta.summary}${scope}`;
}

/** What every policy of the pack declares: name, control in the description, level, remediation, metadata. */
function basics(meta: PolicyMeta & { types: string[] }, scope: "resource" | "stack") {
    return { name: meta.name, description: describe(meta), enforcementLevel: meta.level, remediationSteps: meta.remediation, meta: { ...meta, scope } };
}

/** Splits findings into reported violations and waived ones (waivers.ts). */
function judge(policy: string, tier: Tier | undefined, subject: Omit<WaiverSubject, "policy" | "tier" | "detail">, findings: Finding[]): Outcome {
    const out: Outcome = { violations: [], waived: [] };
    for (const f of findings) {
        const on = f.resource ?? subject;
        const recoveryRole = f.resource ? recoveryRoleOf(f.resource) : subject.recoveryRole;
        const waiver = waiverFor({ policy, tier: f.resource ? tierOfResource(f.resource) : tier, type: on.type, name: on.name, urn: on.urn, detail: f.detail, recoveryRole });
        if (waiver) out.waived.push({ ...f, reason: waiver.reason });
        else out.violations.push(f);
    }
    return out;
}

function applies(meta: PolicyMeta, tier: Tier | undefined): boolean {
    // Unknown tier → treated as prod (fail closed): a resource without the tier tag gets the strict rules.
    return !meta.tiers || meta.tiers.includes(tier ?? "prod");
}

/** A policy on every resource of `types`. `check` returns findings (strings or {message, detail}). */
export function resourcePolicy(meta: PolicyMeta & { types: string[] }, check: ResourceCheck): PlatformPolicy & ResourceValidationPolicy & { evaluate(args: ResourceValidationArgs): Outcome } {
    const evaluate = (args: ResourceValidationArgs): Outcome => {
        if (!meta.types.includes(args.type)) return { violations: [], waived: [] };
        const tier = tierOf(args);
        if (!applies(meta, tier)) return { violations: [], waived: [] };
        const findings = (check(args.props, args) ?? []).map((f) => (typeof f === "string" ? { message: f } : f));
        return judge(meta.name, tier, { type: args.type, name: args.name, urn: args.urn, recoveryRole: recoveryRoleOf(args) }, findings);
    };
    return {
        ...basics(meta, "resource"),
        evaluate,
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            for (const v of evaluate(args).violations) report(`${v.message} Fix: ${meta.remediation}`);
        },
    };
}

/** A policy over the whole stack (joins between resources). Findings name the resource they are about. */
export function stackPolicy(meta: PolicyMeta & { types: string[] }, check: StackCheck): PlatformPolicy & StackValidationPolicy & { evaluate(args: StackValidationArgs): Outcome } {
    const evaluate = (args: StackValidationArgs): Outcome => {
        const findings = (check(args) ?? []).filter((f) => applies(meta, f.resource ? tierOfResource(f.resource) : stackTier(args)));
        return judge(meta.name, stackTier(args), { type: "pulumi:pulumi:Stack", name: "stack", urn: "" }, findings);
    };
    return {
        ...basics(meta, "stack"),
        evaluate,
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            for (const v of evaluate(args).violations) report(`${v.message} Fix: ${meta.remediation}`, v.resource?.urn);
        },
    };
}

// ---------------------------------------------------------------------------------------------------
// Tier: what a policy can see. Never the stack name (policies cannot read the program's config).

function parseMaybeJson(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

/**
 * The provider's default tags. The engine hands a provider's object inputs to policies as JSON text
 * (`defaultTags: "{\"tags\":{…}}"`, as the provider SDK serializes them); accept the object form too.
 */
export function providerDefaultTags(provider: { props: Record<string, any> } | undefined): Record<string, string> {
    const dt = parseMaybeJson(provider?.props?.defaultTags) as { tags?: Record<string, string> } | undefined;
    return dt?.tags ?? {};
}

function asTier(v: unknown): Tier | undefined {
    return v === "dev" || v === "staging" || v === "prod" ? v : undefined;
}

/** The resource's `tier` tag, else its provider's default `tier` tag (components/provider.ts), else the `tier` stack tag. */
export function tierOf(args: { props: Record<string, any>; provider?: { props: Record<string, any> }; stackTags?: ReadonlyMap<string, string> }): Tier | undefined {
    return asTier(tagOf(args, "tier")) ?? asTier(args.stackTags?.get("tier"));
}

/** A tag of the resource, else of its provider's default tags. */
function tagOf(args: { props: Record<string, any>; provider?: { props: Record<string, any> } }, key: string): string | undefined {
    const own = parseMaybeJson(args.props?.tags) as Record<string, string> | undefined;
    return own?.[key] ?? providerDefaultTags(args.provider)[key];
}

/** The tag a recovery stack's provider sets on every resource (the program's config/merge.ts): its disaster-recovery role. */
export const RECOVERY_ROLE_TAG = "recovery-role";

/** The resource's `recovery-role` tag, else its provider's default one; undefined outside a recovery stack. Never the stack name. */
export function recoveryRoleOf(args: { props: Record<string, any>; provider?: { props: Record<string, any> } }): string | undefined {
    return tagOf(args, RECOVERY_ROLE_TAG);
}

function tierOfResource(r: PolicyResource): Tier | undefined {
    return tierOf(r);
}

function stackTier(args: StackValidationArgs): Tier | undefined {
    return asTier(args.stackTags.get("tier")) ?? args.resources.map(tierOfResource).find((t) => t !== undefined);
}

// ---------------------------------------------------------------------------------------------------
// Shared parsing.

export interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, unknown>;
}

/** Statements of a policy document given as JSON text or an object (IAM, bucket, key, queue policies). */
export function statements(doc: unknown): Statement[] {
    const parsed = parseMaybeJson(doc) as { Statement?: Statement | Statement[] } | undefined;
    if (!parsed || typeof parsed !== "object") return [];
    const s = parsed.Statement;
    return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

export function list<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** JSON-text inputs (`containerDefinitions`, `redrivePolicy`) parsed; objects pass through. */
export function json<T = any>(v: unknown): T | undefined {
    return parseMaybeJson(v) as T | undefined;
}

/** True for `"*"`, `{"AWS": "*"}` or a list holding one: anyone. */
export function isPublicPrincipal(p: unknown): boolean {
    if (p === "*") return true;
    if (p && typeof p === "object") return Object.values(p as Record<string, unknown>).some((v) => list(v as string | string[]).includes("*"));
    return false;
}

/** An Allow statement anyone may use (public principal, no condition): S3.2/3, SQS.3, KMS.5, ECR. */
export function publicAllows(doc: unknown): Statement[] {
    return statements(doc).filter((s) => s.Effect === "Allow" && isPublicPrincipal(s.Principal) && !s.Condition);
}

export const INTERNET_CIDRS = ["0.0.0.0/0", "::/0"];

/** Booleans some v7 inputs carry as text ("true"). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** Resources of a stack of one of `types`. */
export function ofTypes(args: StackValidationArgs, types: string[]): PolicyResource[] {
    return args.resources.filter((r) => types.includes(r.type));
}

/** Resources of `ownerType` with no `sideType` resource (joined on the side's `key`) that passes `ok`: "every bucket has a …". */
export function ownersWithout(args: StackValidationArgs, ownerType: string, sideType: string, key: string, ok: (side: PolicyResource) => boolean = () => true): PolicyResource[] {
    const sides = ofTypes(args, [sideType]).filter(ok);
    return ofTypes(args, [ownerType]).filter((owner) => !sides.some((s) => belongsTo(s, key, owner)));
}

/** Does `side` belong to `owner`? The engine's property dependency (`side.<key>` built from `owner`), else the same logical name (this program names side resources after their owner). */
export function belongsTo(side: PolicyResource, key: string, owner: PolicyResource): boolean {
    const deps = side.propertyDependencies?.[key] ?? [];
    if (deps.some((d) => d.urn === owner.urn)) return true;
    return deps.length === 0 && side.name === owner.name;
}
