/**
 * The Pulumi Cloud side of one platform stack, with @pulumi/pulumiservice 1.3.0: deployment settings
 * (git source through the GitHub app's `vcs` settings, pre-run commands that install the lockfile and
 * run the offline suite, the CLI pinned by the executor image, push-to-deploy for dev only, pull-request
 * previews only where the stack's Deployments role is the read-only one, path filters, OIDC to the
 * stack's role with a session as long as that role allows), drift detection, team permissions and the
 * chat webhook. What 1.3.0 cannot express (tag triggers, a role per operation) is done by the GitHub
 * Actions workflows (README "Delivery").
 */
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { DeploySettings, PERMISSIONS, StackDelivery } from "./config";
import { githubEnvironment, githubSubject, goDuration } from "./trust";

/** Events the team's chat hears about (pulumiservice WebhookFilters). */
export const CHAT_EVENTS = [
    "deployment_failed",
    "deployment_succeeded",
    "update_failed",
    "preview_failed",
    "drift_detected",
    "drift_detection_failed",
] as const;

export class StackDeliverySettings extends pulumi.ComponentResource {
    constructor(name: string, settings: DeploySettings, stack: StackDelivery, roleArn: pulumi.Input<string>, opts: pulumi.ComponentResourceOptions = {}) {
        super("platform-deploy:cloud:StackDelivery", name, {}, opts);
        const ids = { organization: settings.organization, project: settings.project, stack: stack.name };

        new service.DeploymentSettings(`${name}-settings`, {
            ...ids,
            sourceContext: { git: { branch: `refs/heads/${settings.branch}` } },
            vcs: {
                provider: "github",
                repository: settings.repository,
                deployCommits: stack.pushToDeploy,
                previewPullRequests: stack.previewPullRequests,
                pullRequestTemplate: false,
                paths: stack.paths,
            },
            executorContext: { executorImage: settings.executorImage },
            operationContext: {
                preRunCommands: settings.preRunCommands,
                // `npm ci` above installs from the lockfile; the executor's own install would run `npm install`.
                options: { skipInstallDependencies: true, skipIntermediateDeployments: true },
                // The session the role allows (its MaxSessionDuration): a first prod `up` can outlast an hour.
                oidc: { aws: { roleARN: roleArn, sessionName: stack.sessionName, duration: goDuration(settings.sessionSeconds[stack.deploymentsAccess]) } },
            },
        }, { parent: this });

        if (stack.driftCron) {
            // Detect only: the drift role cannot write, and prod changes need approval.
            new service.DriftSchedule(`${name}-drift`, { ...ids, scheduleCron: stack.driftCron, autoRemediate: false }, { parent: this });
        }

        new service.TeamStackPermission(`${name}-writers`, { ...ids, team: stack.writers, permission: PERMISSIONS.edit }, { parent: this });
        for (const team of stack.readers) {
            new service.TeamStackPermission(`${name}-reader-${team}`, { ...ids, team, permission: PERMISSIONS.read }, { parent: this });
        }

        if (settings.chat) {
            new service.Webhook(`${name}-chat`, {
                active: true,
                displayName: `${settings.project}/${stack.name} to chat`,
                organizationName: settings.organization,
                projectName: settings.project,
                stackName: stack.name,
                payloadUrl: pulumi.secret(settings.chat.url),
                format: settings.chat.format,
                filters: [...CHAT_EVENTS],
            }, { parent: this });
        }
        this.registerOutputs({});
    }
}

/** The policy group that enforces the platform's policy pack on this account's stacks. */
export function createPolicyGroup(name: string, settings: DeploySettings): service.PolicyGroup | undefined {
    if (!settings.policy || settings.stacks.length === 0) return undefined;
    return new service.PolicyGroup(`${name}-policy`, {
        name: `${settings.project}-${settings.account}`,
        organizationName: settings.organization,
        entityType: "stacks",
        mode: settings.policy.mode,
        policyPacks: [{ name: settings.policy.pack, ...(settings.policy.versionTag ? { versionTag: settings.policy.versionTag } : {}) }],
        stacks: settings.stacks.map((s) => ({ name: s.name, routingProject: settings.project })),
    });
}

/**
 * GitHub Actions as an OIDC issuer of the Pulumi organization (pulumi/auth-actions exchanges the job's
 * token for a Pulumi team token): a job in GitHub environment `<stack>` of this repository gets a token
 * of the team that writes that stack, one in `<stack>-preview` a token of its preview team (Stack Read
 * allows previews), nothing else. Exact subjects, audience
 * `urn:pulumi:org:<org>` (auth-actions' default), tokens for at most a deploy role's session (an `up`
 * writes its checkpoints to Pulumi Cloud until the end).
 */
export function createGithubIssuer(name: string, settings: DeploySettings): service.OidcIssuer | undefined {
    if (!settings.githubIssuer) return undefined;
    const policies = settings.githubIssuer.stacks.flatMap((s) =>
        (["write", "read"] as const).map((access) => ({
            decision: "allow" as const,
            tokenType: "team" as const,
            teamName: access === "write" ? s.writers : s.previewTeam,
            rules: { aud: `urn:pulumi:org:${settings.organization}`, sub: githubSubject(settings.repository, githubEnvironment(s.name, access)) },
        })),
    );
    return new service.OidcIssuer(`${name}-github-issuer`, {
        organization: settings.organization,
        name: "github-actions",
        url: "https://token.actions.githubusercontent.com",
        maxExpirationSeconds: settings.sessionSeconds.write,
        policies,
    });
}
