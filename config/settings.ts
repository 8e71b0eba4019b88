/**
 * The validated, fully resolved settings one stack deploys with. Components receive slices of this
 * (plain data, no Pulumi config access); only config/ knows how they were derived.
 */

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * How private subnets reach the internet: one shared NAT gateway, one per availability zone (awsx
 * `NatGatewayStrategy`), or one NAT instance (an EC2 instance in the first public subnet,
 * components/network/nat-instance.ts; README "NAT instance").
 */
export const NAT_STRATEGIES = ["single", "perAz", "instance"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

export interface NetworkSettings {
    /** VPC IPv4 CIDR block, /16 to /20, RFC 1918. */
    cidr: string;
    /** Availability zones the VPC spans (public + private subnet in each). */
    azCount: number;
    /**
     * `single`: one shared NAT gateway (cheaper, one AZ's failure cuts egress); `perAz`: one per AZ;
     * `instance`: one NAT instance (cheapest; single AZ, burstable bandwidth, patched by dnf-automatic).
     */
    natGateways: NatStrategy;
    /** The NAT instance's EC2 type (config/catalog.ts NAT_INSTANCE_TYPES); only with `natGateways: instance`. @default - t4g.nano */
    natInstanceType?: string;
}

export interface LogSettings {
    /** Retention of every CloudWatch log group the stack creates (flow logs, services, database). */
    retentionDays: number;
}

export interface DatabaseSettings {
    /** RDS instance class, e.g. `db.t4g.micro`. */
    instanceClass: string;
    /** PostgreSQL major version; RDS applies minor versions automatically. */
    engineVersion: string;
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling. */
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    readReplicas: number;
    backupRetentionDays: number;
    deletionProtection: boolean;
    /** Take a uniquely named final snapshot when the instance is deleted. */
    finalSnapshot: boolean;
    /** Enhanced monitoring interval in seconds; 0 turns it off. */
    monitoringIntervalSeconds: number;
    /** Initial database name. */
    dbName: string;
    /** Apply modifications now (true) or in the weekly maintenance window (false). */
    applyImmediately: boolean;
}

export interface CacheSettings {
    engine: CacheEngine;
    /** Major.minor, e.g. `8.0` for Valkey or `7.1` for Redis OSS. */
    engineVersion: string;
    nodeType: string;
    /** Primary + replicas. Two or more turns on automatic failover and Multi-AZ. */
    nodes: number;
    /**
     * Cluster mode enabled (keys sharded over `shards` node groups of 1 primary + `replicasPerShard`
     * replicas); `nodes` does not apply then. Clients connect to the configuration endpoint in cluster mode.
     */
    clusterMode: boolean;
    shards: number;
    replicasPerShard: number;
    snapshotRetentionDays: number;
    /** Apply modifications now (true) or in the weekly maintenance window (false); ElastiCache otherwise waits for the window. */
    applyImmediately: boolean;
}

export interface StorageSettings {
    /** Let `pulumi destroy` delete buckets that still hold objects (dev only). */
    forceDestroy: boolean;
    uploads: {
        /** Days after an object version becomes noncurrent before it moves to Glacier Flexible Retrieval; 0: never. */
        noncurrentToGlacierDays: number;
        /** Days after an object version becomes noncurrent before it is deleted. */
        noncurrentExpireDays: number;
    };
    logs: {
        /** Days after creation before a log object of 128 KB or more moves to Glacier Flexible Retrieval; 0: never. */
        toGlacierDays: number;
        /** Days after creation before a log object is deleted. */
        expireDays: number;
    };
}

export interface BackupSettings {
    /** Days AWS Backup keeps each daily recovery point. */
    retentionDays: number;
    /** AWS Backup schedule expression (UTC). */
    schedule: string;
    /** Copy each recovery point to a vault in this region; `""` for none. */
    copyToRegion: string;
}

/** Valid Fargate task sizes: CPU units → memory (MiB) choices (AWS RegisterTaskDefinition). */
const steps = (from: number, to: number, by: number) => Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
export const FARGATE_SIZES: Record<number, readonly number[]> = {
    256: [512, 1024, 2048],
    512: steps(1024, 4096, 1024),
    1024: steps(2048, 8192, 1024),
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

/** Secrets a service may ask for by name; each maps to environment variables injected by ECS. */
export const SERVICE_SECRETS = ["database", "cache"] as const;
export type ServiceSecret = (typeof SERVICE_SECRETS)[number];
/** Buckets a service may be granted. */
export const SERVICE_BUCKETS = ["uploads"] as const;
export type ServiceBucket = (typeof SERVICE_BUCKETS)[number];
/**
 * Queues a service may be granted: the queues of the stack's queue workers (platform:workers), so the
 * list is per stack and checked in rules/workers.ts; none are built in.
 */
export const SERVICE_QUEUES: readonly string[] = [];

/** How a worker is invoked: an SQS queue of its own, an API Gateway HTTP API, or an EventBridge Scheduler schedule. */
export const WORKER_TRIGGERS = ["queue", "http", "schedule"] as const;
export type WorkerTriggerType = (typeof WORKER_TRIGGERS)[number];

/** The alias every trigger, permission and provisioned-concurrency config points at. */
export const WORKER_ALIAS = "live";

export interface QueueTrigger {
    type: "queue";
    /** Messages per invocation (SQS: 1-10000; above 10 needs a batching window). */
    batchSize: number;
    maxBatchingWindowSeconds: number;
    /** Most concurrent invocations the queue drives (2-1000). @default - no limit beyond the function's */
    maxConcurrency?: number;
    /** Receives before a message moves to the dead-letter queue. */
    maxReceiveCount: number;
    /** At least 6 × the function timeout (AWS's advice for Lambda event sources). */
    visibilityTimeoutSeconds: number;
}

export interface HttpTrigger {
    type: "http";
    /** `<METHOD> /path` route keys, e.g. `GET /items/{id}`. */
    routes: string[];
    /** Default-route throttling of the `$default` stage. @default - the account's limits */
    throttle?: { burstLimit: number; rateLimit: number };
}

export interface ScheduleTrigger {
    type: "schedule";
    /** EventBridge Scheduler expression: `rate(5 minutes)`, `cron(0 3 * * ? *)` or `at(2030-01-01T00:00:00)`. */
    expression: string;
    /** IANA time zone the expression is evaluated in. @default "UTC" */
    timezone: string;
    /** Retries of a failed invocation before the event goes to the schedule's DLQ (0-185). @default 3 */
    maxRetryAttempts: number;
    /** Seconds an undelivered event is retried before it goes to the DLQ (60-86400). @default 3600 */
    maxEventAgeSeconds: number;
    /** Defined but not invoked (a passive recovery stack: config/rules/recovery.ts). @default false */
    paused?: boolean;
}

export interface WorkerSettings {
    name: string;
    memoryMb: number;
    timeoutSeconds: number;
    architecture: Architecture;
    trigger: QueueTrigger | HttpTrigger | ScheduleTrigger;
    environment: Record<string, string>;
    featureFlags: Record<string, boolean>;
    reservedConcurrency?: number;
    /** Runs in the private subnets with a security group of its own (required for database/cache). */
    vpc: boolean;
    secrets: ServiceSecret[];
    buckets: ServiceBucket[];
    /** Warm instances on the alias; 0: none. Tier default for http workers (prod: 1). */
    provisionedConcurrency: number;
    /** Pin `live` to this published version. */
    rollbackTo?: string;
    /** Keep `live` on `stable` and send `weight` of invocations to the newest version. */
    canary?: { stable: string; weight: number };
    /** The pinned image, or undefined (the worker is skipped). */
    release?: ImageRelease;
}

export const EXPOSURES = ["public", "internal"] as const;
export type Exposure = (typeof EXPOSURES)[number];

/** CPU architectures Fargate runs; images must be built for the one chosen. */
export const ARCHITECTURES = ["arm64", "x86_64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** What one image runs: the commit SHA it was built from and its registry digest. */
export interface ImageRelease {
    tag: string;
    digest: string;
}

export interface ServiceSettings {
    name: string;
    cpu: number;
    memory: number;
    /** arm64 (Graviton: about 20% cheaper per vCPU-hour) unless the image only exists for x86_64. */
    architecture: Architecture;
    port: number;
    minTasks: number;
    maxTasks: number;
    /** `public`: routed from the internet-facing load balancer; `internal`: reachable from the app tier via Service Connect. */
    expose: Exposure;
    healthCheckPath: string;
    /** Load balancer path patterns routed to this service (public only). */
    paths: string[];
    /** Host names routed to this service (public only). */
    hosts: string[];
    /** Listener-rule priority (1-50000); derived from the routes when unset (config/routing.ts, rulePriority). */
    priority?: number;
    command?: string[];
    /** Plain, non-secret environment values. */
    environment: Record<string, string>;
    /** Feature flags, set as FEATURE_<NAME>=true|false. */
    featureFlags: Record<string, boolean>;
    secrets: ServiceSecret[];
    buckets: ServiceBucket[];
    queues: string[];
    /** Command that migrates the database before a deploy; a migration task definition is created for it. */
    migrationCommand?: string[];
    /** Container user; non-root by default. */
    user: string;
    cpuTargetPercent: number;
    memoryTargetPercent: number;
    requestsPerTarget: number;
    /** The pinned image, or undefined when no release is configured (the service is skipped). */
    release?: ImageRelease;
}

export interface ComputeSettings {
    /** Run tasks on Fargate Spot (up to 70% cheaper, may be interrupted). */
    spot: boolean;
    /** Release images ECR keeps per repository. */
    keepReleases: number;
    loadBalancerDeletionProtection: boolean;
    /** Serve plain HTTP when no domain is configured (dev only). */
    allowHttpWithoutDomain: boolean;
    /** Task-count bounds for services that do not set their own. */
    defaultMinTasks: number;
    defaultMaxTasks: number;
    /** `pulumi up` waits until each changed service's rollout has finished (and fails if it does not). */
    waitForSteadyState: boolean;
}

/** HTTPS for the load balancer: a host name and exactly one source of its certificate. */
export type DomainSettings =
    | {
          /** Host name the load balancer answers on, e.g. api.example.com. */
          name: string;
          /** Route 53 zone: an ACM certificate is issued and DNS-validated there, and an alias record created. */
          hostedZoneId: string;
          certificateArn?: never;
      }
    | {
          name: string;
          /** An existing ACM certificate in the stack's region. */
          certificateArn: string;
          hostedZoneId?: never;
      };

/** CloudFront price classes (edge locations used): 100 = North America + Europe, 200 adds most of Asia, All = every location. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** WAF rate-based rule limit per IP and 5-minute window (WAFV2 API RateBasedStatement.Limit: 10 to 2,000,000,000). */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

export interface EdgeSettings {
    /** CloudFront price class: which edge locations serve the stack. */
    priceClass: PriceClass;
    /** Requests one IP may make in 5 minutes before the WAF blocks it. */
    rateLimitPerIp: number;
    /** A Route 53 health check on the public `/health` (monitoring alarms on it). */
    healthCheck: boolean;
    /** An existing ACM certificate in us-east-1 for CloudFront, when the domain brings its own certificate. @default - issued in domain.hostedZoneId, or domain.certificateArn when the stack is in us-east-1 */
    certificateArn?: string;
    /**
     * Serve the uploads bucket through CloudFront at this path pattern (`/uploads/*` serves the keys under
     * `uploads/`; config/uploads.ts): GET and HEAD only, cached, read through origin access control.
     * @default - none: the uploads bucket is reachable only with IAM (services and workers that declare it)
     */
    uploads?: { path: string };
    /**
     * The stack's part in moving the site's name to a recovery stack (README "Failover routing"):
     * `primary` (prod: keeps the health check that detects the outage, exports its site name and
     * distribution), `secondary` (a recovery stack: what CloudFront's move of the primary's name to its
     * distribution needs, and the name as its alias when active).
     * @default "none"; "secondary" on a recovery stack with a hosted zone
     */
    failover: FailoverRole;
}

/** Failover roles of a stack's edge (README "Failover routing"). */
export const FAILOVER_ROLES = ["none", "primary", "secondary"] as const;
export type FailoverRole = (typeof FAILOVER_ROLES)[number];

export interface Settings {
    project: string;
    stack: string;
    tier: Tier;
    region: string;
    /** Tags on every resource through the provider's default tags: project, stack, tier + config `tags`. */
    tags: Record<string, string>;
    /** Pulumi `protect` and retain-on-delete for stateful resources (database, cache, buckets, keys, secrets). */
    protectData: boolean;
    network: NetworkSettings;
    logs: LogSettings;
    database: DatabaseSettings;
    cache: CacheSettings;
    storage: StorageSettings;
    backup: BackupSettings;
    compute: ComputeSettings;
    services: ServiceSettings[];
    /** Container-image Lambda workers (platform:workers), sorted by name. */
    workers: WorkerSettings[];
    /** Every pinned image, by image name (services and workers). */
    release: Record<string, ImageRelease>;
    domain?: DomainSettings;
    /** CloudFront, WAF, the frontend bucket and the site's DNS (platform:edge). */
    edge: EdgeSettings;
    /** Alarms, alert routing, deployment rollback and canary, tracing (platform:monitoring). */
    monitoring: MonitoringSettings;
    /** Disaster recovery (platform:recovery): set on a recovery stack only; undefined elsewhere. */
    recovery?: RecoverySettings;
    /** Replication of uploads and images to a recovery stack (platform:replicateTo): set on a primary only; undefined elsewhere. */
    replicateTo?: ReplicateToSettings;
}

/** Where a primary replicates its uploads bucket and its images (README "Disaster recovery"). */
export interface ReplicateToSettings {
    /** The recovery stack's name (same project and account): its uploads bucket's name is derived from it. */
    stack: string;
    /** The recovery stack's region (never this stack's). */
    region: string;
}

/** Disaster-recovery roles: `recovery` is the pilot light of a primary stack in another region. */
export const RECOVERY_ROLES = ["recovery"] as const;
export type RecoveryRole = (typeof RECOVERY_ROLES)[number];

/** A recovery stack (README "Disaster recovery"): what it recovers and whether it serves. */
export interface RecoverySettings {
    role: RecoveryRole;
    /** The primary's stack, `<organization>/<project>/<stack>`: its outputs are read through a StackReference. */
    primaryStack: string;
    /** The primary's region (never this stack's). */
    primaryRegion: string;
    /** false: pilot light (replica, no tasks); true: failed over (promoted primary, prod's bounds). */
    active: boolean;
    /** Tasks per service while passive. @default 0 */
    passiveTasks: number;
}

/** Where an alarm notifies: `critical` pages on-call, `warning` goes to email/chat. */
export const SEVERITIES = ["critical", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A warning and a critical level of one signal (warning ≤ critical; config/rules/monitoring.ts). */
export interface Levels {
    warning: number;
    critical: number;
}

/** Alarm thresholds (seeds 002 and 004, README "Monitoring"). */
export interface MonitoringThresholds {
    /** 5xx responses as a share of requests, in percent (seed 002: > 1 % warning, > 5 % critical). */
    errorRatePercent: Levels;
    /** p95 response time in seconds (seed 002: > 1 s / > 3 s; seed 004: p95 > 1 s warning). */
    latencyP95Seconds: Levels;
    /** p99 response time in seconds (seed 004: p99 > 5 s critical). */
    latencyP99Seconds: Levels;
    /** ECS CPU, in percent of the task's reservation (seed 004 "high CPU/memory"; seed 002's memory levels). */
    cpuPercent: Levels;
    /** ECS memory and cache memory, in percent (seed 002: > 80 % / > 95 %). */
    memoryPercent: Levels;
    /** Database connections as a share of the instance class's max_connections (seed 002: > 80 % / > 95 %). */
    dbConnectionsPercent: Levels;
    /** Database CPU, in percent. */
    dbCpuPercent: Levels;
    /** Database storage used, in percent of allocated (seed 004: disk > 80 % warning, i.e. free < 20 %). */
    diskUsedPercent: Levels;
    /** Read-replica (RDS) and cache replication lag, in seconds (seed 004 names the signal, not a number). */
    replicationLagSeconds: Levels;
    /** Cache engine CPU, in percent. */
    cacheCpuPercent: Levels;
    /** Worker duration as a share of its timeout, in percent. */
    workerDurationPercent: Levels;
    /** Age of the oldest message in a worker's queue, in seconds. */
    queueAgeSeconds: Levels;
}

/** ECS's native CANARY deployment for public services (README "Canary and rollback"). */
export interface CanarySettings {
    /** Off by default: hashicorp/terraform-provider-aws#45678 (deployments through the provider may not alternate target groups). */
    enabled: boolean;
    /** Services that deploy as canaries; empty: every public service. */
    services: string[];
    /** Share of production traffic the new revision gets first (ECS: 0.1-100). */
    percent: number;
    /** Minutes ECS watches the canary before shifting all traffic (0-1440). */
    canaryBakeMinutes: number;
    /** Minutes ECS keeps the old revision after the full shift, ready to roll back to (0-1440). */
    bakeMinutes: number;
}

export interface MonitoringSettings {
    /** Route every alarm to the `warning` topic (no paging; dev). */
    routeAllToWarning: boolean;
    /**
     * Create the warning level of the two-level signals (`<signal>-warning` beside `<signal>-critical`).
     * Dev false: with everything routed to one topic and nobody paged, the earlier warning duplicates
     * the critical alarm on the same metric (README "Review tooling": idle cost).
     */
    warningLevels: boolean;
    /** Email addresses subscribed per topic (each confirms by email). */
    emails: Record<Severity, string[]>;
    /** HTTPS endpoints subscribed per topic (a chat webhook, an on-call service). */
    httpsEndpoints: Record<Severity, string[]>;
    thresholds: MonitoringThresholds;
    /** What rolls a public service's deployment back (seed 002 / 004 rollback triggers). */
    deployment: {
        /** 5xx share of requests, in percent (seeds: > 5 %). */
        errorRatePercent: number;
        /** p99 response time in seconds (seed 002: > 3 s). */
        latencyP99Seconds: number;
    };
    canary: CanarySettings;
    /** X-Ray daemon sidecar in every service's task (traces from the app's X-Ray SDK/OpenTelemetry exporter). */
    tracing: boolean;
}
