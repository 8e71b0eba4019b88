import * as pulumi from "@pulumi/pulumi";
import type { WorkerSettings } from "../../config";
import type { PolicyStatement } from "../shared/iam";

/** A statement of a worker's role: always named, always an allow. */
export type Statement = PolicyStatement & { Sid: string; Effect: "Allow"; Action: string[] };

/** What one worker's policy may point at: its own log group and queue, the stack's secrets, bucket and data key. */
export interface WorkerResources {
    logGroupArn: pulumi.Input<string>;
    /** Queue workers only: the queue it consumes. */
    queueArn?: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    secretArns: { database: pulumi.Input<string>; cache: pulumi.Input<string> };
    uploadsBucketArn: pulumi.Input<string>;
}

/**
 * The worker's role: its own logs, X-Ray (AWS grants PutTraceSegments/PutTelemetryRecords only on
 * "*"), its queue (receive, delete, change visibility for partial batch failures, attributes), and
 * only the secrets and buckets it names. VPC networking comes from the AWSLambdaVPCAccessExecutionRole
 * managed policy, attached only to workers in the VPC (index.ts).
 */
export function workerStatements(w: Pick<WorkerSettings, "secrets" | "buckets">, r: WorkerResources): Statement[] {
    const statements: Statement[] = [
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${r.logGroupArn}:*` },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ];
    if (r.queueArn !== undefined) {
        statements.push({
            Sid: "ConsumeOwnQueue",
            Effect: "Allow",
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
            Resource: r.queueArn,
        });
    }
    if (w.secrets.length > 0) {
        statements.push(
            { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: w.secrets.map((s) => r.secretArns[s]) },
            { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: r.dataKeyArn },
        );
    }
    if (w.buckets.includes("uploads")) {
        statements.push(
            { Sid: "ListUploads", Effect: "Allow", Action: ["s3:ListBucket"], Resource: r.uploadsBucketArn },
            { Sid: "ReadWriteUploads", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${r.uploadsBucketArn}/*` },
            { Sid: "UploadsEncryption", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: r.dataKeyArn },
        );
    }
    return statements;
}
