/**
 * Who may assume which role: the OIDC subjects of Pulumi Deployments and GitHub Actions, and the
 * trust and permission policies built from them. Pure functions; deploy/aws.ts only wires them into IAM.
 *
 * Pulumi Deployments (docs "OIDC Setup for Deployments" → custom claims,
 * pulumi/docs content/docs/pulumi-cloud/deployments/oidc/_index.md): issuer https://api.pulumi.com/oidc,
 * audience = the Pulumi organization's name, subject
 *   pulumi:deploy:org:<org>:project:<project>:stack:<stack>:operation:<operation>:scope:write
 * where <operation> is the operation kind of the deployment. The docs' claims table lists preview,
 * update, refresh and destroy; the REST API's OperationContext.operation (docs "REST API → Schema →
 * OperationContext"; pulumi/pulumi-pulumiservice provider/pkg/apitype/pulumi_operation_.go, generated
 * from the Pulumi Cloud API) adds detect-drift and remediate-drift, the operations of drift runs
 * (DriftSchedule). One token per deployment, so a trust policy that lists exact subjects admits
 * exactly those stacks and operations; a pull-request preview is operation `preview`.
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

/**
 * The three roles of a platform stack: `write` (`<project>-<stack>-deploy`, `pulumi up`), `drift`
 * (`-drift`: refresh and drift detection, which read every resource, secret values included) and
 * `read` (`-preview`: previews, which run unreviewed code and never read secrets or data).
 */
export type Access = "write" | "drift" | "read";

/**
 * What Pulumi Deployments may run with each role (its settings hold one role per stack, so the trust
 * does the selecting). No role that can read secrets admits `preview`: a pull-request preview runs
 * code nobody has reviewed, and its subject is the same as any other preview's.
 */
export const DEPLOYMENT_OPERATIONS: Record<Access, readonly Operation[]> = {
    write: ["update", "refresh", "destroy", "detect-drift", "remediate-drift"],
    // refresh writes the state, never a cloud resource; a drift run is a preview-only refresh.
    drift: ["refresh", "detect-drift"],
    read: ["preview"],
};

/** Session lengths: a first prod `up` (Multi-AZ RDS, ElastiCache, CloudFront) can run past an hour. */
export const DEFAULT_DEPLOY_SESSION_HOURS = 3;
/** IAM MaxSessionDuration: 3600-43200 seconds (IAM API reference, CreateRole). */
export const SESSION_HOURS_MIN = 1;
export const SESSION_HOURS_MAX = 12;
/** Roles that only read keep the one-hour default. */
export const READ_SESSION_SECONDS = 3600;

