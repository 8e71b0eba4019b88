/**
 * What exists in AWS, in one place: engine versions, RDS instance classes, ElastiCache node types,
 * regions and the AWS Backup schedule grammar. Config is checked against these lists so a class that does not exist
 * fails here, with the list, instead of mid-deploy. Availability changes: each list names its source
 * and the date it was last checked; an instance class or node type that is newer than the list can
 * be used with an explicit override (`database.allowUnlistedInstanceClass`,
 * `cache.allowUnlistedNodeType`), never silently.
 */

import type { CacheEngine } from "./settings";

/**
 * Instance types a NAT instance (`network.natGateways: instance`) may use, with the CPU architecture
 * of the Amazon Linux 2023 AMI each boots (the SSM public parameter
 * `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>`). Burstable Graviton (t4g)
 * and x86 (t3) sizes only: a NAT for a dev or staging VPC is idle most of the time, and every size
 * here supports EC2 simplified automatic recovery (EC2 User Guide, "Instance recovery": T3, T4g …).
 * Network bandwidth grows with the size ("up to 5 Gbps" burst for all of them; the baseline of a
 * nano is a small fraction of that). Source: EC2 instance types, general purpose, checked 2026-12-01.
 */
export const NAT_INSTANCE_ARCHITECTURES = {
    "t4g.nano": "arm64",
    "t4g.micro": "arm64",
    "t4g.small": "arm64",
    "t4g.medium": "arm64",
    "t3.nano": "x86_64",
    "t3.micro": "x86_64",
    "t3.small": "x86_64",
    "t3.medium": "x86_64",
} as const satisfies Record<string, "arm64" | "x86_64">;
export type NatInstanceType = keyof typeof NAT_INSTANCE_ARCHITECTURES;
export const NAT_INSTANCE_TYPES = Object.keys(NAT_INSTANCE_ARCHITECTURES) as [NatInstanceType, ...NatInstanceType[]];
/** The NAT instance's size when `network.natInstanceType` is not set: the cheapest Graviton type. */
export const DEFAULT_NAT_INSTANCE_TYPE: NatInstanceType = "t4g.nano";

/**
 * PostgreSQL major versions this program deploys (RDS applies minor versions itself); each has its
 * parameter-group family `postgres<major>`. Source: RDS for PostgreSQL release calendar, checked 2026-11-30.
 */
export const POSTGRES_MAJOR_VERSIONS = ["16", "17"] as const;

/**
 * Engine versions accepted per cache engine (ElastiCache major.minor). Source: ElastiCache User Guide,
 * "Supported engines and versions" (Valkey 7.2, 8.0, 8.1; Redis OSS 7.0, 7.1), checked 2026-11-30.
 */
export const CACHE_ENGINE_VERSIONS: Record<CacheEngine, readonly string[]> = {
    valkey: ["7.2", "8.0", "8.1"],
    redis: ["7.0", "7.1"],
};

/** `family.size` for every size in `sizes`. */
const classes = (prefix: string, families: readonly string[], sizes: readonly string[]): string[] =>
    families.flatMap((f) => sizes.map((s) => `${prefix}.${f}.${s}`));

const BURSTABLE = ["micro", "small", "medium", "large", "xlarge", "2xlarge"] as const;
const GRAVITON_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;
const NITRO_5_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] as const;
const NITRO_6_SIZES = [...NITRO_5_SIZES, "32xlarge"] as const;
const NITRO_7_8_SIZES = [...NITRO_5_SIZES, "48xlarge"] as const;

/**
 * RDS for PostgreSQL 16 and 17 DB instance classes.
 * Source: Amazon RDS User Guide, "Supported DB engines for DB instance classes" (PostgreSQL column),
 * checked 2026-11-30. Previous-generation classes (t2, m4, r4, ...) do not run PostgreSQL 16/17.
 */
