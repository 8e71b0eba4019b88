/**
 * Who may assume which role: the OIDC subjects of Pulumi Deployments and GitHub Actions, and the
 * trust policies built from them. Pure functions; deploy/aws.ts only wires them into IAM.
 *
 * Pulumi Deployments (docs "OIDC" → custom claims): issuer https://api.pulumi.com/oidc, audience =
 * the Pulumi organization's name, subject
 *   pulumi:deploy:org:<org>:project:<project>:stack:<stack>:operation:<operation>:scope:write
 * where <operation> is the kind of run (REST API OperationContext: update, preview, destroy, refresh,
 * detect-drift, remediate-drift). One token per run, so a trust policy that lists exact subjects admits
 * exactly those stacks and operations.
 *
 * GitHub Actions (docs "OpenID Connect reference"): issuer https://token.actions.githubusercontent.com,
 * audience sts.amazonaws.com (aws-actions/configure-aws-credentials' default), subject
 * repo:<owner>/<repo>:environment:<environment> for a job that names an environment.
 */
export const PULUMI_ISSUER_HOST = "api.pulumi.com/oidc";
export const GITHUB_ISSUER_HOST = "token.actions.githubusercontent.com";
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

/** Every operation a Pulumi Deployment can run. */
export const OPERATIONS = ["preview", "update", "refresh", "destroy", "detect-drift", "remediate-drift"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Operations that only read the cloud (refresh writes the state, never a cloud resource). */
export const READ_OPERATIONS: readonly Operation[] = ["preview", "refresh", "detect-drift"];

export function deploymentSubject(org: string, project: string, stack: string, operation: Operation): string {
    return `pulumi:deploy:org:${org}:project:${project}:stack:${stack}:operation:${operation}:scope:write`;
}

/** The GitHub environment a workflow job names to get a stack's credentials: `<stack>` writes, `<stack>-preview` reads. */
export function githubEnvironment(stack: string, access: "write" | "read"): string {
    return access === "write" ? stack : `${stack}-preview`;
}

export function githubSubject(repository: string, environment: string): string {
    return `repo:${repository}:environment:${environment}`;
}

export interface TrustInput {
    org: string;
    project: string;
    repository: string;
    /** The stacks whose runs may assume the role (the stack itself; prod never admits another). */
    stacks: string[];
    /** The stack the role belongs to (names the GitHub environment). */
    stack: string;
    access: "write" | "read";
    /** Operations Pulumi Deployments may run with this role; none: Deployments never gets it. */
    deploymentOperations: readonly Operation[];
    pulumiProviderArn: string;
    githubProviderArn: string;
}

/** The subjects a role admits, per issuer (exact strings, no wildcards). */
export function trustedSubjects(t: Omit<TrustInput, "pulumiProviderArn" | "githubProviderArn">): { pulumi: string[]; github: string[] } {
    return {
        pulumi: t.stacks.flatMap((s) => t.deploymentOperations.map((op) => deploymentSubject(t.org, t.project, s, op))),
        github: [githubSubject(t.repository, githubEnvironment(t.stack, t.access))],
    };
}

/**
 * The role's trust policy: one statement per issuer, each pinning the audience and the subject with
 * StringEquals (a list is any-of; no StringLike, so no wildcard can widen it).
 */
export function trustPolicy(t: TrustInput): string {
    const subjects = trustedSubjects(t);
    const statement = (sid: string, providerArn: string, host: string, aud: string, sub: string[]) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:aud`]: aud, [`${host}:sub`]: sub } },
    });
    const statements = [];
    if (subjects.pulumi.length > 0) {
        statements.push(statement("PulumiDeployments", t.pulumiProviderArn, PULUMI_ISSUER_HOST, t.org, subjects.pulumi));
    }
    statements.push(statement("GitHubActions", t.githubProviderArn, GITHUB_ISSUER_HOST, GITHUB_AUDIENCE, subjects.github));
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * What the read-only role may never do even though ReadOnlyAccess would allow it: read data and
 * secrets. A preview runs code nobody has reviewed yet; it needs the control plane, not the data.
 */
export const PREVIEW_DENIED_ACTIONS = [
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "sqs:ReceiveMessage",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
] as const;

export function previewDenyPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "NoDataReads", Effect: "Deny", Action: [...PREVIEW_DENIED_ACTIONS], Resource: "*" }],
    });
}
