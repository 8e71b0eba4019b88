/**
 * A small evaluator for the identity policies deploy/ writes, so tests assert what a role can do
 * rather than how its JSON looks. It follows IAM's evaluation logic for one identity-based policy set
 * (IAM User Guide, "Policy evaluation logic"): an explicit Deny wins, then an Allow, else implicit deny.
 * Supports Action/NotAction, Resource/NotResource with `*`/`?` wildcards, and the condition operators
 * deploy/ uses: StringEquals, StringNotEquals, StringLike (a key missing from the request context
 * matches no positive operator and every negated one, as in IAM).
 */
type Values = string | string[];
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: Values;
    NotAction?: Values;
    Resource?: Values;
    NotResource?: Values;
    Condition?: Record<string, Record<string, Values>>;
}

export interface Request {
    action: string;
    resource: string;
    /** Request context keys (aws:ResourceTag/..., kms:ViaService, kms:EncryptionContext:...). */
    context?: Record<string, string>;
}

const list = (v: Values | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
    const re = new RegExp(`^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`, caseInsensitive ? "i" : "");
    return re.test(value);
}

function conditionHolds(op: string, key: string, expected: string[], context: Record<string, string>): boolean {
    const actual = context[key];
    switch (op) {
        case "StringEquals":
            return actual !== undefined && expected.includes(actual);
        case "StringNotEquals":
            return actual === undefined || !expected.includes(actual);
        case "StringLike":
            return actual !== undefined && expected.some((p) => wildcard(p, actual));
        default:
            throw new Error(`iam.ts: condition operator ${op} is not supported`);
    }
}

function matches(st: PolicyStatement, req: Request): boolean {
    const actionOk = st.Action !== undefined ? list(st.Action).some((a) => wildcard(a, req.action, true)) : !list(st.NotAction).some((a) => wildcard(a, req.action, true));
    const resourceOk = st.Resource !== undefined ? list(st.Resource).some((r) => wildcard(r, req.resource)) : !list(st.NotResource).some((r) => wildcard(r, req.resource));
    const conditionsOk = Object.entries(st.Condition ?? {}).every(([op, keys]) => Object.entries(keys).every(([key, v]) => conditionHolds(op, key, list(v), req.context ?? {})));
    return actionOk && resourceOk && conditionsOk;
}

/** "deny" (explicit), "allow", or "implicit" (no statement allows it: only a managed policy could). */
export function evaluate(statements: PolicyStatement[], req: Request): "deny" | "allow" | "implicit" {
    if (statements.some((st) => st.Effect === "Deny" && matches(st, req))) return "deny";
    if (statements.some((st) => st.Effect === "Allow" && matches(st, req))) return "allow";
    return "implicit";
}
