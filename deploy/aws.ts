/**
 * The AWS side of keyless access, in one account: the IAM OIDC providers for Pulumi Cloud and GitHub
 * Actions, and per platform stack two roles — `<project>-<stack>-deploy` (writes; GitHub environment
 * `<stack>`, and Pulumi Deployments for a stack that deploys on push) and `<project>-<stack>-preview`
 * (ReadOnlyAccess minus data reads; GitHub environment `<stack>-preview`, and Pulumi Deployments for
 * every other stack). No access keys: every principal is a web identity. Costs nothing (IAM).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeploySettings, StackDelivery } from "./config";
import { GITHUB_AUDIENCE, GITHUB_ISSUER_HOST, previewDenyPolicy, PULUMI_ISSUER_HOST, trustPolicy } from "./trust";

/** AWS managed policies (ARNs are fixed by AWS). */
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

export interface StackRoles {
    write: aws.iam.Role;
    read: aws.iam.Role;
}

export class AccountAccess extends pulumi.ComponentResource {
    readonly roles: Record<string, StackRoles> = {};

    constructor(name: string, settings: DeploySettings, opts: pulumi.ComponentResourceOptions) {
        super("platform-deploy:aws:AccountAccess", name, {}, opts);
        const { pulumiIssuer, githubIssuer } = this.createProviders(name, settings);
        for (const stack of settings.stacks) this.roles[stack.name] = this.createRoles(name, settings, stack, pulumiIssuer, githubIssuer);
        this.registerOutputs({ roles: Object.fromEntries(Object.entries(this.roles).map(([s, r]) => [s, { write: r.write.arn, read: r.read.arn }])) });
    }

    private createProviders(name: string, settings: DeploySettings) {
        // No thumbprintList: IAM fetches the issuer's certificate itself (and for GitHub uses its own trusted CAs).
        const pulumiIssuer = new aws.iam.OpenIdConnectProvider(`${name}-pulumi-oidc`, {
            url: `https://${PULUMI_ISSUER_HOST}`,
            clientIdLists: [settings.organization],
        }, { parent: this });
        const githubIssuer = new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, {
            url: `https://${GITHUB_ISSUER_HOST}`,
            clientIdLists: [GITHUB_AUDIENCE],
        }, { parent: this });
        return { pulumiIssuer, githubIssuer };
    }

    private createRoles(name: string, settings: DeploySettings, stack: StackDelivery, pulumiIssuer: aws.iam.OpenIdConnectProvider, githubIssuer: aws.iam.OpenIdConnectProvider): StackRoles {
        const role = (access: "write" | "read") =>
            new aws.iam.Role(`${name}-${stack.name}-${access}`, {
                name: stack.roles[access],
                description: access === "write"
                    ? `Deploys platform stack ${stack.name} (pulumi up). Trusted: GitHub environment ${stack.name}${stack.deploymentsAccess === "write" ? " and Pulumi Deployments" : ""}.`
                    : `Previews platform stack ${stack.name} (read-only). Trusted: GitHub environment ${stack.name}-preview${stack.deploymentsAccess === "read" ? " and Pulumi Deployments" : ""}.`,
                maxSessionDuration: 3600,
                assumeRolePolicy: pulumi.all([pulumiIssuer.arn, githubIssuer.arn]).apply(([pulumiProviderArn, githubProviderArn]) =>
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
        return { write, read };
    }
}
