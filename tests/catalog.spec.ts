import * as assert from "node:assert/strict";
import { resolveSettings } from "../config";
import { backupScheduleProblem } from "../config/catalog";
import { configIssues } from "./helpers";

const issuesOf = (raw: Record<string, unknown>, stack = "test") => configIssues(raw, { stack });

/** The issue for `key`, or undefined; the message names the setting and the stack when it is wrong. */
function issueAt(raw: Record<string, unknown>, key: string, stack = "test") {
    return issuesOf(raw, stack).find((i) => i.key === key);
}

describe("what exists in AWS", () => {
    describe("RDS instance classes (PostgreSQL 16/17)", () => {
        for (const cls of ["db.t4g.micro", "db.t3.medium", "db.m7g.large", "db.r6i.32xlarge", "db.m8g.48xlarge"]) {
            it(`${cls} is accepted`, () => {
                assert.equal(issueAt({ tier: "dev", database: { instanceClass: cls } }, "database.instanceClass"), undefined, `database.instanceClass ${cls} refused in stack test`);
            });
        }
        for (const cls of ["db.t4g.nano", "db.m7g.medium", "db.t2.micro", "db.m4.large"]) {
            it(`${cls} is refused: well-formed, but RDS for PostgreSQL 16/17 has no such class`, () => {
                const issue = issueAt({ tier: "dev", database: { instanceClass: cls } }, "database.instanceClass");
                assert.ok(issue, `database.instanceClass ${cls} accepted in stack test`);
                assert.match(issue.allowed, /allowUnlistedInstanceClass: true/);
            });
        }
        it("an unlisted class is accepted only with database.allowUnlistedInstanceClass: true", () => {
            assert.equal(issueAt({ tier: "dev", database: { instanceClass: "db.m9g.large", allowUnlistedInstanceClass: true } }, "database.instanceClass"), undefined);
            assert.ok(issueAt({ tier: "dev", database: { instanceClass: "db.m9g.large", allowUnlistedInstanceClass: false } }, "database.instanceClass"));
        });
        it("the override never reaches the components' settings", () => {
            const s = resolveSettings({ tier: "dev", database: { instanceClass: "db.m9g.large", allowUnlistedInstanceClass: true } }, { project: "platform", stack: "test" });
            assert.equal(s.database.instanceClass, "db.m9g.large");
            assert.ok(!("allowUnlistedInstanceClass" in s.database));
        });
    });

    describe("ElastiCache node types (Valkey / Redis OSS)", () => {
        for (const node of ["cache.t4g.micro", "cache.m7g.large", "cache.r7g.16xlarge", "cache.c7gn.large"]) {
            it(`${node} is accepted`, () => {
                assert.equal(issueAt({ tier: "dev", cache: { nodeType: node } }, "cache.nodeType"), undefined, `cache.nodeType ${node} refused in stack test`);
            });
        }
        for (const node of ["cache.t4g.large", "cache.m1.small", "cache.r3.large"]) {
            it(`${node} is refused: no such current-generation node type`, () => {
                const issue = issueAt({ tier: "dev", cache: { nodeType: node } }, "cache.nodeType");
                assert.ok(issue, `cache.nodeType ${node} accepted in stack test`);
                assert.match(issue.allowed, /allowUnlistedNodeType: true/);
            });
        }
        it("an unlisted node type is accepted only with cache.allowUnlistedNodeType: true", () => {
            assert.equal(issueAt({ tier: "dev", cache: { nodeType: "cache.m9g.large", allowUnlistedNodeType: true } }, "cache.nodeType"), undefined);
            assert.ok(issueAt({ tier: "dev", cache: { nodeType: "cache.m9g.large" } }, "cache.nodeType"));
        });
    });

    describe("regions", () => {
        for (const region of ["us-east-1", "eu-central-1", "ap-southeast-7", "mx-central-1"]) {
            it(`${region} is accepted as backup.copyToRegion`, () => {
                const raw = { tier: "dev", region: region === "us-east-1" ? "eu-west-1" : "us-east-1", backup: { copyToRegion: region } };
                assert.equal(issueAt(raw, "backup.copyToRegion"), undefined, `backup.copyToRegion ${region} refused in stack test`);
            });
        }
        for (const region of ["us-east-1", "eu-central-1"]) {
            it(`${region} is accepted as platform:region`, () => {
                assert.equal(issueAt({ tier: "dev", region }, "region"), undefined, `region ${region} refused in stack test`);
            });
        }
        for (const region of ["ap-southeast-7", "mx-central-1"]) {
            it(`${region} exists, but is refused as platform:region: no Serverless Application Repository there for the password rotation`, () => {
                assert.match(issueAt({ tier: "dev", region }, "region")?.allowed ?? "", /Serverless Application Repository/, `region ${region} in stack test`);
            });
        }
        // Shaped like a region, but no such region, or another partition (GovCloud, China).
        for (const region of ["us-east-3", "eu-central-9", "us-gov-west-1", "cn-north-1", "mars-north-1"]) {
            it(`${region} is refused as platform:region and backup.copyToRegion`, () => {
                assert.ok(issueAt({ tier: "dev", region }, "region"), `region ${region} accepted in stack test`);
                assert.ok(issueAt({ tier: "dev", backup: { copyToRegion: region } }, "backup.copyToRegion"), `backup.copyToRegion ${region} accepted in stack test`);
            });
        }
    });

    describe("AWS Backup schedules (cron only, at least 60 minutes apart)", () => {
        const ok = ["cron(0 5 * * ? *)", "cron(30 2 ? * MON-FRI *)", "cron(0 */6 * * ? *)", "cron(0 5 L * ? *)", "cron(15 1 ? * 6#3 *)", "cron(0 0 1 JAN,JUL ? 2027-2030)"];
        const bad: Array<[string, RegExp]> = [
            ["rate(1 day)", /cron\(\.\.\.\) only/],
            ["0 5 * * ? *", /cron\(\.\.\.\)/],
            ["cron(0 5 * * ?)", /5 fields/],
            ["cron(0 5 * * * *)", /exactly one of day-of-month and day-of-week/],
            ["cron(0 5 ? * ? *)", /exactly one of day-of-month and day-of-week/],
            ["cron(*/15 * * * ? *)", /60 minutes/],
            ["cron(0,30 5 * * ? *)", /60 minutes/],
            ["cron(60 5 * * ? *)", /single minute/],
            ["cron(0 24 * * ? *)", /hours/],
            ["cron(0 5 32 * ? *)", /day-of-month/],
            ["cron(0 5 * 13 ? *)", /month/],
            ["cron(0 5 ? * 8 *)", /day-of-week/],
            ["cron(0 5 * * ? 1969)", /year/],
        ];
        for (const expr of ok) {
            it(`${expr} is accepted`, () => {
                assert.equal(backupScheduleProblem(expr), undefined);
                assert.equal(issueAt({ tier: "dev", backup: { schedule: expr } }, "backup.schedule"), undefined, `backup.schedule ${expr} refused in stack test`);
            });
        }
        for (const [expr, why] of bad) {
            it(`${expr} is refused (${why.source})`, () => {
                assert.match(backupScheduleProblem(expr) ?? "(accepted)", why);
                const issue = issueAt({ tier: "dev", backup: { schedule: expr } }, "backup.schedule");
                assert.ok(issue, `backup.schedule ${expr} accepted in stack test`);
                assert.match(issue.allowed, /cron\(Minutes Hours Day-of-month Month Day-of-week Year\)/);
            });
        }
    });
});

describe("cache node types the program cannot configure", () => {
    it("data-tiering nodes (cache.r6gd.*) are refused: ElastiCache requires DataTieringEnabled with them, which the cache does not set", () => {
        const issue = configIssues({ tier: "dev", cache: { nodeType: "cache.r6gd.xlarge" } }).find((i) => i.key === "cache.nodeType");
        assert.ok(issue, "cache.r6gd.xlarge accepted in stack test");
    });
});
