/**
 * IAM in one place: the statement type every policy in components/ uses, and the role an AWS
 * service assumes (ECS tasks, VPC Flow Logs, RDS enhanced monitoring, AWS Backup; later Lambda,
 * EventBridge Scheduler), with its inline policy and managed-policy attachments.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

type Inputs = pulumi.Input<string> | pulumi.Input<string>[];

/** Condition block: operator → key → value(s), e.g. `{ StringEquals: { "aws:SourceAccount": id } }`. */
export type PolicyCondition = Record<string, Record<string, Inputs>>;

export type PolicyPrincipal = "*" | { AWS: pulumi.Input<string> } | { Service: pulumi.Input<string> };

/** One statement of an identity, key or resource policy. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    /** Resource policies only (key, bucket): who the statement is about. */
    Principal?: PolicyPrincipal;
    Action: string | string[];
    Resource: Inputs;
    Condition?: PolicyCondition;
}

/** A policy document as JSON text (resolves once every input does). */
export function policyDocument(statements: pulumi.Input<PolicyStatement>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

export interface ServiceRoleArgs {
    /** The service principal that assumes the role, e.g. `ecs-tasks.amazonaws.com`. */
    service: string;
    description: string;
    /** Confused-deputy guard: only this account's use of the service may assume the role. @default - no condition */
    sourceAccount?: pulumi.Input<string>;
    /** Inline policy (named like the role). @default - none */
    statements?: PolicyStatement[];
    /** AWS managed policies to attach, each named `<role name>[-<suffix>]`. @default - none */
    managedPolicies?: { suffix?: string; policyArn: pulumi.Input<string> }[];
}

export interface ServiceRole {
    role: aws.iam.Role;
    /** The inline policy, when there are statements (what a resource using the role should wait for). */
    policy?: aws.iam.RolePolicy;
    attachments: aws.iam.RolePolicyAttachment[];
}

/** The trust policy of a role `service` assumes (with an `aws:SourceAccount` guard when given). */
export function assumeRolePolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
    const statement: Record<string, unknown> = { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" };
    if (sourceAccount !== undefined) statement.Condition = { StringEquals: { "aws:SourceAccount": sourceAccount } };
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: [statement] });
}

/** A role for an AWS service: trust policy, optional inline policy and managed-policy attachments, all named `name…`. */
export function createServiceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): ServiceRole {
    const role = new aws.iam.Role(name, { description: args.description, assumeRolePolicy: assumeRolePolicy(args.service, args.sourceAccount) }, { parent });
    const statements = args.statements ?? [];
    const policy = statements.length > 0 ? new aws.iam.RolePolicy(name, { role: role.id, policy: policyDocument(statements) }, { parent }) : undefined;
    const attachments = (args.managedPolicies ?? []).map(
        (m) => new aws.iam.RolePolicyAttachment(m.suffix ? `${name}-${m.suffix}` : name, { role: role.name, policyArn: m.policyArn }, { parent }),
    );
    return { role, policy, attachments };
}
