/**
 * deploy/: Pulumi Deployments settings, keyless AWS access and team access for the platform stacks,
 * one stack per AWS account (README "Delivery"). Thin: config → validated settings → resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_PROJECT, resolveDeploySettings } from "./config";
import { createDelivery } from "./delivery";
import { readRepoFacts } from "./repo";

const KEYS = ["organization", "repository", "branch", "region", "executorImage", "testCommand", "accounts", "stacks", "chat", "policy", "githubIssuer", "sessionHours", "oidcProviders"] as const;

const config = new pulumi.Config(DEPLOY_PROJECT);
const raw: Record<string, unknown> = {};
for (const key of KEYS) {
    const text = config.get(key);
    if (text === undefined) continue;
    try {
        raw[key] = JSON.parse(text);
    } catch {
        raw[key] = text;
    }
}

const settings = resolveDeploySettings(raw, pulumi.getStack(), readRepoFacts());
const delivery = createDelivery(settings);

export const account = settings.accountId;
export const stacks = settings.stacks.map((s) => s.name);
/** Per platform stack: the deploy (write), preview (read) and drift role ARNs, and the one Pulumi Deployments uses. */
export const roles = delivery.roles;
/** The account's IAM OIDC providers: created by this stack, or existing ones it only references (oidcProviders). */
export const oidcProviders = Object.fromEntries(Object.entries(settings.oidcProviders).map(([issuer, c]) => [issuer, "arn" in c ? `existing ${c.arn}` : "created"]));
