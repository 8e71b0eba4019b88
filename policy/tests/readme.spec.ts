import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICIES } from "../policies";
import { renderPolicyTables, withPolicyTables } from "../readme";
import { WAIVERS } from "../waivers";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

describe("README policy tables", () => {
    it("are current: the README block is what the pack renders (npm run policy-table rewrites it)", () => {
        assert.equal(README, withPolicyTables(README), "README policy tables are stale: run npm run policy-table");
    });

    it("list every policy and every waiver once", () => {
        const rows = renderPolicyTables();
        for (const p of POLICIES) assert.equal(rows.filter((r) => r.startsWith(`| ${p.name} | ${p.meta.control.replace(/\|/g, "\\|")} | ${p.meta.level} |`)).length, 1, p.name);
        assert.equal(rows.filter((r) => WAIVERS.some((w) => r.startsWith(`| ${w.policy} | ${w.control} |`) && r.endsWith(`| ${w.reason} |`))).length, WAIVERS.length);
    });
});
