/**
 * `--against <git-ref>` / `--against-stack <other>`: what differs between two synthesized programs —
 * resources added, removed and changed (input by input, secrets masked), changes to stateful resources
 * flagged, likely replacements flagged, and the idle cost delta.
 *
 * Replacement is a HEURISTIC. The Node SDK carries no replace-on-change data (the provider decides at
 * preview time), so STATEFUL below lists, for the types whose loss loses data, the inputs the Terraform
 * AWS provider marks ForceNew (the pulumi-aws bridge replaces on those). `pulumi preview` with
 * credentials is the authority; this table is a reviewer's early warning.
 */
import { isDeepStrictEqual } from "node:util";
import { CostReport, estimateCost } from "./cost";
import { isSecretValue, maskSecrets, SnapResource, Snapshot } from "./snapshot";

export interface StatefulType {
    /** What is lost when it is replaced. */
    holds: string;
    /** Top-level inputs whose change replaces the resource (ForceNew in the Terraform AWS provider). */
    replaceOn: string[];
}

/**
 * Stateful resource types: replacing one loses or moves data (or, for a password, the credential every
 * client holds). Sources: the Terraform AWS provider's schemas (`ForceNew: true`), which pulumi-aws
 * bridges — for RDS read in hashicorp/terraform-provider-aws internal/service/rds/instance.go; for the
 * others its registry docs ("Forces new resource"); random provider: every input of random_password
 * forces a new value. Heuristic: a provider upgrade can move an input either way.
 */