/** A duration in the "XhYmZs" form Deployments' `operationContext.oidc.aws.duration` takes (pulumiservice 1.3.0 schema). */
export function goDuration(seconds: number): string {
    return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m${seconds % 60}s`;
}

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
    access: Access;
    /** Operations Pulumi Deployments may run with this role; none: Deployments never gets it. */
    deploymentOperations: readonly Operation[];
    pulumiProviderArn: string;
    githubProviderArn: string;
}

/**
 * The subjects a role admits, per issuer (exact strings, no wildcards). The drift role has no GitHub
 * subject and ignores `stacks`: only the stack's own refresh and drift runs in Pulumi Deployments reach
 * it (it reads that stack's secrets; a non-prod `trust` naming another stack must not widen that).
 */
export function trustedSubjects(t: Omit<TrustInput, "pulumiProviderArn" | "githubProviderArn">): { pulumi: string[]; github: string[] } {
    const stacks = t.access === "drift" ? [t.stack] : t.stacks;
    return {
        pulumi: stacks.flatMap((s) => t.deploymentOperations.map((op) => deploymentSubject(t.org, t.project, s, op))),
        github: t.access === "drift" ? [] : [githubSubject(t.repository, githubEnvironment(t.stack, t.access))],
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
    if (subjects.github.length > 0) {
        statements.push(statement("GitHubActions", t.githubProviderArn, GITHUB_ISSUER_HOST, GITHUB_AUDIENCE, subjects.github));
    }
    if (statements.length === 0) throw new Error(`role ${t.access} of ${t.stack} would trust nobody`);
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * What the read-only roles may never do even though ReadOnlyAccess would allow it: read data and
 * secrets. A preview runs code nobody has reviewed yet; it needs the control plane, not the data.
 */
export const PREVIEW_DENIED_ACTIONS = [
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
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

/**
 * The data reads a refresh of the platform needs, found by reading components/**: `Read` of every
 * resource the program registers. Only aws.secretsmanager.SecretVersion (database credentials, cache
 * AUTH token) reads data: GetSecretValue, and through Secrets Manager kms:Decrypt of the data key.
 * No SSM parameter, S3 object, table item, queue message or log event is a resource of the program,
 * so those stay denied. A new resource type whose Read needs one of them goes here, with a test.
 */
export const DRIFT_READS = ["secretsmanager:GetSecretValue", "kms:Decrypt"] as const;

/**
 * Resource types whose Read (what refresh calls) reads data the preview role is denied, and the
 * actions it needs (Terraform AWS provider read functions: SecretVersion → GetSecretValue; Parameter →
 * GetParameter WithDecryption; S3 objects → HeadObject/GetObjectTagging, authorized as s3:GetObject;
 * TableItem → GetItem). deploy/tests check every type the program constructs against DRIFT_READS.
 */
export const DATA_READING_TYPES: Record<string, readonly string[]> = {
    "secretsmanager.SecretVersion": ["secretsmanager:GetSecretValue", "kms:Decrypt"],
    "ssm.Parameter": ["ssm:GetParameter", "kms:Decrypt"],
    "s3.BucketObject": ["s3:GetObject"],
    "s3.BucketObjectv2": ["s3:GetObject"],
    "dynamodb.TableItem": ["dynamodb:GetItem"],
};

export interface DriftScope {
    project: string;
    stack: string;
    /** The platform stack's region (its secrets and keys live there). */
    region: string;
    accountId: string;
}

/**
 * ARN pattern of a platform stack's secrets: the program auto-names them from its logical names,
 * which start with `<stack>-` (components/naming.ts componentName), and Secrets Manager appends a
 * random suffix to the ARN.
 */
export function stackSecretArnPattern(s: DriftScope): string {
    return `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${s.stack}-*`;
}

/**
 * The drift role's own policy (on top of ReadOnlyAccess): it may read the secret values of its stack
 * — secrets in the stack's region and account whose name starts with `<stack>-` AND that carry the
 * stack's default tags `stack` and `project` (set by the provider, not overridable by config), so a
 * DR stack named `<stack>-dr` or another stack's secret never matches — and decrypt only through
 * Secrets Manager for those secrets (kms:ViaService, and the encryption context Secrets Manager sets:
 * SecretARN). Everything else the preview role is denied stays denied.
 */
export function driftPolicy(s: DriftScope): string {
    const secrets = stackSecretArnPattern(s);
    const viaSecretsManager = `secretsmanager.${s.region}.amazonaws.com`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadOwnSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: secrets,
                Condition: { StringEquals: { "aws:ResourceTag/stack": s.stack, "aws:ResourceTag/project": s.project } },
            },
            {
                Sid: "DecryptOwnSecretsThroughSecretsManager",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: `arn:aws:kms:${s.region}:${s.accountId}:key/*`,
                Condition: { StringEquals: { "kms:ViaService": viaSecretsManager }, StringLike: { "kms:EncryptionContext:SecretARN": secrets } },
            },
            { Sid: "NoOtherStacksSecrets", Effect: "Deny", Action: "secretsmanager:GetSecretValue", NotResource: secrets },
            { Sid: "NoSecretsOfOtherTags", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringNotEquals: { "aws:ResourceTag/stack": s.stack } } },
            { Sid: "NoDecryptOutsideSecretsManager", Effect: "Deny", Action: "kms:Decrypt", Resource: "*", Condition: { StringNotEquals: { "kms:ViaService": viaSecretsManager } } },
            { Sid: "NoDataReads", Effect: "Deny", Action: PREVIEW_DENIED_ACTIONS.filter((a) => !(DRIFT_READS as readonly string[]).includes(a)), Resource: "*" },
        ],
    });
}
