import * as pulumi from "@pulumi/pulumi";
import type { ImageRelease, ServiceSettings } from "../../config";
import { imageReference } from "../releases";
import { DataRefs, dataEnvironment, EnvVar, featureFlagEnvironment } from "../shared/data-refs";

/** Where the platform's own environment values come from: the data tier, plus the task's own. */
export interface ContainerRefs extends DataRefs {
    repositoryUrl: pulumi.Input<string>;
    region: string;
    logGroupName: pulumi.Input<string>;
    /** Per queue the service may send to (its `queues`): the queue's URL. */
    queueUrls: Record<string, pulumi.Input<string>>;
    /** Run the X-Ray daemon beside the app (monitoring.tracing). @default false */
    tracing?: boolean;
}

/** `QUEUE_<NAME>_URL`: the environment name of a worker queue's URL (`inference` → QUEUE_INFERENCE_URL). */
export function queueUrlEnvName(queue: string): string {
    return `QUEUE_${queue.toUpperCase().replace(/-/g, "_")}_URL`;
}

export type SecretVar = { name: string; valueFrom: pulumi.Input<string> };

/** Plain values: the release tag, the port, the data tier's endpoints, queue URLs, feature flags, then the service's own. */
export function environmentFor(svc: ServiceSettings, refs: ContainerRefs): EnvVar[] {
    return [
        { name: "RELEASE_TAG", value: svc.release?.tag ?? "" },
        { name: "PORT", value: String(svc.port) },
        ...dataEnvironment(svc, refs),
        ...svc.queues.map((queue) => ({ name: queueUrlEnvName(queue), value: refs.queueUrls[queue] })),
        ...featureFlagEnvironment(svc.featureFlags),
        ...(refs.tracing ? [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" }] : []),
        ...Object.entries(svc.environment).map(([name, value]) => ({ name, value })),
    ];
}

/** Secrets injected by ECS from Secrets Manager at task start: never plain environment values. */
export function secretsFor(svc: ServiceSettings, refs: ContainerRefs): SecretVar[] {
    const secrets: SecretVar[] = [];
    if (svc.secrets.includes("database")) {
        secrets.push(
            { name: "DB_USERNAME", valueFrom: pulumi.interpolate`${refs.dbSecretArn}:username::` },
            { name: "DB_PASSWORD", valueFrom: pulumi.interpolate`${refs.dbSecretArn}:password::` },
        );
    }
    if (svc.secrets.includes("cache")) {
        secrets.push({ name: "REDIS_AUTH_TOKEN", valueFrom: pulumi.interpolate`${refs.cacheSecretArn}:authToken::` });
    }
    return secrets;
}

export const TMP_VOLUME = "tmp";

/** The migration container's name in a service's tasks and in the standalone migration task: `<service>-migrate`. */
export function migrationContainerName(service: string): string {
    return `${service}-migrate`;
}

/**
 * The service's task: its container — read-only root filesystem with a writable /tmp volume, non-root
 * user, no privileges, an init process for signal handling, logs to the service's log group (FSBP
 * ECS.4, ECS.5, ECS.8, ECS.9) — and, when the service declares a migrationCommand, a migration
 * container from the same image digest that runs first: the app container starts only after it exits
 * 0 (`dependsOn` SUCCESS, which ECS allows only on a non-essential container). A task whose migration
 * fails never starts the app, so it never passes health checks and the circuit breaker rolls back.
 */
export function containerDefinitions(svc: ServiceSettings, release: ImageRelease, refs: ContainerRefs): pulumi.Output<string> {
    const app = {
        ...baseContainer(svc, release, refs, svc.name),
        essential: true,
        command: svc.command,
        portMappings: [{ name: "http", containerPort: svc.port, protocol: "tcp", appProtocol: "http" }],
        ...(svc.migrationCommand ? { dependsOn: [{ containerName: migrationContainerName(svc.name), condition: "SUCCESS" }] } : {}),
    };
    const sidecars = refs.tracing ? [xrayDaemon(svc, refs)] : [];
    if (!svc.migrationCommand) return pulumi.jsonStringify([app, ...sidecars]);
    return pulumi.jsonStringify([app, migrationContainer(svc, release, refs, false), ...sidecars]);
}

/** The X-Ray daemon sidecar's container name. */
export const XRAY_DAEMON = "xray-daemon";
/**
 * AWS's X-Ray daemon image in ECR Public, pinned to a release (AWS X-Ray developer guide, "Running the
 * X-Ray daemon on Amazon ECS"; the `3.x` tag would float): 3.5.0 (2025-08-28), the newest in the daemon's
 * CHANGELOG; 3.3.9+ carry the CVE-2023-44487 fix. By tag, not digest (policy waiver; README controls).
 */
export const XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.5.0";
/**
 * The daemon's own non-root user, numerically: its image is built FROM scratch with only the build
 * stage's /etc/passwd (`xray`, uid 10001; aws/aws-xray-daemon Dockerfile), so the service's `user`
 * (a name the app image knows) may not exist there and would stop the container from starting.
 */
export const XRAY_DAEMON_USER = "10001:10001";
/**
 * What the daemon takes out of the task's CPU and memory (it counts against the task size, not on
 * top): 32 CPU units, 64 MiB reserved and a 128 MiB hard limit, with its span buffer capped at 16 MiB.
 */
export const XRAY_DAEMON_SIZE = { cpu: 32, memoryReservation: 64, memory: 128, bufferMemoryMb: 16 } as const;

/**
 * The X-Ray daemon: receives segments on UDP 2000 from the app's X-Ray SDK or OpenTelemetry exporter
 * (AWS_XRAY_DAEMON_ADDRESS, the SDK's default) and sends them to X-Ray with the task role. Not
 * essential: a daemon crash loses traces, never the app. Read-only root, unprivileged, logs beside the app's.
 */
function xrayDaemon(svc: ServiceSettings, refs: ContainerRefs) {
    return {
        name: XRAY_DAEMON,
        image: XRAY_DAEMON_IMAGE,
        essential: false,
        cpu: XRAY_DAEMON_SIZE.cpu,
        memoryReservation: XRAY_DAEMON_SIZE.memoryReservation,
        memory: XRAY_DAEMON_SIZE.memory,
        command: ["--buffer-memory", String(XRAY_DAEMON_SIZE.bufferMemoryMb)],
        portMappings: [{ containerPort: 2000, protocol: "udp" }],
        user: XRAY_DAEMON_USER,
        privileged: false,
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: 30,
        environment: [{ name: "AWS_REGION", value: refs.region }],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": refs.logGroupName, "awslogs-region": refs.region, "awslogs-stream-prefix": svc.name },
        },
    };
}

/** The standalone migration task (the `migrations` output runs it once): the migration container alone, essential. */
export function migrationTaskContainers(svc: ServiceSettings, release: ImageRelease, refs: ContainerRefs): pulumi.Output<string> {
    return pulumi.jsonStringify([migrationContainer(svc, release, refs, true)]);
}

function migrationContainer(svc: ServiceSettings, release: ImageRelease, refs: ContainerRefs, essential: boolean) {
    return { ...baseContainer(svc, release, refs, migrationContainerName(svc.name)), essential, command: svc.migrationCommand };
}

function baseContainer(svc: ServiceSettings, release: ImageRelease, refs: ContainerRefs, name: string) {
    return {
        name,
        image: imageReference(refs.repositoryUrl, release),
        user: svc.user,
        privileged: false,
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
        linuxParameters: { initProcessEnabled: true },
        environment: environmentFor(svc, refs),
        secrets: secretsFor(svc, refs),
        stopTimeout: 30,
        logConfiguration: {
            logDriver: "awslogs",
            // Streams: <service>/<container>/<task id>, so the migration's output is `<service>/<service>-migrate/…`.
            options: { "awslogs-group": refs.logGroupName, "awslogs-region": refs.region, "awslogs-stream-prefix": svc.name },
        },
    };
}