export const RDS_POSTGRES_INSTANCE_CLASSES: ReadonlySet<string> = new Set([
    ...classes("db", ["t3", "t4g"], BURSTABLE),
    ...classes("db", ["m6g", "m6gd", "m7g", "r6g", "r6gd", "r7g", "x2g"], GRAVITON_SIZES),
    ...classes("db", ["m5", "m5d", "r5", "r5b", "r5d"], NITRO_5_SIZES),
    ...classes("db", ["m6i", "m6id", "m6idn", "m6in", "r6i", "r6id", "r6idn", "r6in"], NITRO_6_SIZES),
    ...classes("db", ["m7i", "r7i", "m8g", "r8g"], NITRO_7_8_SIZES),
]);

/**
 * Memory (GiB) of an RDS instance class in RDS_POSTGRES_INSTANCE_CLASSES, or undefined for an unlisted
 * one. Source: Amazon RDS User Guide, "Hardware specifications for DB instance classes", checked
 * 2026-11-30: burstable t3/t4g micro 1 … 2xlarge 32; per vCPU 4 GiB (m*), 8 GiB (r*), 16 GiB (x2g);
 * large = 2 vCPU, doubling per size (12xlarge 48, 24xlarge 96, 48xlarge 192 vCPU).
 */
export function rdsInstanceMemoryGib(instanceClass: string): number | undefined {
    if (!RDS_POSTGRES_INSTANCE_CLASSES.has(instanceClass)) return undefined;
    const [, family, size] = instanceClass.split(".");
    const burstable: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
    if (family === "t3" || family === "t4g") return burstable[size];
    const vcpus = size === "large" ? 2 : size === "xlarge" ? 4 : 4 * Number(size.replace("xlarge", ""));
    const perVcpu = family.startsWith("x2") ? 16 : family.startsWith("r") ? 8 : 4;
    return vcpus * perVcpu;
}

/**
 * PostgreSQL's default max_connections on RDS: LEAST({DBInstanceClassMemory/9531392}, 5000) (RDS User
 * Guide, "Maximum number of database connections", PostgreSQL; checked 2026-11-30). Computed from the
 * class's nominal memory: RDS's DBInstanceClassMemory is somewhat lower (memory reserved for the OS and
 * RDS processes), so the real limit is a little below this and a percentage alarm fires a little late
 * rather than early. A custom parameter group that sets max_connections would need its own number.
 */
export function rdsMaxConnections(instanceClass: string): number | undefined {
    const gib = rdsInstanceMemoryGib(instanceClass);
    return gib === undefined ? undefined : Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}

/**
 * ElastiCache node types for Valkey and Redis OSS (current generation).
 * Source: Amazon ElastiCache User Guide, "Supported node types" (current generation), checked
 * 2026-11-30. Previous generations (t1, m1, m3, r3, c1) do not run Valkey or encryption in transit.
 * Left out on purpose: r6gd (data tiering), which CreateReplicationGroup accepts only with
 * DataTieringEnabled, a mode this program does not configure.
 */
