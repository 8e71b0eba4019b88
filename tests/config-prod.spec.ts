import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, resolveSettings, TIER_DEFAULTS } from "../config";
import { PROD_RULES, SettingKey } from "../config/rules/prod";
import { settingsFor } from "./helpers";
import { tierOnly } from "./fixtures";

/**
 * README "Stack matrix", column "prod refuses": the keys each row's refusal stands for. A new row
 * (or a renamed concern) fails the spec below until it is mapped here, and every key must have a
 * row in PROD_RULES (config/rules/prod.ts), so README cannot promise a refusal the code lacks.
 */
const README_REFUSALS: Record<string, SettingKey[]> = {
    "AZs / NAT": ["network.natGateways"],
    "log retention": ["logs.retentionDays"],
    PostgreSQL: ["database.multiAz"],
    "database backups (RDS, PITR)": ["database.backupRetentionDays"],
    "deletion protection / final snapshot": ["database.deletionProtection", "database.finalSnapshot"],
    "cache (Valkey 8.0)": ["cache.nodes"],
    "cache snapshots": ["cache.snapshotRetentionDays"],
    "AWS Backup (daily)": ["backup.retentionDays"],
    "buckets `forceDestroy`": ["storage.forceDestroy"],
    "services: tasks (default bounds)": ["compute.defaultMinTasks"],
    HTTPS: ["compute.allowHttpWithoutDomain"],
    "ALB deletion protection": ["compute.loadBalancerDeletionProtection"],
};

/** The Stack matrix rows (concern → "prod refuses" cell) from README.md. */
function readmeProdRefusals(): Map<string, string> {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8").split("\n");
    const start = readme.indexOf("## Stack matrix");
    assert.ok(start !== -1, 'README has no "## Stack matrix" heading');
    const firstRow = readme.findIndex((line, i) => i > start && line.startsWith("|"));
    const table: string[][] = [];
    for (let i = firstRow; i < readme.length && readme[i].startsWith("|"); i++) table.push(readme[i].split("|").slice(1, -1).map((c) => c.trim()));
    const [header, , ...rows] = table;
    const column = header.indexOf("prod refuses");
    assert.ok(column !== -1, `README Stack matrix has no "prod refuses" column (columns: ${header.join(" | ")})`);
    return new Map(rows.map((cells) => [cells[0], cells[column]]));
}

describe("prod refusals (config/rules/prod.ts)", () => {
    it("every refusal in README's prod column has a row in PROD_RULES, and every row is in README's column", () => {
        const refusals = readmeProdRefusals();
        const refused = [...refusals].filter(([, cell]) => cell !== "—" && cell !== "");
        assert.ok(refused.length >= 10, `README lists ${refused.length} prod refusals: has the table changed shape?`);
        for (const [concern, cell] of refused) {
            assert.ok(concern in README_REFUSALS, `README row "${concern}" says prod refuses "${cell}": map it to its PROD_RULES key(s) in README_REFUSALS`);
        }
        for (const concern of Object.keys(README_REFUSALS)) {
            const cell = refusals.get(concern);
            assert.ok(cell !== undefined && cell !== "—", `README_REFUSALS maps "${concern}", which README's Stack matrix no longer lists as a prod refusal`);
        }
        const ruleKeys = PROD_RULES.map((r) => r.key);
        const readmeKeys = Object.values(README_REFUSALS).flat();
        assert.deepEqual(readmeKeys.filter((k) => !ruleKeys.includes(k)), [], "README refusals without a PROD_RULES row");
        assert.deepEqual(ruleKeys.filter((k) => !readmeKeys.includes(k)), [], "PROD_RULES rows README's prod column does not list");
    });

    it("PROD_RULES has one row per key", () => {
        const keys = PROD_RULES.map((r) => r.key);
        assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
    });

    it("every prod rule holds for prod's defaults and fails for dev's", () => {
        const prod = settingsFor(tierOnly("prod"));
        const dev = settingsFor({ tier: "dev" });
        assert.deepEqual(PROD_RULES.filter((r) => !r.holds(prod)).map((r) => r.key), [], "prod defaults refused by prod");
        assert.deepEqual(PROD_RULES.filter((r) => r.holds(dev)).map((r) => r.key), [], "rules dev's defaults already pass (no test of the refusal)");
    });

    it("a prod stack with dev's settings is refused on every row, in table order, with the row's allowed text and fix", () => {
        const d = TIER_DEFAULTS.dev;
        const raw = { ...tierOnly("prod"), network: d.network, logs: d.logs, database: d.database, cache: d.cache, storage: d.storage, backup: d.backup, compute: d.compute };
        let issues: ConfigError["issues"] = [];
        try {
            resolveSettings(raw, { project: "platform", stack: "prod" });
        } catch (e) {
            assert.ok(ConfigError.isInstance(e), `expected ConfigError, got ${e}`);
            issues = e.issues;
        }
        assert.deepEqual(
            issues.map((i) => [i.key, i.allowed]),
            PROD_RULES.map((r) => [r.key, r.allowed]),
        );
        for (const [i, r] of PROD_RULES.entries()) {
            assert.match(issues[i].fix, new RegExp(`^pulumi config set --path '${r.key}' '${r.example}' --stack prod$`), r.key);
        }
    });
});