export const STATEFUL: Record<string, StatefulType> = {
    "aws:rds/instance:Instance": {
        holds: "the database",
        replaceOn: ["identifier", "identifierPrefix", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId", "availabilityZone", "snapshotIdentifier", "characterSetName", "timezone", "customIamInstanceProfile", "restoreToPointInTime", "ncharCharacterSetName"],
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        holds: "the cache contents",
        replaceOn: ["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port", "subnetGroupName", "snapshotArns", "snapshotName", "networkType", "preferredCacheClusterAzs"],
    },
    "aws:s3/bucket:Bucket": { holds: "the objects", replaceOn: ["bucket", "bucketPrefix", "objectLockEnabled"] },
    "aws:kms/key:Key": { holds: "the key material (data encrypted with it becomes unreadable once it is deleted)", replaceOn: ["customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "customKeyStoreId"] },
    "aws:secretsmanager/secret:Secret": { holds: "the secret and its versions", replaceOn: ["name", "namePrefix"] },
    "aws:ecr/repository:Repository": { holds: "the released images", replaceOn: ["name", "encryptionConfigurations"] },
    "aws:sqs/queue:Queue": { holds: "the messages in flight", replaceOn: ["name", "namePrefix", "fifoQueue"] },
    "aws:backup/vault:Vault": { holds: "the recovery points", replaceOn: ["name", "kmsKeyArn"] },
    "aws:cloudwatch/logGroup:LogGroup": { holds: "the logs", replaceOn: ["name", "namePrefix", "logGroupClass"] },
    "random:index/randomPassword:RandomPassword": { holds: "the password every client uses", replaceOn: ["length", "special", "upper", "lower", "numeric", "number", "minSpecial", "minUpper", "minLower", "minNumeric", "overrideSpecial", "keepers"] },
};

export interface InputChange {
    path: string;
    before: unknown;
    after: unknown;
}

function parseJson(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Input paths (a.b[0].c) at which two input trees differ; JSON text compared field by field; secrets shown as `[secret]`. */
export function inputChanges(a: unknown, b: unknown, at = ""): InputChange[] {
    if (isDeepStrictEqual(a, b)) return [];
    if (isSecretValue(a) || isSecretValue(b)) {
        return [{ path: at || "(value)", before: a === undefined ? undefined : "[secret]", after: b === undefined ? undefined : "[secret]" }];
    }
    if (typeof a === "string" && typeof b === "string") {
        const [pa, pb] = [parseJson(a), parseJson(b)];
        if (pa !== undefined && pb !== undefined) return inputChanges(pa, pb, at);
    }
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => inputChanges(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
    }
    return [{ path: at || "(value)", before: maskSecrets(a), after: maskSecrets(b) }];
}

export interface ResourceEntry {
    urn: string;
    type: string;
    name: string;
    component: string;
    stateful: boolean;
}

export interface ChangedResource extends ResourceEntry {
    changes: InputChange[];
    /** Inputs changed that (heuristically) force a replacement of a stateful resource. */
    replacementBy: string[];
}

export interface DiffReport {
    before: string;
    after: string;
    added: ResourceEntry[];
    removed: ResourceEntry[];
    changed: ChangedResource[];
    /** One line per stateful resource that would change, be replaced or deleted. */
    warnings: string[];
    cost: { before: number; after: number; delta: number; perComponent: Record<string, number> };
    authority: string;
}

const entry = (r: SnapResource): ResourceEntry => ({ urn: r.urn, type: r.type, name: r.name, component: r.component, stateful: r.type in STATEFUL });

export function diffSnapshots(before: Snapshot, after: Snapshot, labels: { before: string; after: string }): DiffReport {
    const old = new Map(before.resources.map((r) => [r.urn, r]));
    const now = new Map(after.resources.map((r) => [r.urn, r]));
    const removed = before.resources.filter((r) => !now.has(r.urn)).map(entry);
    const added = after.resources.filter((r) => !old.has(r.urn)).map(entry);
    const changed: ChangedResource[] = [];
    for (const r of after.resources) {
        const o = old.get(r.urn);
        if (!o) continue;
        const changes = inputChanges(o.inputs, r.inputs);
        if (changes.length === 0) continue;
        const top = new Set(changes.map((c) => c.path.split(/[.[]/)[0]));
        const replacementBy = (STATEFUL[r.type]?.replaceOn ?? []).filter((k) => top.has(k));
        changed.push({ ...entry(r), changes, replacementBy });
    }
    const warnings: string[] = [];
    for (const r of removed.filter((x) => x.stateful)) warnings.push(`DELETE of stateful ${r.name} (${r.type}): loses ${STATEFUL[r.type].holds} unless the new program aliases this URN`);
    for (const r of added.filter((x) => x.stateful)) warnings.push(`CREATE of stateful ${r.name} (${r.type}): new and empty`);
    for (const c of changed.filter((x) => x.stateful)) {
        warnings.push(
            c.replacementBy.length > 0
                ? `LIKELY REPLACEMENT of stateful ${c.name} (${c.type}): ${c.replacementBy.join(", ")} changed; replacing it loses ${STATEFUL[c.type].holds}`
                : `UPDATE of stateful ${c.name} (${c.type}): ${c.changes.map((x) => x.path).join(", ")}`,
        );
    }
    const [cb, ca] = [estimateCost(before), estimateCost(after)];
    return {
        before: labels.before,
        after: labels.after,
        added,
        removed,
        changed,
        warnings,
        cost: { before: cb.total, after: ca.total, delta: ca.total - cb.total, perComponent: componentDelta(cb, ca) },
        authority: "Replacements are a heuristic (scripts/review/diff.ts STATEFUL, from the provider's ForceNew inputs); `pulumi preview` against the real stack is the authority.",
    };
}

function componentDelta(before: CostReport, after: CostReport): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of new Set([...Object.keys(before.perComponent), ...Object.keys(after.perComponent)])) {
        const d = (after.perComponent[c] ?? 0) - (before.perComponent[c] ?? 0);
        if (Math.abs(d) >= 0.005) out[c] = d;
    }
    return out;
}

const show = (v: unknown) => {
    const s = v === undefined ? "(unset)" : JSON.stringify(v);
    return s.length > 140 ? `${s.slice(0, 137)}...` : s;
};
const signed = (n: number) => (Math.abs(n) < 0.005 ? "±$0.00" : `${n < 0 ? "-" : "+"}$${Math.abs(n).toFixed(2)}`);

export function renderDiff(d: DiffReport): string[] {
    const out: string[] = [];
    out.push(`OFFLINE DIFF  ${d.before}  →  ${d.after}`);
    out.push(`${d.added.length} to add, ${d.removed.length} to delete, ${d.changed.length} to change`);
    if (d.warnings.length > 0) {
        out.push("");
        out.push("!!! STATEFUL RESOURCES AFFECTED — review before merging:");
        for (const w of d.warnings) out.push(`!!! ${w}`);
    }
    out.push("");
    for (const r of d.removed) out.push(`- ${r.name}  (${r.type})${r.stateful ? "  [STATEFUL]" : ""}`);
    for (const r of d.added) out.push(`+ ${r.name}  (${r.type})${r.stateful ? "  [STATEFUL]" : ""}`);
    for (const c of d.changed) {
        const flag = c.replacementBy.length > 0 ? "  [STATEFUL, LIKELY REPLACEMENT]" : c.stateful ? "  [STATEFUL]" : "";
        out.push(`~ ${c.name}  (${c.type})${flag}`);
        for (const x of c.changes) out.push(`    ${x.path}: ${show(x.before)} → ${show(x.after)}`);
    }
    out.push("");
    out.push(`Idle cost (list-price estimate, USD/month): ${d.cost.before.toFixed(2)} → ${d.cost.after.toFixed(2)} (${signed(d.cost.delta)})`);
    for (const [c, v] of Object.entries(d.cost.perComponent)) out.push(`  ${c}: ${signed(v)}`);
    out.push("");
    out.push(d.authority);
    return out;
}