export const ELASTICACHE_NODE_TYPES: ReadonlySet<string> = new Set([
    ...classes("cache", ["t3", "t4g"], ["micro", "small", "medium"]),
    ...classes("cache", ["m5", "r5"], ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"]),
    ...classes("cache", ["m6g", "m7g", "r6g", "r7g", "c7gn"], GRAVITON_SIZES),
]);

/**
 * AWS commercial regions (partition `aws`). GovCloud and China are other partitions (other ARNs,
 * accounts and endpoints) and are not supported by this program. `optIn`: the region must be enabled
 * in the account first (AWS Account Management guide, "Enable or disable AWS Regions"), or every
 * call fails with an authorization error.
 * Source: AWS General Reference "AWS Regions" and the `Region` enum of @pulumi/aws 7.x, checked
 * 2026-11-30.
 */
export const AWS_REGIONS: Readonly<Record<string, { optIn: boolean }>> = Object.fromEntries([
    ...[
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    ].map((r) => [r, { optIn: false }] as const),
    ...[
        "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
        "me-central-1", "me-south-1", "mx-central-1",
    ].map((r) => [r, { optIn: true }] as const),
]);

/**
 * Regions where the Serverless Application Repository runs: the database's password rotation function
 * is deployed from it (components/data/credentials.ts), so a stack elsewhere would fail half-way.
 * Source: botocore data/endpoints.json, partition aws, service serverlessrepo (botocore 1.43.11), which
 * agrees with the AWS General Reference page "AWS Serverless Application Repository endpoints and
 * quotas"; checked 2026-11-30. No region opened since 2020 is in it.
 */
export const SERVERLESS_REPOSITORY_REGIONS: readonly string[] = [
    "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
    "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
];

export function isAwsRegion(region: string): boolean {
    return Object.prototype.hasOwnProperty.call(AWS_REGIONS, region);
}

/**
 * Why `expression` is not an AWS Backup schedule, or undefined when it is one.
 *
 * AWS Backup takes cron expressions only (BackupRule.ScheduleExpression: "A cron expression in UTC";
 * no `rate(...)`), in the EventBridge grammar `cron(Minutes Hours Day-of-month Month Day-of-week
 * Year)`: exactly one of day-of-month and day-of-week is `?`. Jobs must be at least 60 minutes apart
 * ("The interval between backup jobs shouldn't be less than 60 minutes"), so the minutes field is one
 * number. Sources: AWS Backup API reference (BackupRuleInput), EventBridge "Cron expressions
 * reference", checked 2026-11-30.
 */
export function backupScheduleProblem(expression: string): string | undefined {
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    if (!match) return expression.startsWith("rate(") ? "AWS Backup accepts cron(...) only, not rate(...)" : "is not of the form cron(...)";
    const fields = match[1].trim().split(/\s+/);
    if (fields.length !== 6) return `has ${fields.length} fields; cron needs 6: Minutes Hours Day-of-month Month Day-of-week Year`;
    const [minutes, hours, dom, month, dow, year] = fields;
    if (!/^\d{1,2}$/.test(minutes) || Number(minutes) > 59) {
        return "needs a single minute (0-59): AWS Backup runs jobs at least 60 minutes apart";
    }
    if (!cronField(hours, 0, 23)) return `has an invalid hours field "${hours}" (0-23 , - * /)`;
    if ((dom === "?") === (dow === "?")) return "needs exactly one of day-of-month and day-of-week to be ?";
    if (dom !== "?" && !cronField(dom, 1, 31, /^(L|LW|\d{1,2}W)$/)) return `has an invalid day-of-month field "${dom}" (1-31 , - * / L W or ?)`;
    if (!cronField(month.toUpperCase(), 1, 12, undefined, MONTHS)) return `has an invalid month field "${month}" (1-12 or JAN-DEC , - * /)`;
    if (dow !== "?" && !cronField(dow.toUpperCase(), 1, 7, /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5])$/, DAYS)) {
        return `has an invalid day-of-week field "${dow}" (1-7 or SUN-SAT , - * / L # or ?)`;
    }
    if (!cronField(year, 1970, 2199)) return `has an invalid year field "${year}" (1970-2199 , - * /)`;
    return undefined;
}

/**
 * Why an EventBridge Scheduler expression is refused, or undefined (Scheduler user guide, "Schedule
 * types": `rate(value unit)`, `cron(fields)`, `at(yyyy-mm-ddThh:mm:ss)`):
 * - rate: a positive integer and minute | minutes | hour | hours | day | days, the singular unit for 1
 *   and the plural one above 1 (EventBridge user guide, rate expressions);
 * - cron: six fields (Minutes Hours Day-of-month Month Day-of-week Year), exactly one of day-of-month
 *   and day-of-week `?` (the same grammar as the backup schedule above, without its hourly minimum);
 * - at: a date and time that exist, without a zone (the schedule's time zone applies).
 */
