import * as assert from "node:assert/strict";
import { rdsInstanceMemoryGib, rdsMaxConnections } from "../config/catalog";
import { tierOnly } from "./fixtures";
import { configIssues, settingsFor } from "./helpers";

/** The issues of a dev stack whose only config is `platform:monitoring` (plus `extra`). */
const issues = (monitoring: unknown, extra: Record<string, unknown> = {}) => configIssues({ tier: "dev", monitoring, ...extra });
const keys = (monitoring: unknown, extra: Record<string, unknown> = {}) => issues(monitoring, extra).map((i) => i.key);

/** Two public services with explicit listener-rule priorities (and a release each, so they deploy). */
const twoPublic = (apiPriority: number, webPriority: number) => ({
    services: {
        api: { cpu: 256, memory: 512, port: 8080, expose: "public", paths: ["/api/*"], priority: apiPriority },
        web: { cpu: 256, memory: 512, port: 8080, expose: "public", paths: ["/app/*"], priority: webPriority },
        jobs: { cpu: 256, memory: 512, port: 8080, expose: "internal" },
    },
});

describe("monitoring config (platform:monitoring)", () => {
    it("every tier gets the seeds' thresholds; only dev routes everything to warning; the canary is off", () => {
        for (const tier of ["dev", "staging", "prod"]) {
            const m = settingsFor({ tier, ...(tier === "dev" ? {} : { domain: { name: "api.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/a" } }) }).monitoring;
            assert.deepEqual(m.thresholds.errorRatePercent, { warning: 1, critical: 5 }, tier);
            assert.deepEqual(m.thresholds.latencyP95Seconds, { warning: 1, critical: 3 }, tier);
            assert.equal(m.thresholds.latencyP99Seconds.critical, 5, tier);
            assert.deepEqual(m.thresholds.memoryPercent, { warning: 80, critical: 95 }, tier);
            assert.deepEqual(m.thresholds.dbConnectionsPercent, { warning: 80, critical: 95 }, tier);
            assert.equal(m.thresholds.diskUsedPercent.warning, 80, tier);
            assert.deepEqual(m.deployment, { errorRatePercent: 5, latencyP99Seconds: 3 }, tier);
            assert.equal(m.routeAllToWarning, tier === "dev", tier);
            assert.equal(m.warningLevels, tier !== "dev", `${tier}: dev keeps only the critical level (nothing pages there)`);
            assert.equal(m.canary.enabled, false, tier);
            assert.equal(m.canary.percent, 10, `${tier}: seed 004's 10 % canary`);
        }
    });

    it("refuses negative thresholds (0 is allowed)", () => {
        assert.deepEqual(keys({ warningLevels: true, thresholds: { errorRatePercent: { warning: 0 } } }), []);
        assert.deepEqual(keys({ thresholds: { errorRatePercent: { warning: -0.01 } } }), ["monitoring.thresholds.errorRatePercent.warning"]);
        assert.deepEqual(keys({ thresholds: { queueAgeSeconds: { warning: -1 } } }), ["monitoring.thresholds.queueAgeSeconds.warning"]);
        assert.deepEqual(keys({ deployment: { latencyP99Seconds: -1 } }), ["monitoring.deployment.latencyP99Seconds"]);
    });

    it("refuses percentages above 100 (100 is allowed)", () => {
        assert.deepEqual(keys({ thresholds: { memoryPercent: { critical: 100 } } }), []);
        assert.deepEqual(keys({ thresholds: { memoryPercent: { critical: 100.01 } } }), ["monitoring.thresholds.memoryPercent.critical"]);
        assert.deepEqual(keys({ deployment: { errorRatePercent: 101 } }), ["monitoring.deployment.errorRatePercent"]);
        const [issue] = issues({ thresholds: { dbConnectionsPercent: { warning: 120 } } });
        assert.equal(issue.allowed, "a number from 0 to 100");
        assert.match(issue.fix, /pulumi config set --path 'monitoring\.thresholds\.dbConnectionsPercent\.warning'/);
    });

    it("refuses a warning level above its critical level (equal is allowed), naming the warning key", () => {
        assert.deepEqual(keys({ warningLevels: true, thresholds: { errorRatePercent: { warning: 5, critical: 5 } } }), []);
        const refused = issues({ warningLevels: true, thresholds: { errorRatePercent: { warning: 5.01, critical: 5 } } });
        assert.deepEqual(refused.map((i) => i.key), ["monitoring.thresholds.errorRatePercent.warning"]);
        assert.match(refused[0].allowed, /at most the critical level \(5\)/);
        // Against the tier's other level too: a warning alone above the default critical (3 s).
        assert.deepEqual(keys({ warningLevels: true, thresholds: { latencyP95Seconds: { warning: 3 } } }), []);
        assert.deepEqual(keys({ warningLevels: true, thresholds: { latencyP95Seconds: { warning: 3.5 } } }), ["monitoring.thresholds.latencyP95Seconds.warning"]);
    });

    it("refuses a warning level the stack file sets while warning levels are off (dev's default): it would be dropped silently", () => {
        // Dev's tier default is warningLevels false: its own default warning levels are not the person's and pass.
        assert.deepEqual(keys({}), []);
        assert.deepEqual(keys({ thresholds: { errorRatePercent: { critical: 4 } } }), [], "a critical level alone is kept");
        const [issue, ...rest] = issues({ thresholds: { errorRatePercent: { warning: 2, critical: 5 } } });
        assert.deepEqual(rest, []);
        assert.equal(issue.key, "monitoring.thresholds.errorRatePercent.warning");
        assert.equal(issue.value, 2);
        assert.match(issue.allowed, /monitoring\.warningLevels is false \(the dev tier's default\)/);
        assert.match(issue.fix, /pulumi config set --path 'monitoring\.warningLevels' 'true' --stack test/);
        assert.match(issue.fix, /pulumi config rm --path 'monitoring\.thresholds\.errorRatePercent\.warning' --stack test/);
        // Set to true, the same warning is kept; set false explicitly in another tier, it is refused there too.
        assert.deepEqual(keys({ warningLevels: true, thresholds: { errorRatePercent: { warning: 2 } } }), []);
        const staging = configIssues({ ...tierOnly("staging"), monitoring: { warningLevels: false, thresholds: { cpuPercent: { warning: 70 }, memoryPercent: { warning: 70 } } } });
        assert.deepEqual(staging.map((i) => i.key), ["monitoring.thresholds.cpuPercent.warning", "monitoring.thresholds.memoryPercent.warning"]);
        assert.match(staging[0].allowed, /while monitoring\.warningLevels is false:/);
        // One problem per key: a dropped warning above its critical level is reported once, as dropped.
        assert.deepEqual(issues({ thresholds: { cpuPercent: { warning: 96, critical: 95 } } }).map((i) => i.allowed.startsWith("no warning level")), [true]);
    });

    it("refuses malformed email addresses and HTTPS endpoints", () => {
        assert.deepEqual(keys({ emails: { critical: ["oncall@example.com"], warning: ["team+alerts@mail.example.co.uk"] }, httpsEndpoints: { warning: ["https://hooks.example.com/services/T0/B0"] } }), []);
        assert.deepEqual(keys({ emails: { critical: ["oncall@example"] } }), ["monitoring.emails.critical[0]"]);
        assert.deepEqual(keys({ emails: { warning: ["ok@example.com", "not an email"] } }), ["monitoring.emails.warning[1]"]);
        assert.deepEqual(keys({ httpsEndpoints: { critical: ["http://hooks.example.com/alerts"] } }), ["monitoring.httpsEndpoints.critical[0]"]);
        assert.deepEqual(keys({ httpsEndpoints: { critical: ["https://"] } }), ["monitoring.httpsEndpoints.critical[0]"]);
        assert.deepEqual(keys({ emails: { pager: ["oncall@example.com"] } }), ["monitoring.emails.pager"], "only critical and warning topics exist");
    });

    it("refuses a canary percentage outside ECS's 0.1-100 and bake times outside 0-1440 minutes", () => {
        for (const ok of [0.1, 10, 100]) assert.deepEqual(keys({ canary: { percent: ok } }), [], String(ok));
        for (const bad of [0.09, 0, 100.1]) assert.deepEqual(keys({ canary: { percent: bad } }), ["monitoring.canary.percent"], String(bad));
        assert.deepEqual(keys({ canary: { bakeMinutes: 1440, canaryBakeMinutes: 0 } }), []);
        assert.deepEqual(keys({ canary: { bakeMinutes: 1441 } }), ["monitoring.canary.bakeMinutes"]);
        assert.deepEqual(keys({ canary: { canaryBakeMinutes: -1 } }), ["monitoring.canary.canaryBakeMinutes"]);
    });

    it("a canary names only public services of the stack", () => {
        assert.deepEqual(keys({ canary: { enabled: true, services: ["api"] } }, twoPublic(100, 200)), []);
        assert.deepEqual(keys({ canary: { enabled: true, services: ["jobs"] } }, twoPublic(100, 200)), ["monitoring.canary.services[0]"]);
        assert.deepEqual(keys({ canary: { enabled: true, services: ["api", "nope"] } }, twoPublic(100, 200)), ["monitoring.canary.services[1]"]);
    });

    it("a canary's test rule takes priority − 1: refused when another service's rule holds it, or when that is 0", () => {
        assert.deepEqual(keys({ canary: { enabled: true } }, twoPublic(100, 102)), []);
        assert.deepEqual(keys({ canary: { enabled: true } }, twoPublic(100, 101)), ["services.web.priority"]);
        assert.deepEqual(keys({ canary: { enabled: false } }, twoPublic(100, 101)), [], "no canary, no test rule");
        assert.deepEqual(keys({ canary: { enabled: true, services: ["web"] } }, twoPublic(2, 200)), []);
        assert.deepEqual(keys({ canary: { enabled: true, services: ["api"] } }, twoPublic(1, 200)), ["services.api.priority"]);
    });

    it("reports every monitoring problem at once", () => {
        const all = keys({ warningLevels: true, thresholds: { cpuPercent: { warning: 101 }, memoryPercent: { warning: 96 } }, emails: { critical: ["x"] }, canary: { percent: 200 } });
        assert.deepEqual(all.sort(), ["monitoring.canary.percent", "monitoring.emails.critical[0]", "monitoring.thresholds.cpuPercent.warning", "monitoring.thresholds.memoryPercent.warning"]);
    });

    it("RDS class memory (RDS User Guide, hardware specifications) and PostgreSQL's default max_connections = LEAST(memory / 9531392, 5000)", () => {
        const table: [string, number][] = [
            ["db.t4g.micro", 1],
            ["db.t3.2xlarge", 32],
            ["db.m7g.large", 8],
            ["db.r6g.large", 16],
            ["db.r6g.12xlarge", 384],
            ["db.x2g.large", 32],
            ["db.m5.24xlarge", 384],
            ["db.m6i.32xlarge", 512],
        ];
        for (const [cls, gib] of table) assert.equal(rdsInstanceMemoryGib(cls), gib, cls);
        assert.equal(rdsMaxConnections("db.t4g.micro"), 112);
        assert.equal(rdsMaxConnections("db.m7g.large"), 901);
        assert.equal(rdsMaxConnections("db.r6g.12xlarge"), 5000, "capped at 5000");
        assert.equal(rdsMaxConnections("db.z9.large"), undefined, "unlisted: no connections alarm");
    });
});
