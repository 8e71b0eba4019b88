import * as assert from "node:assert/strict";
import { ConfigError, resolveSettings, TIER_DEFAULTS } from "../config";
import { vpcCidrProblem } from "../config/cidr";
import { variantRun, settingsFor, TIER_STACKS } from "./helpers";

function issuesOf(raw: Record<string, unknown>, awsRegion?: string, stack = "test") {
    try {
        resolveSettings(raw, { project: "platform", stack, awsRegion });
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.issues;
    }
    return [];
}

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
    { rule: "a stack name AWS names cannot carry", config: {}, key: "(stack name)", allowed: /lowercase letter/, stack: "Prod_EU" },
    { rule: "aws:region disagreeing with platform:region", config: { "aws:region": "eu-west-1" }, key: "aws:region", allowed: /platform:region/ },
];

describe("stack config", () => {
    describe("tier defaults", () => {
        for (const tier of TIER_STACKS) {
            it(`a ${tier} stack with only its tier set gets the ${tier} defaults and passes its own invariants`, () => {
                const s = settingsFor({ tier });
                const d = TIER_DEFAULTS[tier];
                assert.equal(s.tier, tier);
                assert.deepEqual(s.network, d.network);
                assert.deepEqual(s.database, d.database);
                assert.deepEqual(s.cache, d.cache);
                assert.equal(s.logs.retentionDays, d.logs.retentionDays);
            });
        }

        it("dev and staging share one NAT gateway over 2 AZs; prod has one NAT per AZ over 3", () => {
            assert.deepEqual(
                TIER_STACKS.map((t) => [TIER_DEFAULTS[t].network.azCount, TIER_DEFAULTS[t].network.natGateways]),
                [[2, "single"], [2, "single"], [3, "perAz"]],
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
            const s = settingsFor({ tier: "staging", network: { azCount: 3 } });
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
                assert.ok(issue, `no issue for ${bad.key}; got ${JSON.stringify(issues)}`);
                assert.match(issue.allowed, bad.allowed);
                assert.ok(issue.fix.length > 0);
            });
        }
    });

    describe("bad configuration stops the program before any resource is registered", () => {
        // A stack's name comes from its file, so the stack-name rule is covered by the pure test above.
        for (const bad of BAD.filter((b) => b.stack === undefined)) {
            it(`registers nothing for ${bad.rule}`, async () => {
                const overrides = Object.fromEntries(Object.entries(bad.config).map(([k, v]) => [k.includes(":") ? k : `platform:${k}`, v]));
                const run = await variantRun("dev", overrides);
                assert.ok(ConfigError.isInstance(run.error), `expected a ConfigError, got ${run.error}`);
                assert.match(run.error.message, new RegExp(bad.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
                assert.deepEqual(run.resources.map((r) => r.type), []);
            });
        }
    });

    describe("error messages", () => {
        it("reports every problem at once", () => {
            const issues = issuesOf({ tier: "prod", network: { cidr: "10.0.0.0/8", azCount: 9 }, logs: { retentionDays: 7 }, colour: "blue" });
            assert.deepEqual(issues.map((i) => i.key).sort(), ["colour", "logs.retentionDays", "network.azCount", "network.cidr"]);
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