export function schedulerExpressionProblem(expression: string): string | undefined {
    const rate = /^rate\((.*)\)$/.exec(expression);
    if (rate) {
        const m = /^([1-9][0-9]*) (minute|minutes|hour|hours|day|days)$/.exec(rate[1]);
        if (!m) return "is not rate(<positive integer> <minute|minutes|hour|hours|day|days>)";
        const plural = m[2].endsWith("s");
        if (m[1] === "1" && plural) return `uses "${m[2]}" with 1; the unit is singular for 1 (rate(1 ${m[2].slice(0, -1)}))`;
        if (m[1] !== "1" && !plural) return `uses "${m[2]}" with ${m[1]}; the unit is plural above 1 (rate(${m[1]} ${m[2]}s))`;
        return undefined;
    }
    const cron = /^cron\((.*)\)$/.exec(expression);
    if (cron) {
        const fields = cron[1].trim().split(/\s+/);
        if (fields.length !== 6) return `has ${fields.length} fields; cron needs 6: Minutes Hours Day-of-month Month Day-of-week Year`;
        const [minutes, hours, dom, month, dow, year] = fields;
        if (!cronField(minutes, 0, 59)) return `has an invalid minutes field "${minutes}" (0-59 , - * /)`;
        if (!cronField(hours, 0, 23)) return `has an invalid hours field "${hours}" (0-23 , - * /)`;
        if ((dom === "?") === (dow === "?")) return "needs exactly one of day-of-month and day-of-week to be ? (e.g. cron(0 3 * * ? *))";
        if (dom !== "?" && !cronField(dom, 1, 31, /^(L|LW|\d{1,2}W)$/)) return `has an invalid day-of-month field "${dom}" (1-31 , - * / L W or ?)`;
        if (!cronField(month.toUpperCase(), 1, 12, undefined, MONTHS)) return `has an invalid month field "${month}" (1-12 or JAN-DEC , - * /)`;
        if (dow !== "?" && !cronField(dow.toUpperCase(), 1, 7, /^(L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/, DAYS)) {
            return `has an invalid day-of-week field "${dow}" (1-7 or SUN-SAT , - * L # or ?)`;
        }
        if (!cronField(year, 1970, 2199)) return `has an invalid year field "${year}" (1970-2199 , - * /)`;
        return undefined;
    }
    const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
    if (at) {
        const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
        const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
        const exists = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
        return exists ? undefined : "names a date or time that does not exist";
    }
    if (expression.startsWith("at(")) return "is not at(yyyy-mm-ddThh:mm:ss) (no time zone suffix: the schedule's timezone applies)";
    return "is none of rate(value unit), cron(six fields), at(yyyy-mm-ddThh:mm:ss)";
}

/**
 * An IANA time zone name (Scheduler's ScheduleExpressionTimezone, e.g. Europe/Berlin): UTC, or
 * capitalised Area/Location segments as the tz database spells them, that the runtime's time zone
 * database knows (ICU also knows links such as Asia/Kolkata, which it lists under an older name).
 */
export function isTimeZone(name: string): boolean {
    if (name !== "UTC" && !/^[A-Z][A-Za-z_-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)+$/.test(name)) return false;
    try {
        new Intl.DateTimeFormat("en", { timeZone: name });
        return true;
    } catch {
        return false;
    }
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** One cron field: `*`, or a comma list of values, ranges `a-b` and steps `x/n`. */
function cronField(field: string, min: number, max: number, special?: RegExp, names: readonly string[] = []): boolean {
    if (field === "*") return true;
    const value = (v: string) => {
        const byName = names.indexOf(v);
        const n = byName >= 0 ? byName + min : /^\d+$/.test(v) ? Number(v) : NaN;
        return n >= min && n <= max;
    };
    return field.split(",").every((part) => {
        if (special?.test(part)) return true;
        const [range, step] = part.split("/");
        if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
        if (range === "*") return step !== undefined;
        const [from, to] = range.split("-");
        return value(from) && (to === undefined || value(to));
    });
}
