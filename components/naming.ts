/**
 * The naming module: every physical name the components set themselves, and the logical-name rule,
 * built here from project, stack, component and role. Nothing else in components/ concatenates
 * `${project}-${stack}`. Limits come from the table in config/naming.ts (NAME_LIMITS), which also
 * computes the worst-case names per stack before any resource exists.
 */
import { createHash } from "node:crypto";
import { NAME_LIMITS } from "../config/naming";

/** Where a name comes from: the Pulumi project and stack. */
export interface NameScope {
    project: string;
    stack: string;
}

/** A child's logical name: `<parent name>-<role>` (a contract: renaming replaces the resource; use `aliases`). */
export function childName(parent: string, role: string): string {
    return `${parent}-${role}`;
}

/** A component's logical name in the stack: `<stack>-<component>` (e.g. `dev-network`). */
export function componentName(stack: string, component: string): string {
    return `${stack}-${component}`;
}

/** `<project>-<stack>`: the prefix of fixed physical names that must be unique per account and region. */
export function namePrefix(scope: NameScope): string {
    return `${scope.project}-${scope.stack}`;
}

/** ALB and target-group names: at most 32 characters, letters, digits and hyphens (AWS). */
export const LB_NAME_MAX = NAME_LIMITS["aws:lb/loadBalancer:LoadBalancer"].max;

/**
 * The stack's load balancer name, `<project>-<stack>-in` (config refuses names over 32 characters).
 * `-in` (internal) since the load balancer moved behind CloudFront: `internal` forces a replacement,
 * Pulumi creates the new one before deleting the old, and ELB refuses two load balancers of one name.
 */
export function loadBalancerName(scope: NameScope): string {
    return `${namePrefix(scope)}-in`;
}

/** What a target group's name is derived from: everything whose change replaces the target group. */
export interface TargetGroupIdentity extends NameScope {
    service: string;
    port: number;
    protocol: string;
    targetType: string;
    vpcId: string;
}

/**
 * A target group name that fits 32 characters and changes whenever the target group must be replaced
 * (port, protocol, target type, VPC). A new name lets Pulumi create the new group before deleting the
 * old one, which the listener rule still uses until it switches over.
 */
export function targetGroupName(id: TargetGroupIdentity): string {
    const { project, stack, service } = id;
    const max = NAME_LIMITS["aws:lb/targetGroup:TargetGroup"].max;
    const hash = createHash("sha256")
        .update([project, stack, service, id.port, id.protocol, id.targetType, id.vpcId].join("/"))
        .digest("hex")
        .slice(0, 6);
    const prefix = `${stack}-${service}`.slice(0, max - hash.length - 1).replace(/-+$/, "");
    return `${prefix}-${hash}`;
}

/** ECR repository per stack and image: `<project>/<stack>/<image>`. */
export function repositoryName(scope: NameScope, image: string): string {
    return `${scope.project}/${scope.stack}/${image}`;
}

/** A service's log group: `/<project>/<stack>/services/<service>`. */
export function serviceLogGroupName(scope: NameScope, service: string): string {
    return `/${scope.project}/${scope.stack}/services/${service}`;
}

/** A worker's log group: `/<project>/<stack>/workers/<worker>`; its HTTP API's access log group appends `/api-access`. */
export function workerLogGroupName(scope: NameScope, worker: string, suffix = ""): string {
    return `/${scope.project}/${scope.stack}/workers/${worker}${suffix}`;
}

/** A task definition family: `<project>-<stack>-<service><suffix>` (suffix `-migrate` for the one-off migration task). */
export function taskFamily(scope: NameScope, service: string, suffix = ""): string {
    return `${namePrefix(scope)}-${service}${suffix}`;
}

/** The primary database's RDS identifier, `<project>-<stack>-postgres`; replicas append `-replica-<n>`. */
export function databaseIdentifier(prefix: string, replica?: number): string {
    return replica === undefined ? `${prefix}-postgres` : `${prefix}-postgres-replica-${replica}`;
}

/** A KMS alias: `alias/<project>-<stack>/<role>`. */
export function kmsAliasName(prefix: string, role: string): string {
    return `alias/${prefix}/${role}`;
}

/** Lambda function names: at most 64 letters, digits, hyphens and underscores. */
const LAMBDA_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${NAME_LIMITS["aws:lambda/function:Function"].max}}$`);

/** Name of the database rotation function (`<project>-<stack>-db-rotation`); refused if Lambda would refuse it. */
export function rotationFunctionName(prefix: string): string {
    const functionName = `${prefix}-db-rotation`;
    if (!LAMBDA_NAME.test(functionName)) {
        throw new Error(`rotation function name "${functionName}" must be 1-64 letters, digits, - or _ (Lambda naming rules); shorten the project or stack name`);
    }
    return functionName;
}

/** The alarms that roll a service's deployment back, by role. Monitoring creates alarms with these names. */
export const DEPLOYMENT_ALARM_ROLES = ["5xx", "p99", "unhealthy-hosts"] as const;

/**
 * Names of the CloudWatch alarms that roll back a deployment of `service`:
 * `<project>-<stack>-<service>-deploy-<role>`. A pure function, so compute can name the alarms
 * before monitoring (a later component) creates them: data still flows one way.
 */
export function deploymentAlarmNames(scope: NameScope, service: string): string[] {
    return DEPLOYMENT_ALARM_ROLES.map((role) => `${namePrefix(scope)}-${service}-deploy-${role}`);
}

/**
 * A stack's uploads bucket, `<project>-<stack>-uploads-<account>`: S3 bucket names are global, so the
 * account makes it unique. A pure function both sides of a replication call — the recovery stack names
 * its bucket with it, the primary's replication rule targets it — so the primary never reads the
 * recovery stack's outputs (that StackReference would close a cycle: the recovery stack already reads
 * the primary's). Every stack uses it, so a primary that takes the recovery role to fail back keeps its
 * bucket, and a replacement of the bucket fails on the taken name instead of starting an empty one.
 */
export function uploadsBucketName(scope: NameScope, accountId: string): string {
    return `${namePrefix(scope)}-uploads-${accountId}`;
}

/**
 * The alias ARN of a recovery stack's data key (`alias/<project>-<recovery stack>/data` in its region):
 * the key S3 encrypts replicas with. S3 accepts a key ARN or an alias ARN as ReplicaKmsKeyID (S3 API
 * reference, EncryptionConfiguration); an alias resolves in the requester's account, which is ours.
 */
export function replicaKeyAliasArn(recovery: NameScope, region: string, accountId: string): string {
    return `arn:aws:kms:${region}:${accountId}:${kmsAliasName(namePrefix(recovery), "data")}`;
}

/** The prefix every repository of a stack starts with, `<project>/<stack>/`: an ECR replication filter (PREFIX_MATCH) that covers exactly them. */
export function repositoryPrefix(scope: NameScope): string {
    return repositoryName(scope, "");
}

/** The project and stack of a fully qualified stack name `<organization>/<project>/<stack>` (a recovery stack's `primaryStack`). */
export function stackScope(fullyQualified: string): NameScope {
    const [, project = "", stack = ""] = fullyQualified.split("/");
    return { project, stack };
}
