/**
 * The deploy/ program for one AWS account: its keyless access (aws.ts) and, per platform stack in the
 * account, the Pulumi Cloud settings (cloud.ts), then the policy group over those stacks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountAccess } from "./aws";
import { createGithubIssuer, createPolicyGroup, StackDeliverySettings } from "./cloud";
import { DeploySettings } from "./config";
import { Access } from "./trust";

export type StackRoleArns = { write: string; read: string; drift?: string; deployments: Access };

export interface Delivery {
    /** Per platform stack: the role ARNs (deploy, preview, drift where used) and which one Pulumi Deployments uses. */
    roles: pulumi.Output<Record<string, StackRoleArns>>;
}

export function createDelivery(settings: DeploySettings): Delivery {
    // The provider refuses credentials for any other account: deploy/prod can only touch the prod account.
    const provider = new aws.Provider(`${settings.account}-aws`, {
        region: settings.region as aws.Region,
        allowedAccountIds: [settings.accountId],
        defaultTags: { tags: { "platform:project": settings.project, "platform:managed-by": "platform-deploy" } },
    });
    const access = new AccountAccess(settings.account, settings, { providers: { aws: provider } });
    for (const stack of settings.stacks) {
        const roles = access.roles[stack.name];
        new StackDeliverySettings(`${stack.name}-delivery`, settings, stack, roles[stack.deploymentsAccess]!.arn);
    }
    createPolicyGroup(settings.account, settings);
    createGithubIssuer(settings.account, settings);
    const roles = pulumi.all(
        Object.fromEntries(
            settings.stacks.map((s) => {
                const r = access.roles[s.name];
                return [s.name, pulumi.all({ write: r.write.arn, read: r.read.arn, ...(r.drift ? { drift: r.drift.arn } : {}) }).apply((arns) => ({ ...arns, deployments: s.deploymentsAccess }))];
            }),
        ),
    ) as pulumi.Output<Record<string, StackRoleArns>>;
    return { roles };
}
