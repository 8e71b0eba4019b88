import * as assert from "node:assert/strict";
import { z } from "zod";
import { CONFIG_KEYS, ConfigError, resolveSettings, TIER_DEFAULTS } from "../config";
import { vpcCidrProblem } from "../config/cidr";
import { configIssues, variantRun, settingsFor, TIER_STACKS } from "./helpers";
import { tierOnly } from "./fixtures";

const issuesOf = (raw: Record<string, unknown>, awsRegion?: string, stack = "test") => configIssues(raw, { stack, awsRegion });

/**
 * Bad configurations: each must be refused with an issue naming the key (and, as a program run,
 * before any resource is registered). `config` is what the stack file would say (project keys
 * without the `platform:` prefix, except where a test needs another namespace).
 */
const API = { cpu: 512, memory: 1024, port: 8080, paths: ["/api/*"] };
const DIGEST = `sha256:${"a".repeat(64)}`;
const svc = (extra: Record<string, unknown>) => ({ services: { api: { ...API, ...extra } }, release: {} });

const BAD: Array<{ rule: string; config: Record<string, unknown>; key: string; allowed: RegExp; stack?: string }> = [
    { rule: "an unknown tier", config: { tier: "qa" }, key: "tier", allowed: /dev, staging, prod/ },
    { rule: "a missing tier", config: { tier: undefined }, key: "tier", allowed: /dev, staging, prod/ },
    { rule: "a malformed CIDR", config: { network: { cidr: "10.0.0/16" } }, key: "network.cidr", allowed: /IPv4 CIDR/ },
    { rule: "a CIDR with host bits set", config: { network: { cidr: "10.0.1.0/16" } }, key: "network.cidr", allowed: /10\.0\.0\.0\/16/ },
    { rule: "a public CIDR", config: { network: { cidr: "8.8.0.0/16" } }, key: "network.cidr", allowed: /RFC 1918/ },
    { rule: "a CIDR too small for the subnets", config: { network: { cidr: "10.0.0.0/24" } }, key: "network.cidr", allowed: /\/16 to \/20/ },
    { rule: "an AZ count below 2", config: { network: { azCount: 1 } }, key: "network.azCount", allowed: /2 to 6/ },
    { rule: "an AZ count above 6", config: { network: { azCount: 7 } }, key: "network.azCount", allowed: /2 to 6/ },
    { rule: "an AZ count of the wrong type", config: { network: { azCount: "three" } }, key: "network.azCount", allowed: /whole number/ },
    { rule: "an unknown NAT strategy", config: { network: { natGateways: "none" } }, key: "network.natGateways", allowed: /single, perAz/ },
    { rule: "a prod stack asking for a single NAT", config: { tier: "prod", network: { natGateways: "single" } }, key: "network.natGateways", allowed: /perAz in prod/ },
    { rule: "an unknown top-level key", config: { teir: "dev" }, key: "teir", allowed: /known keys: tier, region/ },
    { rule: "an unknown nested key", config: { network: { nat: "single" } }, key: "network.nat", allowed: /cidr, azCount, natGateways/ },
    { rule: "a group that is not an object", config: { network: "10.0.0.0/16" }, key: "network", allowed: /object/ },
    { rule: "an invalid region", config: { region: "mars-north-1" }, key: "region", allowed: /AWS commercial region/ },
    { rule: "a region without the Serverless Application Repository (the password rotation comes from it)", config: { region: "ap-southeast-5" }, key: "region", allowed: /Serverless Application Repository runs .*us-east-1/ },
    { rule: "a log retention CloudWatch does not offer", config: { logs: { retentionDays: 10 } }, key: "logs.retentionDays", allowed: /7, 14, 30/ },
    { rule: "prod logs kept under a year", config: { tier: "prod", logs: { retentionDays: 90 } }, key: "logs.retentionDays", allowed: /365 or more/ },
    { rule: "a tag overriding a reserved tag", config: { tags: { stack: "other" } }, key: "tags.stack", allowed: /set for you/ },
    { rule: "a tag key in the aws: namespace", config: { tags: { "aws:owner": "me" } }, key: "tags.aws:owner", allowed: /aws:/ },
    { rule: "a single-AZ prod database", config: { tier: "prod", database: { multiAz: false } }, key: "database.multiAz", allowed: /true in prod/ },
    { rule: "prod backups under 30 days", config: { tier: "prod", database: { backupRetentionDays: 14 } }, key: "database.backupRetentionDays", allowed: /30 to 35 in prod/ },
    { rule: "prod without deletion protection", config: { tier: "prod", database: { deletionProtection: false } }, key: "database.deletionProtection", allowed: /true in prod/ },
    { rule: "prod without a final snapshot", config: { tier: "prod", database: { finalSnapshot: false } }, key: "database.finalSnapshot", allowed: /true in prod/ },
    { rule: "a single prod cache node", config: { tier: "prod", cache: { nodes: 1 } }, key: "cache.nodes", allowed: /2 to 6 in prod/ },
    { rule: "prod cache snapshots kept under 7 days", config: { tier: "prod", cache: { snapshotRetentionDays: 1 } }, key: "cache.snapshotRetentionDays", allowed: /7 to 35 in prod/ },
    { rule: "prod AWS Backup retention under 30 days", config: { tier: "prod", backup: { retentionDays: 7 } }, key: "backup.retentionDays", allowed: /30 or more in prod/ },
    { rule: "prod buckets that destroy with their objects", config: { tier: "prod", storage: { forceDestroy: true } }, key: "storage.forceDestroy", allowed: /false in prod/ },
    { rule: "RDS backups beyond 35 days", config: { database: { backupRetentionDays: 40 } }, key: "database.backupRetentionDays", allowed: /1 to 35/ },
    { rule: "dev RDS backups under 7 days (FSBP RDS.11, the pack's rds-backups)", config: { tier: "dev", database: { backupRetentionDays: 3 } }, key: "database.backupRetentionDays", allowed: /7 to 35 \(FSBP RDS\.11/ },
    { rule: "dev cache without snapshots (FSBP ElastiCache.1, the pack's elasticache-backups)", config: { tier: "dev", cache: { snapshotRetentionDays: 0 } }, key: "cache.snapshotRetentionDays", allowed: /1 to 35 \(FSBP ElastiCache\.1/ },
    { rule: "an unsupported PostgreSQL version", config: { database: { engineVersion: "12" } }, key: "database.engineVersion", allowed: /16, 17/ },
    { rule: "storage autoscaling ceiling not above the allocation", config: { database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 100 } }, key: "database.maxAllocatedStorageGb", allowed: /at least 110 \(10 % above database\.allocatedStorageGb 100/ },
    { rule: "a cache version the engine does not have", config: { cache: { engine: "redis", engineVersion: "8.0" } }, key: "cache.engineVersion", allowed: /for redis: 7\.0, 7\.1/ },
    { rule: "an unknown cache engine", config: { cache: { engine: "memcached" } }, key: "cache.engine", allowed: /valkey, redis/ },
    { rule: "enhanced monitoring at an interval RDS lacks", config: { database: { monitoringIntervalSeconds: 20 } }, key: "database.monitoringIntervalSeconds", allowed: /0, 1, 5, 10, 15, 30, 60/ },
    { rule: "uploads expiring before they reach Glacier", config: { storage: { uploads: { noncurrentToGlacierDays: 90, noncurrentExpireDays: 30 } } }, key: "storage.uploads.noncurrentExpireDays", allowed: /at least 180: storage\.uploads\.noncurrentToGlacierDays \(90\) \+ 90 days/ },
    { rule: "a backup copy to the stack's own region", config: { backup: { copyToRegion: "us-east-1" } }, key: "backup.copyToRegion", allowed: /other than us-east-1/ },
    { rule: "a cpu/memory pair Fargate does not offer", config: svc({ cpu: 256, memory: 4096 }), key: "services.api.memory", allowed: /for cpu 256: 512, 1024, 2048/ },
    { rule: "an architecture Fargate does not run", config: svc({ architecture: "arm" }), key: "services.api.architecture", allowed: /arm64, x86_64/ },
    { rule: "a cpu size Fargate does not offer", config: svc({ cpu: 300 }), key: "services.api.cpu", allowed: /256, 512, 1024/ },
    { rule: "more minimum than maximum tasks", config: svc({ minTasks: 5, maxTasks: 2 }), key: "services.api.maxTasks", allowed: /at least minTasks \(5\)/ },
    { rule: "a prod service with one task", config: { tier: "prod", ...svc({ minTasks: 1 }), domain: { name: "api.example.com", hostedZoneId: "Z123" } }, key: "services.api.minTasks", allowed: /2 or more in prod/ },
    { rule: "a privileged port", config: svc({ port: 80 }), key: "services.api.port", allowed: /1024 to 65535/ },
    { rule: "a service name that cannot name AWS resources", config: { services: { API: API } }, key: "services.API", allowed: /lowercase letter/ },
    { rule: "a service name ending in a hyphen (ECR repository names cannot)", config: { services: { "api-": API } }, key: "services.api-", allowed: /not ending in a hyphen/ },
    { rule: "a service name with a double hyphen (ECR repository names cannot)", config: { services: { "a--b": API } }, key: "services.a--b", allowed: /single hyphens/ },
    { rule: "a malformed digest", config: { services: { api: API }, release: { api: { tag: "4f2c9e1", digest: "sha256:abc" } } }, key: "release.api.digest", allowed: /64 lowercase hex/ },
    { rule: "a tag that is not a commit SHA", config: { services: { api: API }, release: { api: { tag: "latest", digest: DIGEST } } }, key: "release.api.tag", allowed: /commit SHA/ },
    { rule: "a release for an image no service runs", config: { services: { api: API }, release: { web: { tag: "4f2c9e1", digest: DIGEST } } }, key: "release.web", allowed: /an image this stack runs: api/ },
    { rule: "a service referencing an unknown secret", config: svc({ secrets: ["stripe"] }), key: "services.api.secrets[0]", allowed: /database, cache/ },
    { rule: "a service referencing an unknown bucket", config: svc({ buckets: ["media"] }), key: "services.api.buckets[0]", allowed: /uploads/ },
    { rule: "a service referencing a queue that does not exist", config: svc({ queues: ["jobs"] }), key: "services.api.queues[0]", allowed: /no queues exist/ },
    { rule: "two services with one listener-rule priority", config: { services: { api: { ...API, priority: 5 }, web: { ...API, port: 8081, paths: ["/web/*"], priority: 5 } } }, key: "services.web.priority", allowed: /other than 5, which api has/ },
    { rule: "more path patterns than one rule condition takes", config: svc({ paths: ["/a/*", "/b/*", "/c/*", "/d/*"] }), key: "services.api.paths", allowed: /at most 3 \(ALB: match evaluations per condition\)/ },
    { rule: "a public service with no route", config: svc({ paths: [] }), key: "services.api.paths", allowed: /at least one path pattern or host/ },
    { rule: "an internal service with a route", config: svc({ expose: "internal" }), key: "services.api.paths", allowed: /none for an internal service/ },
    { rule: "two services on one path", config: { services: { api: API, web: { ...API, port: 8081 } } }, key: "services.web.paths", allowed: /api has it/ },
    { rule: "a secret in plain environment", config: svc({ environment: { STRIPE_API_KEY: "sk_live_x" } }), key: "services.api.environment.STRIPE_API_KEY", allowed: /no secret-looking names/ },
    { rule: "an environment name the platform sets", config: svc({ environment: { DB_HOST: "x" } }), key: "services.api.environment.DB_HOST", allowed: /set by the platform/ },
    { rule: "a migration without database access", config: svc({ migrationCommand: ["migrate"] }), key: "services.api.secrets", allowed: /"database"/ },
    { rule: "a public staging service without a domain", config: { tier: "staging", ...svc({}) }, key: "domain.name", allowed: /HTTPS only/ },
    { rule: "a domain with neither a zone nor a certificate", config: { domain: { name: "api.example.com" } }, key: "domain.hostedZoneId", allowed: /exactly one of/ },
    { rule: "a certificate from another region", config: { domain: { name: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/abc" } }, key: "domain.certificateArn", allowed: /in us-east-1/ },
    { rule: "a prod load balancer without deletion protection", config: { tier: "prod", compute: { loadBalancerDeletionProtection: false } }, key: "compute.loadBalancerDeletionProtection", allowed: /true in prod/ },
    { rule: "prod serving plain HTTP", config: { tier: "prod", compute: { allowHttpWithoutDomain: true } }, key: "compute.allowHttpWithoutDomain", allowed: /HTTPS only/ },
    // The policy pack waives CloudFront's default certificate (CloudFront.7, .15) and HTTP to the load balancer (ELB.1, .18, CloudFront.9) in dev only.
    { rule: "a staging stack without a domain, even without public services", config: { tier: "staging" }, key: "domain.name", allowed: /dev-only: FSBP CloudFront\.7/ },
    { rule: "staging serving plain HTTP", config: { ...tierOnly("staging"), compute: { allowHttpWithoutDomain: true } }, key: "compute.allowHttpWithoutDomain", allowed: /false in staging/ },
    { rule: "a stack name AWS names cannot carry", config: {}, key: "(stack name)", allowed: /lowercase letter/, stack: "Prod_EU" },
    { rule: "aws:region disagreeing with platform:region", config: { "aws:region": "eu-west-1" }, key: "aws:region", allowed: /platform:region/ },
];

describe("stack config", () => {
    describe("tier defaults", () => {
        for (const tier of TIER_STACKS) {
            it(`a ${tier} stack with only its tier set (and, outside dev, its domain) gets the ${tier} defaults and passes its own invariants`, () => {
                const s = settingsFor(tierOnly(tier));
                const d = TIER_DEFAULTS[tier];
                assert.equal(s.tier, tier);
                assert.deepEqual(s.network, d.network);
                assert.deepEqual(s.database, d.database);
                assert.deepEqual(s.cache, d.cache);
                assert.equal(s.logs.retentionDays, d.logs.retentionDays);
            });
        }

        it("dev egresses through one NAT instance (issue 14's cost target) and staging through one NAT gateway, over 2 AZs; prod has one NAT gateway per AZ over 3", () => {
            assert.deepEqual(
                TIER_STACKS.map((t) => [TIER_DEFAULTS[t].network.azCount, TIER_DEFAULTS[t].network.natGateways]),
                [[2, "instance"], [2, "single"], [3, "perAz"]],
            );
        });

        it("log retention is 7 days in dev, 30 in staging, 365 in prod", () => {
            assert.deepEqual(TIER_STACKS.map((t) => TIER_DEFAULTS[t].logs.retentionDays), [7, 30, 365]);
        });

        it("only prod protects stateful resources with Pulumi protect", () => {
            assert.deepEqual(TIER_STACKS.map((t) => TIER_DEFAULTS[t].protectData), [false, false, true]);
        });
    });

    describe("overrides", () => {
        it("a stack file overrides single fields and keeps the tier default for the rest", () => {
            const s = settingsFor({ ...tierOnly("staging"), network: { azCount: 3 } });
            assert.equal(s.network.azCount, 3);
            assert.equal(s.network.natGateways, TIER_DEFAULTS.staging.network.natGateways);
            assert.equal(s.network.cidr, TIER_DEFAULTS.staging.network.cidr);
        });

        it("region defaults to us-east-1 and can be set", () => {
            assert.equal(settingsFor({ tier: "dev" }).region, "us-east-1");
            assert.equal(settingsFor({ tier: "dev", region: "eu-west-1" }).region, "eu-west-1");
        });

        it("aws:region may be set when it agrees with platform:region", () => {
            assert.deepEqual(issuesOf({ tier: "dev", region: "eu-west-1" }, "eu-west-1"), []);
        });

        it("user tags are added to project, stack and tier tags", () => {
            const s = resolveSettings({ tier: "dev", tags: { team: "payments" } }, { project: "platform", stack: "dev" });
            assert.deepEqual(s.tags, { team: "payments", project: "platform", stack: "dev", tier: "dev" });
        });
    });

    describe("bad configuration is refused with a message naming the key", () => {
        for (const bad of BAD) {
            it(`refuses ${bad.rule} (${bad.key})`, () => {
                const { ["aws:region"]: awsRegion, ...raw } = { tier: "dev", ...bad.config } as Record<string, unknown>;
                const issues = issuesOf(raw, awsRegion as string | undefined, bad.stack);
                const issue = issues.find((i) => i.key === bad.key);
                assert.ok(issue, `no issue for ${bad.key} in stack ${bad.stack ?? "test"}; got ${JSON.stringify(issues)}`);
                assert.match(issue.allowed, bad.allowed, `${bad.key} in stack ${bad.stack ?? "test"}: allowed`);
                assert.ok(issue.fix.length > 0, `${bad.key} in stack ${bad.stack ?? "test"}: no fix`);
            });
        }
    });

    it("a domain outside dev: asked for the site's certificate, and for the public services' HTTPS where they exist; dev needs none", () => {
        const [bare] = issuesOf({ tier: "prod" }).filter((i) => i.key === "domain.name");
        assert.doesNotMatch(bare.allowed, /public services/);
        const [withApi] = issuesOf({ tier: "staging", ...svc({}) }).filter((i) => i.key === "domain.name");
        assert.match(withApi.allowed, /CloudFront\.7 .* and public services over HTTPS only/);
        assert.deepEqual(issuesOf({ tier: "dev", compute: { allowHttpWithoutDomain: false } }), [], "dev without public services: nothing is served over HTTP");
        assert.deepEqual(issuesOf({ ...tierOnly("staging"), compute: { allowHttpWithoutDomain: false } }), []);
    });

    describe("bad configuration stops the program before any resource is registered", () => {
        // A stack's name comes from its file, so the stack-name rule is covered by the pure test above.
        for (const bad of BAD.filter((b) => b.stack === undefined)) {
            it(`registers nothing for ${bad.rule}`, async () => {
                const overrides = Object.fromEntries(Object.entries(bad.config).map(([k, v]) => [k.includes(":") ? k : `platform:${k}`, v]));
                const run = await variantRun("dev", overrides);
                assert.ok(ConfigError.isInstance(run.error), `stack dev, ${bad.key}: expected a ConfigError, got ${run.error}`);
                assert.match(run.error.message, new RegExp(bad.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
                assert.deepEqual(run.resources.map((r) => r.type), []);
            });
        }
    });

    describe("error messages", () => {
        it("reports every problem at once", () => {
            const issues = issuesOf({ tier: "prod", network: { cidr: "10.0.0.0/8", azCount: 9 }, logs: { retentionDays: 7 }, colour: "blue" });
            assert.deepEqual(issues.map((i) => i.key).sort(), ["colour", "domain.name", "logs.retentionDays", "network.azCount", "network.cidr"]);
        });

        it("names the key, shows the bad value, what is allowed and a command that fixes it", () => {
            try {
                resolveSettings({ tier: "dev", network: { azCount: 9 } }, { project: "platform", stack: "dev" });
                assert.fail("expected a ConfigError");
            } catch (e) {
                const msg = (e as Error).message;
                assert.match(msg, /Invalid configuration for stack "dev" \(1 problem\)/);
                assert.match(msg, /network\.azCount = 9/);
                assert.match(msg, /allowed: a whole number from 2 to 6/);
                assert.match(msg, /fix: pulumi config set --path 'network\.azCount' '3' --stack dev/);
            }
        });

        it("a missing value says so instead of printing undefined", () => {
            try {
                resolveSettings({}, { project: "platform", stack: "qa" });
                assert.fail("expected a ConfigError");
            } catch (e) {
                assert.match((e as Error).message, /tier = \(not set\)/);
            }
        });
    });

    describe("VPC CIDR rules", () => {
        const table: Array<[string, boolean]> = [
            ["10.0.0.0/16", true],
            ["172.16.0.0/20", true],
            ["192.168.0.0/16", true],
            ["172.32.0.0/16", false],
            ["10.0.0.0/15", false],
            ["10.0.0.0/21", false],
            ["10.0.0.1/16", false],
            ["300.0.0.0/16", false],
            ["10.0.0.0", false],
        ];
        for (const [cidr, ok] of table) {
            it(`${cidr} is ${ok ? "accepted" : "refused"}`, () => {
                assert.equal(vpcCidrProblem(cidr) === undefined, ok, vpcCidrProblem(cidr));
            });
        }
    });
});

/** Issues for `key` in a stack (default "test"). */
const issuesAt = (raw: Record<string, unknown>, key: string, stack = "test") => issuesOf(raw, undefined, stack).filter((i) => i.key === key);
const PROD_DOMAIN = { name: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

describe("stack config at the edges", () => {
    // Each bound is tried just outside and at its limit; values are the requirement's (README matrix, AWS docs).
    const EDGES: Array<{ rule: string; key: string; refused: Record<string, unknown>; accepted: Record<string, unknown> }> = [
        { rule: "prod database backups are kept 30 days or more", key: "database.backupRetentionDays", refused: { tier: "prod", database: { backupRetentionDays: 29 } }, accepted: { tier: "prod", database: { backupRetentionDays: 30 } } },
        // FSBP RDS.11 / ElastiCache.1 in every tier: what the policy pack's mandatory rds-backups and elasticache-backups refuse, config refuses first.
        { rule: "dev database backups are kept 7 days or more (RDS.11)", key: "database.backupRetentionDays", refused: { tier: "dev", database: { backupRetentionDays: 6 } }, accepted: { tier: "dev", database: { backupRetentionDays: 7 } } },
        { rule: "staging database backups are kept 7 days or more (RDS.11)", key: "database.backupRetentionDays", refused: { tier: "staging", database: { backupRetentionDays: 6 } }, accepted: { tier: "staging", database: { backupRetentionDays: 7 } } },
        { rule: "dev cache snapshots are kept 1 day or more (ElastiCache.1)", key: "cache.snapshotRetentionDays", refused: { tier: "dev", cache: { snapshotRetentionDays: 0 } }, accepted: { tier: "dev", cache: { snapshotRetentionDays: 1 } } },
        { rule: "staging cache snapshots are kept 1 day or more (ElastiCache.1)", key: "cache.snapshotRetentionDays", refused: { tier: "staging", cache: { snapshotRetentionDays: 0 } }, accepted: { tier: "staging", cache: { snapshotRetentionDays: 1 } } },
        { rule: "prod AWS Backup keeps recovery points 30 days or more", key: "backup.retentionDays", refused: { tier: "prod", backup: { retentionDays: 29 } }, accepted: { tier: "prod", backup: { retentionDays: 30 } } },
        { rule: "prod keeps logs a year (CloudWatch's 180 is the value below 365)", key: "logs.retentionDays", refused: { tier: "prod", logs: { retentionDays: 180 } }, accepted: { tier: "prod", logs: { retentionDays: 365 } } },
        { rule: "a prod cache has 2 nodes or more", key: "cache.nodes", refused: { tier: "prod", cache: { nodes: 1 } }, accepted: { tier: "prod", cache: { nodes: 2 } } },
        { rule: "prod cache snapshots are kept 7 days or more", key: "cache.snapshotRetentionDays", refused: { tier: "prod", cache: { snapshotRetentionDays: 6 } }, accepted: { tier: "prod", cache: { snapshotRetentionDays: 7 } } },
        {
            rule: "a prod service runs 2 tasks or more",
            key: "services.api.minTasks",
            refused: { tier: "prod", domain: PROD_DOMAIN, services: { api: { ...API, minTasks: 1 } } },
            accepted: { tier: "prod", domain: PROD_DOMAIN, services: { api: { ...API, minTasks: 2 } } },
        },
        { rule: "prod's default task minimum is 2 or more", key: "compute.defaultMinTasks", refused: { tier: "prod", compute: { defaultMinTasks: 1 } }, accepted: { tier: "prod", compute: { defaultMinTasks: 2 } } },
        { rule: "a VPC spans at least 2 AZs", key: "network.azCount", refused: { tier: "dev", network: { azCount: 1 } }, accepted: { tier: "dev", network: { azCount: 2 } } },
        { rule: "a VPC spans at most 6 AZs", key: "network.azCount", refused: { tier: "dev", network: { azCount: 7 } }, accepted: { tier: "dev", network: { azCount: 6 } } },
        {
            rule: "the storage ceiling is at least 10 % above 20 GB (22)",
            key: "database.maxAllocatedStorageGb",
            refused: { tier: "dev", database: { allocatedStorageGb: 20, maxAllocatedStorageGb: 21 } },
            accepted: { tier: "dev", database: { allocatedStorageGb: 20, maxAllocatedStorageGb: 22 } },
        },
        {
            rule: "the storage ceiling is at least 10 % above 100 GB (110)",
            key: "database.maxAllocatedStorageGb",
            refused: { tier: "dev", database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 109 } },
            accepted: { tier: "dev", database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 110 } },
        },
        {
            rule: "log objects moved to Glacier at 90 days stay until day 180 at least",
            key: "storage.logs.expireDays",
            refused: { tier: "dev", storage: { logs: { toGlacierDays: 90, expireDays: 179 } } },
            accepted: { tier: "dev", storage: { logs: { toGlacierDays: 90, expireDays: 180 } } },
        },
        {
            rule: "noncurrent uploads moved to Glacier at 30 days stay until day 120 at least",
            key: "storage.uploads.noncurrentExpireDays",
            refused: { tier: "dev", storage: { uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 119 } } },
            accepted: { tier: "dev", storage: { uploads: { noncurrentToGlacierDays: 30, noncurrentExpireDays: 120 } } },
        },
        {
            rule: "without a Glacier transition (0), objects may expire after 1 day",
            key: "storage.logs.expireDays",
            refused: { tier: "dev", storage: { logs: { toGlacierDays: 0, expireDays: 0 } } },
            accepted: { tier: "dev", storage: { logs: { toGlacierDays: 0, expireDays: 1 } } },
        },
        {
            rule: "the default task minimum is at most the default maximum",
            key: "compute.defaultMaxTasks",
            refused: { tier: "dev", compute: { defaultMinTasks: 3, defaultMaxTasks: 2 } },
            accepted: { tier: "dev", compute: { defaultMinTasks: 3, defaultMaxTasks: 3 } },
        },
        {
            rule: "a rule's path-pattern condition holds at most 3 values",
            key: "services.api.paths",
            refused: { tier: "dev", services: { api: { ...API, paths: ["/a/*", "/b/*", "/c/*", "/d/*"] } } },
            accepted: { tier: "dev", services: { api: { ...API, paths: ["/a/*", "/b/*", "/c/*"] } } },
        },
        {
            rule: "a rule's host-header condition holds at most 3 values",
            key: "services.api.hosts",
            refused: { tier: "dev", services: { api: { ...API, paths: [], hosts: ["a.example.com", "b.example.com", "c.example.com", "d.example.com"], allowForeignHosts: true } } },
            accepted: { tier: "dev", services: { api: { ...API, paths: [], hosts: ["a.example.com", "b.example.com", "c.example.com"], allowForeignHosts: true } } },
        },
        {
            rule: "a rule holds at most 5 condition values (paths and hosts together)",
            key: "services.api.paths",
            refused: { tier: "dev", services: { api: { ...API, paths: ["/a", "/b", "/c"], hosts: ["a.example.com", "b.example.com", "c.example.com"], allowForeignHosts: true } } },
            accepted: { tier: "dev", services: { api: { ...API, paths: ["/a", "/b", "/c"], hosts: ["a.example.com", "b.example.com"], allowForeignHosts: true } } },
        },
        {
            rule: "a rule holds at most 5 wildcards",
            key: "services.api.paths",
            refused: { tier: "dev", services: { api: { ...API, paths: ["/a/*/*", "/b/*/*", "/c?/*"] } } },
            accepted: { tier: "dev", services: { api: { ...API, paths: ["/a/*/*", "/b/*/*", "/c/*"] } } },
        },
    ];
    for (const edge of EDGES) {
        it(`${edge.rule} (${edge.key})`, () => {
            assert.ok(issuesAt(edge.refused, edge.key).length > 0, `${edge.key} accepted in stack test: ${JSON.stringify(edge.refused)}`);
            assert.deepEqual(issuesAt(edge.accepted, edge.key), [], `${edge.key} refused in stack test: ${JSON.stringify(edge.accepted)}`);
        });
    }
});

describe("stack config: settings that take effect", () => {
    it("compute.defaultMinTasks / defaultMaxTasks in a stack file bound services that set none", () => {
        const s = settingsFor({ tier: "dev", compute: { defaultMinTasks: 2, defaultMaxTasks: 5 }, services: { api: API } });
        const api = s.services.find((x) => x.name === "api");
        assert.deepEqual([api?.minTasks, api?.maxTasks], [2, 5], "services.api task bounds in stack test");
    });

    it("a service name with single inner hyphens is accepted (api-v2)", () => {
        assert.deepEqual(settingsFor({ tier: "dev", services: { "api-v2": API } }).services.map((x) => x.name), ["api-v2"]);
    });

    it("a service's own bounds win over the stack's defaults", () => {
        const s = settingsFor({ tier: "dev", compute: { defaultMinTasks: 2, defaultMaxTasks: 5 }, services: { api: { ...API, minTasks: 3, maxTasks: 4 } } });
        assert.deepEqual([s.services[0].minTasks, s.services[0].maxTasks], [3, 4]);
    });

    it("a cache version written as a YAML number means its major.minor text (8.0 → \"8.0\", 7.2 → \"7.2\")", () => {
        assert.equal(settingsFor({ tier: "dev", cache: { engineVersion: 8 } }).cache.engineVersion, "8.0");
        assert.equal(settingsFor({ tier: "dev", cache: { engine: "valkey", engineVersion: 7.2 } }).cache.engineVersion, "7.2");
    });

    it("a PostgreSQL major version written as a YAML number (17) means \"17\"", () => {
        assert.equal(settingsFor({ tier: "dev", database: { engineVersion: 17 } }).database.engineVersion, "17");
    });
});

describe("stack config: every problem at once", () => {
    it("problems across groups, services and tiers are all reported in one run, and nothing else", () => {
        const raw = {
            tier: "prod",
            colour: "blue",
            network: { azCount: 9, natGateways: "single" },
            database: { backupRetentionDays: 14, allocatedStorageGb: 100, maxAllocatedStorageGb: 105, instanceClass: "db.x9.huge" },
            cache: { nodes: 1 },
            storage: { logs: { toGlacierDays: 90, expireDays: 100 } },
            backup: { schedule: "rate(1 day)" },
            services: {
                api: { cpu: 300, memory: 1024, port: 8080, minTasks: 2, paths: ["/api/*"], environment: { DATABASE_URL: "postgres://app:hunter2@db.internal/app" } },
                web: { cpu: 256, memory: 512, port: 8081, minTasks: 1, paths: ["/"] },
            },
            release: { api: { tag: "4f2c9e1", digest: DIGEST }, web: { tag: "4f2c9e1", digest: DIGEST } },
            domain: { name: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
        };
        const keys = issuesOf(raw, undefined, "prod").map((i) => i.key).sort();
        assert.deepEqual(keys, [
            "backup.schedule",
            "cache.nodes",
            "colour",
            "database.backupRetentionDays",
            "database.instanceClass",
            "database.maxAllocatedStorageGb",
            "network.azCount",
            "network.natGateways",
            "services.api.cpu",
            "services.api.environment.DATABASE_URL",
            "services.web.minTasks",
            "storage.logs.expireDays",
        ]);
    });

    it("one invalid field in one service leaves the others checked and never blames the release", () => {
        const raw = {
            tier: "dev",
            services: { api: { ...API, cpu: 300 }, web: { ...API, port: 8081, paths: ["/web/*"], environment: { DB_HOST: "x" } } },
            release: { api: { tag: "4f2c9e1", digest: DIGEST }, web: { tag: "4f2c9e1", digest: DIGEST } },
        };
        const issues = issuesOf(raw);
        assert.deepEqual(issues.map((i) => i.key).sort(), ["services.api.cpu", "services.web.environment.DB_HOST"]);
        assert.ok(!issues.some((i) => /config rm --path 'release/.test(i.fix)), `a fix would unpin a release: ${JSON.stringify(issues)}`);
    });

    it("a release for an image no service runs is still reported while another service is invalid", () => {
        const issues = issuesOf({ tier: "dev", services: { api: { ...API, cpu: 300 } }, release: { api: { tag: "4f2c9e1", digest: DIGEST }, gone: { tag: "4f2c9e1", digest: DIGEST } } });
        assert.deepEqual(issues.map((i) => i.key).sort(), ["release.gone", "services.api.cpu"]);
    });

    it("a service that is not an object is reported once; its release is not", () => {
        const issues = issuesOf({ tier: "dev", services: { api: "api:latest" }, release: { api: { tag: "4f2c9e1", digest: DIGEST } } });
        assert.deepEqual(issues.map((i) => i.key), ["services.api"]);
        assert.doesNotMatch(issues[0].fix, /config (set|rm)/, "services.api: the fix must edit the entry, not replace or remove it");
    });

    it("an invalid domain name is reported once, not also as \"not set\"", () => {
        const issues = issuesOf({ tier: "dev", domain: { name: "Bad_Name", hostedZoneId: "Z0123456789ABCDEFGHIJ" } });
        assert.deepEqual(issues.map((i) => [i.key, i.value]), [["domain.name", "Bad_Name"]]);
    });

    it("a stack named after a tier but missing its tier is still checked by that tier's rules", () => {
        const keys = issuesOf({ database: { backupRetentionDays: 14 } }, undefined, "prod").map((i) => i.key);
        assert.deepEqual(keys.sort(), ["database.backupRetentionDays", "domain.name", "tier"]);
    });

    it("with no tier to go by, only what every tier refuses is reported (no rule runs on guessed defaults)", () => {
        const keys = (raw: Record<string, unknown>) => issuesOf(raw, undefined, "qa").map((i) => i.key).sort();
        // natGateways single is refused only in prod; 200 GB would break dev's 100 GB ceiling but not prod's.
        assert.deepEqual(keys({ network: { natGateways: "single" }, database: { allocatedStorageGb: 200 } }), ["tier"]);
        // A ceiling under 110 % of its own allocation is wrong in every tier.
        assert.deepEqual(keys({ database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 } }), ["database.maxAllocatedStorageGb", "tier"]);
    });
});

describe("stack config: fixes that work", () => {
    const fixOf = (raw: Record<string, unknown>, key: string, stack = "test") => {
        const issue = issuesAt(raw, key, stack)[0];
        assert.ok(issue, `no issue for ${key} in stack ${stack}`);
        return issue.fix;
    };

    it("list items use the CLI's index syntax: services.api.paths[0]", () => {
        assert.equal(fixOf({ tier: "dev", services: { api: { ...API, paths: ["api/*"] } } }, "services.api.paths[0]"), "pulumi config set --path 'services.api.paths[0]' '/api/*' --stack test");
    });

    it("a single path given instead of a list is kept: removed, then set as the list's first item", () => {
        assert.equal(
            fixOf({ tier: "dev", services: { api: { ...API, paths: "/api/*" } } }, "services.api.paths"),
            "pulumi config rm --path 'services.api.paths' --stack test && pulumi config set --path 'services.api.paths[0]' '/api/*' --stack test",
        );
    });

    it("a text field given a number is set back as text with --type string", () => {
        const raw = { tier: "dev", services: { api: { ...API, environment: { WORKERS: 4 } } } };
        assert.equal(fixOf(raw, "services.api.environment.WORKERS"), "pulumi config set --path 'services.api.environment.WORKERS' --type string '4' --stack test");
    });

    it("a PostgreSQL version fix stores \"17\" as text", () => {
        assert.equal(fixOf({ tier: "dev", database: { engineVersion: "18" } }, "database.engineVersion"), "pulumi config set --path 'database.engineVersion' --type string '17' --stack test");
    });

    it("a missing tier is fixed with the stack's own tier name, never dev for prod", () => {
        assert.equal(fixOf({}, "tier", "prod"), "pulumi config set tier 'prod' --stack prod");
        assert.equal(fixOf({ tier: "production" }, "tier", "staging"), "pulumi config set tier 'staging' --stack staging");
        assert.equal(fixOf({}, "tier", "qa"), "pulumi config set tier '<dev|staging|prod>' --stack qa");
    });

    it("an invalid exposure is fixed with internal, never public", () => {
        assert.match(fixOf({ tier: "dev", services: { api: { ...API, expose: "open" } } }, "services.api.expose"), /'internal'/);
    });

    it("a migration without database access is fixed by appending database, keeping the secrets already listed", () => {
        assert.equal(
            fixOf({ tier: "dev", services: { api: { ...API, secrets: ["cache"], migrationCommand: ["migrate"] } } }, "services.api.secrets"),
            "pulumi config set --path 'services.api.secrets[1]' 'database' --stack test",
        );
    });

    // Each wrong type gets our allowed-sentence; validator wording never reaches the user.
    const WRONG_TYPES: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["an object where text belongs", { region: { name: "us-east-1" } }, "region", /AWS commercial region/],
        ["text where an object belongs", { network: "10.0.0.0/16" }, "network", /an object with the fields: cidr, azCount, natGateways/],
        ["a list where an object belongs", { database: ["db.t4g.micro"] }, "database", /an object with the fields: instanceClass/],
        ["a number where text belongs", { database: { instanceClass: 5 } }, "database.instanceClass", /an RDS instance class such as db\.t4g\.micro/],
        ["null for a group", { cache: null }, "cache", /an object with the fields: engine/],
        ["null for a field", { network: { azCount: null } }, "network.azCount", /a whole number from 2 to 6/],
        ["text where a list belongs", { services: { api: { ...API, paths: "/api/*" } } }, "services.api.paths", /a list, each item a path pattern/],
        ["a list where a map belongs", { services: [API] }, "services", /a map of service names to service objects/],
        ["a missing required field", { services: { api: { memory: 1024, port: 8080, paths: ["/api/*"] } } }, "services.api.cpu", /one of: 256, 512/],
    ];
    for (const [what, config, key, allowed] of WRONG_TYPES) {
        it(`${what} (${key}) is answered with what is allowed`, () => {
            const issues = issuesOf({ tier: "dev", ...config });
            const issue = issues.find((i) => i.key === key);
            assert.ok(issue, `no issue for ${key} in stack test; got ${JSON.stringify(issues)}`);
            assert.match(issue.allowed, allowed, `${key} in stack test: allowed`);
            for (const i of issues) {
                assert.doesNotMatch(`${i.allowed} ${i.fix}`, /Invalid input|expected \w+, received|Invalid option|Too (small|big)/, `${i.key} in stack test shows validator text`);
            }
        });
    }
});

describe("stack config: secrets stay out of plain config", () => {
    const env = (value: string) => ({ tier: "dev", services: { api: { ...API, environment: { UPSTREAM: value } } } });
    const SECRET_VALUES: Array<[string, string]> = [
        ["credentials inside a URL", "postgres://app:hunter2@db.internal:5432/app"],
        ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE"],
        ["an AWS access key id (temporary, ASIA…)", "ASIAIOSFODNN7EXAMPLE"],
        ["a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE..."],
        ["a GitHub token", `ghp_${"a1B2".repeat(9)}`],
        ["a Slack token", "xoxb-123456789012-abcdefghijkl"],
        ["a Stripe live key", `sk_live_${"4eC39HqLyjWDarjtT1zdp7dc"}`],
        ["a JSON Web Token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
    ];
    for (const [kind, value] of SECRET_VALUES) {
        it(`an environment value holding ${kind} is refused and not echoed`, () => {
            const issue = issuesAt(env(value), "services.api.environment.UPSTREAM")[0];
            assert.ok(issue, `services.api.environment.UPSTREAM (${kind}) accepted in stack test`);
            assert.equal(issue.value, "(hidden)");
            assert.ok(issue.allowed.includes(kind.split(" (")[0]), `services.api.environment.UPSTREAM: ${issue.allowed}`);
        });
    }
    const PLAIN_VALUES = [
        "4f2c9e1a7b3d5c6e8f9012345678901234abcdef",
        `sha256:${"0a1b2c3d".repeat(8)}`,
        "https://api.example.com/v1",
        "postgres://db.internal:5432/app",
        "info",
    ];
    for (const value of PLAIN_VALUES) {
        it(`an environment value ${value.slice(0, 30)} is not mistaken for a secret`, () => {
            assert.deepEqual(issuesAt(env(value), "services.api.environment.UPSTREAM"), []);
        });
    }
    it("a command line holding credentials is refused", () => {
        const raw = { tier: "dev", services: { api: { ...API, command: ["node", "server.js", "--db=postgres://app:hunter2@db/app"] } } };
        assert.equal(issuesAt(raw, "services.api.command")[0]?.value, "(hidden)");
    });
    it("a problem report never shows a secret: unknown keys and invalid values that look like one are hidden", () => {
        const issues = issuesOf({ tier: "dev", dbPassword: "hunter2", database: { dbName: "postgres://app:hunter2@db/app" } });
        assert.deepEqual(
            issues.map((i) => [i.key, i.value]),
            [["dbPassword", "(hidden)"], ["database.dbName", "(hidden)"]],
        );
    });

    it("a tag value holding a key is refused", () => {
        assert.equal(issuesAt({ tier: "dev", tags: { owner: "AKIAIOSFODNN7EXAMPLE" } }, "tags.owner")[0]?.value, "(hidden)");
    });
});

describe("stack config: host rules stay inside the certificate", () => {
    const hosts = (list: string[], extra: Record<string, unknown> = {}, domain: unknown = PROD_DOMAIN) => ({
        tier: "staging",
        ...(domain ? { domain } : {}),
        services: { api: { ...API, paths: [], hosts: list, ...extra } },
    });
    it("the stack's own domain name is accepted", () => {
        assert.deepEqual(issuesAt(hosts(["api.example.com"]), "services.api.hosts"), []);
    });
    it("another host (which the certificate does not cover) is refused", () => {
        const issue = issuesAt(hosts(["admin.example.com"]), "services.api.hosts")[0];
        assert.ok(issue, "services.api.hosts admin.example.com accepted in stack test");
        assert.match(issue.allowed, /only api\.example\.com/);
        assert.match(issue.fix, /allowForeignHosts/);
    });
    it("a wildcard host is refused: the certificate covers exactly domain.name", () => {
        assert.equal(issuesAt(hosts(["*.example.com"]), "services.api.hosts").length, 1);
    });
    it("another host is accepted with services.<name>.allowForeignHosts: true", () => {
        assert.deepEqual(issuesAt(hosts(["admin.example.com"], { allowForeignHosts: true }), "services.api.hosts"), []);
    });
    it("without a domain there is no certificate: any host rule is refused unless allowed", () => {
        const dev = { tier: "dev", services: { api: { ...API, hosts: ["api.example.com"] } } };
        assert.equal(issuesAt(dev, "services.api.hosts").length, 1);
    });
});

describe("stack config: following a suggested fix works", () => {
    /** Every leaf field of the object groups, as config paths (storage.logs.expireDays, ...). */
    function leaves(schema: z.ZodType, prefix: string[]): string[][] {
        let s: z.ZodType = schema;
        while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
        if (s instanceof z.ZodObject) return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, [...prefix, k]));
        return [prefix];
    }
    const GROUPS = ["network", "logs", "database", "cache", "storage", "backup", "compute", "domain"] as const;
    const FIELDS = GROUPS.flatMap((g) => leaves(CONFIG_KEYS[g].schema as z.ZodType, [g]));

    /** The value a `pulumi config set --path` fix stores, typed as the CLI types it (integers, true/false). */
    function valueOf(fix: string): unknown {
        const m = /'([^']*)' --stack \S+$/.exec(fix) ?? /-- '([^']*)'$/.exec(fix);
        assert.ok(m, `not a config set command: ${fix}`);
        if (fix.includes("--type string")) return m[1];
        if (m[1] === "true" || m[1] === "false") return m[1] === "true";
        return /^-?\d+$/.test(m[1]) ? Number(m[1]) : m[1];
    }
    const set = (raw: Record<string, unknown>, path: string[], value: unknown) => {
        const copy = structuredClone(raw);
        let node = copy as Record<string, unknown>;
        for (const step of path.slice(0, -1)) node = (node[step] ??= {}) as Record<string, unknown>;
        node[path[path.length - 1]] = value;
        return copy;
    };

    for (const tier of TIER_STACKS) {
        it(`in ${tier}, every field given a wrong type is fixed by its suggested command, with no new problem on that field`, () => {
            const base: Record<string, unknown> = { tier };
            for (const path of FIELDS) {
                const key = path.join(".");
                const broken = set(base, path, { wrong: "type" });
                const issue = issuesOf(broken, undefined, tier).find((i) => i.key === key);
                assert.ok(issue, `${key} = {wrong: type} accepted in stack ${tier}`);
                if (/<[^>]+>/.test(issue.fix)) continue; // a placeholder for a value only the user knows (ARN, zone id)
                const fixed = set(base, path, valueOf(issue.fix));
                const after = issuesOf(fixed, undefined, tier).filter((i) => i.key === key);
                assert.deepEqual(after, [], `stack ${tier}: following "${issue.fix}" leaves ${JSON.stringify(after)}`);
            }
        });
    }
});
