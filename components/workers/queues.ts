/**
 * The queue workers' queues: per queue worker an SQS queue and its dead-letter queue (and per schedule
 * worker the dead-letter queue of its schedule: SSE, 14 days, same protection). Created after
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

/** A schedule worker's dead-letter queue: events the schedule could not deliver after its retries. */
export interface ScheduleDlq {
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/** What compute (senders) and workers (the consumer) use. */
export interface QueuesHandle {
    /** Per queue worker. */
    queues: Record<string, WorkerQueue>;
    /** Per schedule worker. */
    scheduleDlqs: Record<string, ScheduleDlq>;
}

const HANDLE: Record<keyof QueuesHandle, true> = { queues: true, scheduleDlqs: true };

/** Seconds the DLQ keeps a message: 14 days, SQS's maximum, time to look at a poison message and redrive it. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

export class Queues extends pulumi.ComponentResource implements QueuesHandle {
    readonly queues: Record<string, WorkerQueue>;
    readonly scheduleDlqs: Record<string, ScheduleDlq>;

    constructor(name: string, args: QueuesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:workers:Queues", name, {}, opts);
        this.queues = {};
        this.scheduleDlqs = {};
        for (const w of args.workers) {
            if (w.trigger.type === "queue") this.queues[w.name] = this.createQueue(childName(name, w.name), w.trigger, args.protectData);
            if (w.trigger.type === "schedule") this.scheduleDlqs[w.name] = this.createDlq(childName(childName(name, w.name), "dlq"), args.protectData);
        }
        this.registerOutputs(pickHandle<QueuesHandle>(this, HANDLE));
    }

    private createDlq(name: string, protectData: boolean): aws.sqs.Queue {
        return new aws.sqs.Queue(name, { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS }, { parent: this, ...statefulOptions(protectData) });
    }

    private createQueue(name: string, trigger: QueueTrigger, protectData: boolean): WorkerQueue {
        const opts = { parent: this, ...statefulOptions(protectData) };
        const dlq = this.createDlq(childName(name, "dlq"), protectData);
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
