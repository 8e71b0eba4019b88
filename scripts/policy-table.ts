/**
 * `npm run policy-table`: rewrites the generated policy and waiver tables in README "Policy pack" from
 * the pack (policy/readme.ts). policy/tests/readme.spec.ts checks they are current.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withPolicyTables } from "../policy/readme";

const file = path.join(__dirname, "..", "README.md");
const before = fs.readFileSync(file, "utf8");
const after = withPolicyTables(before);
fs.writeFileSync(file, after);
process.stdout.write(before === after ? "README policy tables already current\n" : "README policy tables updated\n");
