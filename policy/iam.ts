/** IAM: identity policies of every role (components/shared/iam.ts and each component's policies). */
import { list, resourcePolicy, Statement, statements } from "./lib";

const POLICY_TYPES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role"];

/** The identity-policy documents a resource carries (a Role's inline policies too). */
function documents(type: string, p: Record<string, any>): Statement[] {
    if (type === "aws:iam/role:Role") return list(p.inlinePolicies as any[]).flatMap((ip) => statements(ip.policy));
    return statements(p.policy);
}

const allows = (type: string, p: Record<string, any>) => documents(type, p).filter((s) => s.Effect === "Allow");
const actionsOf = (s: Statement) => list(s.Action);
const onAnyResource = (s: Statement) => list(s.Resource).includes("*");

export const iamPolicies = [
    resourcePolicy(
        { name: "iam-no-admin", control: "IAM.1", summary: "No policy allows every action (`*`).", level: "mandatory", remediation: "name the actions (components/shared/iam.ts PolicyStatement).", types: POLICY_TYPES },
        (p, args) => allows(args.type, p).filter((s) => actionsOf(s).includes("*") || s.NotAction !== undefined).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows every action.`),
    ),
    resourcePolicy(
        { name: "iam-no-service-wildcard", control: "IAM.21", summary: "No policy allows a whole service (`<service>:*`).", level: "advisory", remediation: "name the actions (components/shared/iam.ts PolicyStatement).", types: POLICY_TYPES },
        (p, args) => allows(args.type, p).flatMap((s) => actionsOf(s).filter((a) => /^[a-z0-9-]+:\*$/.test(a)).map((a) => `statement ${s.Sid ?? "(no Sid)"} allows ${a}.`)),
    ),
    resourcePolicy(
        { name: "iam-no-kms-decrypt-all-keys", control: "KMS.1, KMS.2", summary: "No policy allows kms:Decrypt or kms:ReEncryptFrom on every key.", level: "mandatory", remediation: "name the key ARN (DataHandle.keys).", types: POLICY_TYPES },
        (p, args) =>
            allows(args.type, p)
                .filter((s) => onAnyResource(s) && actionsOf(s).some((a) => ["kms:Decrypt", "kms:ReEncryptFrom", "kms:*", "kms:ReEncrypt*", "kms:Decrypt*"].includes(a)))
                .map((s) => `statement ${s.Sid ?? "(no Sid)"} decrypts with any key.`),
    ),
    resourcePolicy(
        { name: "iam-resource-wildcard", control: "IAM least privilege (README \"Security controls\")", summary: "Statements name their resources; `Resource: \"*\"` only for actions IAM cannot scope (waived by action).", level: "mandatory", remediation: "name the resource ARNs (components/shared/iam.ts PolicyStatement).", types: POLICY_TYPES },
        (p, args) =>
            allows(args.type, p)
                .filter(onAnyResource)
                .flatMap((s) => actionsOf(s).map((a) => ({ message: `statement ${s.Sid ?? "(no Sid)"} allows ${a} on every resource.`, detail: a }))),
    ),
];
