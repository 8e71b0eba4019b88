import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WORKER_ALIAS, WorkerSettings } from "../../config";
import type { DataHandle } from "../data";
import { dataRefs } from "../shared/data-refs";
import { childName, NameScope } from "../naming";
import type { NetworkHandle } from "../network";
import type { ReleasesHandle } from "../releases";
import { outputRecord, pickHandle } from "../shared/handle";
import type { QueuesHandle } from "./queues";
import { createWorker, DeployedWorker } from "./worker";

export { Queues } from "./queues";
export type { QueuesHandle, ScheduleDlq, WorkerQueue } from "./queues";

export interface WorkersArgs {
    scope: NameScope;
    workers: WorkerSettings[];
    logRetentionDays: number;
    network: NetworkHandle;
    data: DataHandle;
    /** The queue workers' queues (created before compute). */
    queues: QueuesHandle;
    /** The image registry: each worker runs its pinned digest from its repository there. */
    releases: Pick<ReleasesHandle, "repositories">;
}

/** Per deployed worker: the `workers` stack output (what `npm run release` reads). */
export interface WorkerOutput {
    functionName: string;
    /** Always `live`: every trigger, permission and provisioned-concurrency config points at it. */
    aliasName: string;
    aliasArn: string;
    /** The version `live` serves: the pinned one after a rollback, the stable one during a canary. */
    liveVersion: string;
    /**
     * The version before the newest: each change publishes exactly one new version, so it is
     * newest − 1 (null while the function has only version 1). Known without reading state.
     */
    previousVersion: string | null;
    /** Additional version weights of the alias (the canary), {} when none. */
    routing: Record<string, number>;
    queueUrl?: string;
    /** Queue workers: the queue's dead-letter queue; schedule workers: the schedule's. */
    dlqUrl?: string;
    /** Schedule workers: the EventBridge Scheduler schedule (default group), its expression and time zone. */
    scheduleName?: string;
    scheduleExpression?: string;
    scheduleTimezone?: string;
    /** VPC workers: their own security group. */
    securityGroupId?: string;
    /** HTTP workers: the API's base URL. */
    endpoint?: string;
    /** The image the function runs (`<repository>@sha256:…`): `npm run release -- canary` checks the stack file pins a newer one. */
    image: string;
    /** The exact commands that pin `live` to previousVersion. */
    rollbackCommand: string;
}

/** What workers expose to later components (monitoring) and the stack outputs. */
export interface WorkersHandle {
    workers: pulumi.Output<Record<string, WorkerOutput>>;
}

const HANDLE: Record<keyof WorkersHandle, true> = { workers: true };

/** The version before `newest` (each change publishes exactly one), or null for version 1. */
export function previousVersion(newest: string): string | null {
    const n = Number(newest);
    return Number.isInteger(n) && n > 1 ? String(n - 1) : null;
}

/** `pulumi config set … rollbackTo <previous> && pulumi up` for one worker of one stack. */
export function rollbackCommand(stack: string, worker: string, previous: string | null): string {
    if (previous === null) return `none: version 1 is the only version of ${worker} (first deploy); fix forward with a new release`;
    return `pulumi config set --type string --path 'workers.${worker}.rollbackTo' ${previous} --stack ${stack} && pulumi up --stack ${stack}`;
}

/**
 * Container-image Lambda workers, each behind the alias `live` (worker.ts): queue workers consume
 * their queue (queues.ts, created before compute) through an event source mapping, http workers
 * serve an API Gateway HTTP API, schedule workers are invoked by an EventBridge Scheduler schedule;
 * VPC workers get a security group of their own. Workers with no pinned release are skipped (listed in `unreleased`).
 *
 * Cost: Lambda bills per request ($0.20/million) and GB-second (arm64 $0.0000133); an idle worker
 * costs nothing. Provisioned concurrency is billed while configured (arm64 1 GB ≈ $8.6/month per
 * instance) whether or not it serves. HTTP API $1.00 per million requests.
 */
export class Workers extends pulumi.ComponentResource implements WorkersHandle {
    readonly workers: pulumi.Output<Record<string, WorkerOutput>>;

    constructor(name: string, args: WorkersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:workers:Workers", name, {}, opts);

        const deployed: Record<string, DeployedWorker> = {};
        const accountId = args.workers.some((w) => w.release && w.trigger.type === "schedule") ? aws.getCallerIdentityOutput({}, { parent: this }).accountId : "";
        for (const w of args.workers) {
            if (!w.release) continue;
            deployed[w.name] = createWorker(
                childName(name, w.name),
                w,
                w.release,
                {
                    scope: args.scope,
                    repository: args.releases.repositories[w.name],
                    logsKeyArn: args.data.keys.logsArn,
                    logRetentionDays: args.logRetentionDays,
                    privateSubnetIds: args.network.privateSubnetIds,
                    vpcId: args.network.vpcId,
                    dataSecurityGroupId: args.network.securityGroups.data,
                    queue: args.queues.queues[w.name],
                    scheduleDlq: args.queues.scheduleDlqs[w.name],
                    accountId,
                    refs: dataRefs(args.data),
                    resources: {
                        dataKeyArn: args.data.keys.dataArn,
                        secretArns: { database: args.data.database.secretArn, cache: args.data.cache.authSecretArn },
                        uploadsBucketArn: args.data.buckets.uploadsArn,
                    },
                },
                this,
            );
        }
        this.workers = outputRecord<WorkerOutput>(
            Object.entries(deployed).map(([worker, d]) => [worker, workerOutput(args, worker, d)] as const),
        );
        this.registerOutputs(pickHandle<WorkersHandle>(this, HANDLE));
    }
}

function workerOutput(args: WorkersArgs, worker: string, d: DeployedWorker): pulumi.Output<WorkerOutput> {
    const queue = args.queues.queues[worker];
    const scheduleDlq = args.queues.scheduleDlqs[worker];
    // Schedule workers: the schedule and its DLQ; VPC workers: their group (undefined fields are left out).
    const extra = pulumi.output({
        scheduleName: d.schedule?.name,
        scheduleExpression: d.schedule?.scheduleExpression,
        scheduleTimezone: d.schedule?.scheduleExpressionTimezone,
        scheduleDlqUrl: scheduleDlq?.url,
        securityGroupId: d.securityGroup?.id,
    });
    return pulumi
        .all([d.fn.name, d.alias.arn, d.alias.functionVersion, d.fn.version, d.alias.routingConfig, queue?.url, queue?.dlqUrl, pulumi.all([d.endpoint, extra, d.image])])
        .apply(([functionName, aliasArn, liveVersion, newest, routing, queueUrl, dlqUrl, [endpoint, x, image]]) => {
            const previous = previousVersion(newest);
            return {
                functionName,
                aliasName: WORKER_ALIAS,
                aliasArn,
                liveVersion,
                previousVersion: previous,
                routing: routing?.additionalVersionWeights ?? {},
                ...(queueUrl !== undefined ? { queueUrl, dlqUrl } : {}),
                ...(endpoint !== undefined ? { endpoint } : {}),
                ...(d.schedule !== undefined
                    ? { scheduleName: x.scheduleName, scheduleExpression: x.scheduleExpression, scheduleTimezone: x.scheduleTimezone ?? "UTC", dlqUrl: x.scheduleDlqUrl }
                    : {}),
                ...(x.securityGroupId !== undefined ? { securityGroupId: x.securityGroupId } : {}),
                image,
                rollbackCommand: rollbackCommand(args.scope.stack, worker, previous),
            };
        });
}
