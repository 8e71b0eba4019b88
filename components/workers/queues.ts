/**
 * The queue workers' queues: per queue worker an SQS queue and its dead-letter queue. Created after
 * the data tier and before compute (README "Architecture", "Where queues live"): services that send to a worker's
 * queue get its URL and an `sqs:SendMessage` grant on its ARN, and the worker (after compute)
 * consumes it through its alias.
 *
 * - SSE with SQS-managed keys (`sqsManagedSseEnabled`): no key policy for senders or the function to
 *   get right, no KMS request cost.
 * - visibility timeout from config (default and minimum 6 × the function timeout, config/rules/workers.ts);
 * - redrive to the DLQ after `maxReceiveCount` receives; the DLQ keeps messages 14 days (the maximum).
 * Queues hold messages in flight: protected in prod like every stateful resource.
 * Cost: $0.40 per million requests after the first million a month; nothing while idle.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { QueueTrigger, WorkerSettings } from "../../config";
import { childName } from "../naming";
import { pickHandle } from "../shared/handle";
import { statefulOptions } from "../shared/protection";

export interface QueuesArgs {
    /** Every worker; the queue workers get a queue (released or not: services may send before the first release). */
    workers: WorkerSettings[];
    /** Pulumi `protect` + retain-on-delete (prod). */
    protectData: boolean;
}

/** One queue worker's queue and dead-letter queue. */
export interface WorkerQueue {
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
    dlqUrl: pulumi.Output<string>;
    dlqArn: pulumi.Output<string>;
}

/** What compute (senders) and workers (the consumer) use. */
export interface QueuesHandle {
    /** Per queue worker. */
    queues: Record<string, WorkerQueue>;
}

const HANDLE: Record<keyof QueuesHandle, true> = { queues: true };

/** Seconds the DLQ keeps a message: 14 days, SQS's maximum, time to look at a poison message and redrive it. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

export class Queues extends pulumi.ComponentResource implements QueuesHandle {
    readonly queues: Record<string, WorkerQueue>;

    constructor(name: string, args: QueuesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:workers:Queues", name, {}, opts);
        this.queues = {};
        for (const w of args.workers) {
            if (w.trigger.type !== "queue") continue;
            this.queues[w.name] = this.createQueue(childName(name, w.name), w.trigger, args.protectData);
        }
        this.registerOutputs(pickHandle<QueuesHandle>(this, HANDLE));
    }

    private createQueue(name: string, trigger: QueueTrigger, protectData: boolean): WorkerQueue {
        const opts = { parent: this, ...statefulOptions(protectData) };
        const dlq = new aws.sqs.Queue(childName(name, "dlq"), { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS }, opts);
        const queue = new aws.sqs.Queue(
            name,
            {
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: trigger.visibilityTimeoutSeconds,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: trigger.maxReceiveCount }),
            },
            opts,
        );
        return { url: queue.url, arn: queue.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
    }
}
