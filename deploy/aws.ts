/**
 * The AWS side of keyless access, in one account: the IAM OIDC providers for Pulumi Cloud and GitHub
 * Actions (created, or existing ones referenced), and per platform stack its roles —
 * `<project>-<stack>-deploy` (writes; GitHub environment `<stack>`, and Pulumi Deployments for a stack
 * that deploys on push), `<project>-<stack>-drift` (ReadOnlyAccess plus the stack's own secret values;
 * only that stack's refresh and drift runs in Pulumi Deployments) and `<project>-<stack>-preview`
 * (ReadOnlyAccess minus data reads; GitHub environment `<stack>-preview`, and Deployments for a stack
 * that previews pull requests there). No access keys: every principal is a web identity. Costs nothing (IAM).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeploySettings, OidcProviderChoice, StackDelivery } from "./config";
import { Access, driftPolicy, GITHUB_AUDIENCE, GITHUB_ISSUER_HOST, previewDenyPolicy, PULUMI_ISSUER_HOST, trustPolicy } from "./trust";

/** AWS managed policies (ARNs are fixed by AWS). */
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** Per platform stack: its roles (the drift role only where Pulumi Deployments uses it). */
export type StackRoles = { write: aws.iam.Role; read: aws.iam.Role; drift?: aws.iam.Role };

/**
 * An existing provider is used only if it accepts the audience the tokens carry: otherwise every
 * AssumeRoleWithWebIdentity would fail with "Incorrect token audience" long after this deploy.
 */
export function checkProviderAudience(arn: string, clientIds: string[], audience: string): string {
    if (!clientIds.includes(audience)) {
        throw new Error(
            `the existing OIDC provider ${arn} does not accept the audience "${audience}" (it has: ${clientIds.join(", ") || "none"}). ` +
                `Add it: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${audience}`,
        );
    }
    return arn;
}

export class AccountAccess extends pulumi.ComponentResource {
    readonly roles: Record<string, StackRoles> = {};

    constructor(name: string, settings: DeploySettings, opts: pulumi.ComponentResourceOptions) {
        super("platform-deploy:aws:AccountAccess", name, {}, opts);
        const pulumiIssuer = this.provider(`${name}-pulumi-oidc`, settings.oidcProviders.pulumi, PULUMI_ISSUER_HOST, settings.organization);
        const githubIssuer = this.provider(`${name}-github-oidc`, settings.oidcProviders.github, GITHUB_ISSUER_HOST, GITHUB_AUDIENCE);
        for (const stack of settings.stacks) this.roles[stack.name] = this.createRoles(name, settings, stack, pulumiIssuer, githubIssuer);
        this.registerOutputs({ roles: Object.fromEntries(Object.entries(this.roles).map(([s, r]) => [s, { write: r.write.arn, read: r.read.arn, drift: r.drift?.arn }])) });
    }

    /**
     * The issuer's IAM OIDC provider ARN. IAM holds one provider per issuer URL and account, and GitHub's
     * is often there already (CreateOpenIDConnectProvider then fails with EntityAlreadyExists): with
     * `oidcProviders.<issuer>: existing` it is looked up by its fixed ARN and never changed or deleted.
     */
    private provider(name: string, choice: OidcProviderChoice, host: string, audience: string): pulumi.Output<string> {
        if ("arn" in choice) {
            const existing = aws.iam.getOpenIdConnectProviderOutput({ arn: choice.arn }, { parent: this });
            return existing.clientIdLists.apply((ids) => checkProviderAudience(choice.arn, ids, audience));
        }
        // No thumbprintList: IAM fetches the issuer's certificate itself (and for GitHub uses its own trusted CAs).
        return new aws.iam.OpenIdConnectProvider(name, { url: `https://${host}`, clientIdLists: [audience] }, { parent: this }).arn;
    }

    private createRoles(name: string, settings: DeploySettings, stack: StackDelivery, pulumiIssuer: pulumi.Output<string>, githubIssuer: pulumi.Output<string>): StackRoles {
        const deployments = (access: Access) => (stack.deploymentsAccess === access ? " and Pulumi Deployments" : "");
        const descriptions: Record<Access, string> = {
            write: `Deploys platform stack ${stack.name} (pulumi up). Trusted: GitHub environment ${stack.name}${deployments("write")}.`,
            drift: `Refreshes platform stack ${stack.name} and detects drift (reads its secrets). Trusted: its Pulumi Deployments refresh and drift runs.`,
            read: `Previews platform stack ${stack.name} (read-only, no data). Trusted: GitHub environment ${stack.name}-preview${deployments("read")}.`,
        };
        const role = (access: Access) =>
            new aws.iam.Role(`${name}-${stack.name}-${access}`, {
                name: stack.roles[access],
                description: descriptions[access],
                maxSessionDuration: settings.sessionSeconds[access],
                assumeRolePolicy: pulumi.all([pulumiIssuer, githubIssuer]).apply(([pulumiProviderArn, githubProviderArn]) =>
                    trustPolicy({
                        org: settings.organization,
                        project: settings.project,
                        repository: settings.repository,
                        stack: stack.name,
                        stacks: stack.trust,
                        access,
                        deploymentOperations: stack.deploymentsAccess === access ? stack.deploymentOperations : [],
                        pulumiProviderArn,
                        githubProviderArn,
                    }),
                ),
                tags: { "platform:stack": stack.name, "platform:access": access },
            }, { parent: this });
        const write = role("write");
        const read = role("read");
        // The platform creates IAM roles, KMS keys, networks and databases: its deploy role needs the account.
        // The account is the boundary (prod has its own); README "Delivery" records this.
        new aws.iam.RolePolicyAttachment(`${name}-${stack.name}-write-admin`, { role: write.name, policyArn: ADMINISTRATOR_ACCESS }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-${stack.name}-read-readonly`, { role: read.name, policyArn: READ_ONLY_ACCESS }, { parent: this });
        new aws.iam.RolePolicy(`${name}-${stack.name}-read-no-data`, { role: read.name, name: "no-data-reads", policy: previewDenyPolicy() }, { parent: this });
        if (stack.deploymentsAccess !== "drift") return { write, read };

        // Refresh calls Read on every resource, and reading a SecretVersion is GetSecretValue: the preview
        // role cannot refresh. Its own role, reachable only by this stack's refresh and drift runs.
        const drift = role("drift");
        new aws.iam.RolePolicyAttachment(`${name}-${stack.name}-drift-readonly`, { role: drift.name, policyArn: READ_ONLY_ACCESS }, { parent: this });
        new aws.iam.RolePolicy(`${name}-${stack.name}-drift-own-secrets`, {
            role: drift.name,
            name: "own-secrets-only",
            policy: driftPolicy({ project: settings.project, stack: stack.name, region: stack.region, accountId: stack.accountId }),
        }, { parent: this });
        return { write, read, drift };
    }
}
