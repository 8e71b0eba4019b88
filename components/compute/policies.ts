import * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings } from "../../config";
import type { PolicyStatement } from "../shared/iam";

/** A statement of a task or execution role: always named, always an allow. */
export type Statement = PolicyStatement & { Sid: string; Effect: "Allow"; Action: string[] };

/** What a service's policies may point at. */
export interface ServiceResources {
    repositoryArn: pulumi.Input<string>;
    logGroupArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    secretArns: { database: pulumi.Input<string>; cache: pulumi.Input<string> };
    uploadsBucketArn: pulumi.Input<string>;
    /** ARNs of the worker queues the service may send to (its `queues`). */
    queueArns: pulumi.Input<string>[];
    /** The X-Ray daemon sidecar runs in the task (monitoring.tracing). @default false */
    tracing?: boolean;
}

/**
 * What the X-Ray daemon needs: send segments and telemetry, read sampling rules. X-Ray has no
 * resource-level permissions for these actions (Service Authorization Reference, AWS X-Ray), so they
 * name "*" — the actions of AWS's AWSXRayDaemonWriteAccess policy, nothing more.
 */
export const XRAY_WRITE_STATEMENT: Statement = {
    Sid: "SendTraces",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
    Resource: "*",
};

/**
 * The execution role: what ECS needs to start the task — pull its image, write its logs, read the
 * secrets it injects. Every statement names its resource except ecr:GetAuthorizationToken, which AWS
 * only grants on "*".
 */
export function executionStatements(svc: Pick<ServiceSettings, "secrets">, r: ServiceResources): Statement[] {
    const statements: Statement[] = [
        { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        {
            Sid: "PullOwnImage",
            Effect: "Allow",
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            Resource: r.repositoryArn,
        },
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${r.logGroupArn}:*` },
        // Images and secrets are encrypted with the data key.
        { Sid: "DecryptImagesAndSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: r.dataKeyArn },
    ];
    if (svc.secrets.length > 0) {
        statements.push({
            Sid: "ReadInjectedSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: svc.secrets.map((s) => r.secretArns[s]),
        });
    }
    return statements;
}

/**
 * The task role: what the application itself may do. Its buckets and the worker queues it sends to, and
 * re-reading the database secret: RDS rotates the master password every 7 days, while the injected
 * DB_PASSWORD is read once at task start, so an app refreshes from DB_SECRET_ARN on an auth failure.
 */
export function taskStatements(svc: Pick<ServiceSettings, "buckets" | "secrets">, r: ServiceResources): Statement[] {
    const statements: Statement[] = r.tracing ? [XRAY_WRITE_STATEMENT] : [];
    // Worker queues use SQS-managed SSE: sending needs no KMS permission.
    if (r.queueArns.length > 0) statements.push({ Sid: "SendToWorkerQueues", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: r.queueArns });
    if (svc.secrets.includes("database")) {
        statements.push(
            { Sid: "RefreshDatabaseCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: r.secretArns.database },
            { Sid: "DecryptDatabaseCredentials", Effect: "Allow", Action: ["kms:Decrypt"], Resource: r.dataKeyArn },
        );
    }
    if (!svc.buckets.includes("uploads")) return statements;
    return [
        ...statements,
        { Sid: "ListUploads", Effect: "Allow", Action: ["s3:ListBucket"], Resource: r.uploadsBucketArn },
        {
            Sid: "ReadWriteUploads",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: pulumi.interpolate`${r.uploadsBucketArn}/*`,
        },
        // SSE-KMS on the uploads bucket: writing needs a data key, reading needs decrypt.
        { Sid: "UploadsEncryption", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: r.dataKeyArn },
    ];
}
