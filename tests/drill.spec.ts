/**
 * `npm run drill` (seed 004: "Monthly restore test … Time restore process"; issue 15: "restore the
 * latest recovery point into a scratch instance, verify, record the time, delete"). Every value comes
 * from the stack's outputs; the scratch instance is deleted even when the drill fails. The script runs
 * here against a fake `aws` on PATH that records every call (no AWS).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DRILL_OUTPUTS, drillInputs, DrillInputs, drillScript, MAX_RECOVERY_POINT_AGE_HOURS, restoreMetadata, shellWord } from "../scripts/drill";
import { Refusal } from "../scripts/stack-output";
import { stackRun, TS_SCRIPT_RUNNER } from "./helpers";

/**
 * A fake AWS CLI: appends each call to $AWS_CALLS and answers as the scenario says. Scenarios:
 * pass, unverified (restored unencrypted), failed-job (the job fails, no instance), stale (newest recovery point 40 h old).
 */
const FAKE_AWS = `#!/usr/bin/env bash
echo "$*" >> "$AWS_CALLS"
case "$1 $2" in
  "backup list-recovery-points-by-backup-vault")
    hours=2; [ "$SCENARIO" = stale ] && hours=40
    printf 'arn:aws:backup:us-east-1:111111111111:recovery-point:rp-1\\t%s\\n' "$(date -u -d "-$hours hours" +%Y-%m-%dT%H:%M:%S+00:00)" ;;
  "backup start-restore-job") echo job-1 ;;
  "backup describe-restore-job")
    if [ "$SCENARIO" = failed-job ]; then case "$*" in *StatusMessage*) echo "access denied" ;; *) echo FAILED ;; esac; else echo COMPLETED; fi ;;
  "rds describe-db-instances")
    [ "$SCENARIO" = failed-job ] && { echo "DBInstanceNotFound" >&2; exit 254; }
    case "$*" in
      *DBInstanceStatus*) if [ "$SCENARIO" = unverified ]; then printf 'available\\tFalse\\tpostgres\\tdrill.example\\n'; else printf 'available\\tTrue\\tpostgres\\tdrill.example\\n'; fi ;;
      *) echo exists ;;
    esac ;;
  *) : ;;
esac
`;

describe("restore drill (npm run drill)", function () {
    this.timeout(120_000);
    let outputs: Record<string, unknown>;
    let inputs: DrillInputs;
    let dir: string;
    before(async () => {
        // prod's synthesized outputs; the mocks shape two kinds of id their own way (a region in every ARN, `<name>-id`
        // for groups), so those two get the shapes AWS returns and the drill checks (arn:aws:iam::<account>:role/…, sg-<hex>).
        const synthesized = (await stackRun("prod")).outputs;
        const groups = synthesized.securityGroupIds as Record<string, string>;
        outputs = {
            ...synthesized,
            backupRoleArn: `arn:aws:iam::111111111111:role/${String(synthesized.backupRoleArn).split(":").pop()}`,
            securityGroupIds: { ...groups, data: "sg-0a1b2c3d4e5f67890" },
        };
        inputs = drillInputs("prod", outputs);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-"));
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "aws"), FAKE_AWS, { mode: 0o755 });
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    /** Runs the generated script with the fake aws first on PATH; returns the exit code, output and the aws calls in order. */
    function runDrill(scenario: string): { code: number | null; stdout: string; stderr: string; calls: string[] } {
        const calls = path.join(dir, `${scenario}.calls`);
        fs.writeFileSync(calls, "");
        const r = spawnSync("bash", ["-c", drillScript(inputs)], { encoding: "utf8", env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, AWS_CALLS: calls, SCENARIO: scenario } });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls: fs.readFileSync(calls, "utf8").trim().split("\n").filter(Boolean) };
    }
    const deletes = (calls: string[]) => calls.filter((c) => c.startsWith("rds delete-db-instance"));

    it("takes every value from the stack's outputs: vault, backup role, database ARN, subnet group, data security group, region", () => {
        assert.deepEqual([...DRILL_OUTPUTS].sort(), ["backupRoleArn", "backupVaultName", "dbArn", "dbSubnetGroupName", "region", "securityGroupIds"]);
        const script = drillScript(inputs);
        const groups = outputs.securityGroupIds as Record<string, string>;
        for (const value of [outputs.backupVaultName, outputs.backupRoleArn, outputs.dbArn, outputs.region]) assert.ok(script.includes(shellWord(String(value))), String(value));
        assert.equal(inputs.drillId, "platform-prod-postgres-drill", "the scratch instance: the database's identifier + -drill");
        assert.deepEqual(restoreMetadata(inputs), {
            DBInstanceIdentifier: "platform-prod-postgres-drill",
            DBSubnetGroupName: outputs.dbSubnetGroupName,
            VpcSecurityGroupIds: JSON.stringify([groups.data]),
            MultiAZ: "false",
            DeletionProtection: "false",
        });
        assert.ok(!/<[a-z' ]+>/.test(script), "no placeholders left");
    });

    it("refuses missing or malformed outputs, listing every one at once", () => {
        assert.throws(
            () => drillInputs("prod", { ...outputs, backupRoleArn: undefined, dbArn: "not-an-arn", securityGroupIds: {} }),
            (e: unknown) => e instanceof Refusal && e.problems.length === 3 && /backupRoleArn/.test(e.problems[0]) && /dbArn/.test(e.problems[1]) && /securityGroupIds\.data/.test(e.problems[2]),
        );
    });

    it("a passing drill restores the latest recovery point, waits, verifies, records the time, then deletes the scratch instance", () => {
        const r = runDrill("pass");
        assert.equal(r.code, 0, r.stderr);
        const verbs = r.calls.map((c) => c.split(" ").slice(0, 2).join(" "));
        assert.deepEqual(verbs, [
            "backup list-recovery-points-by-backup-vault",
            "backup start-restore-job",
            "backup describe-restore-job",
            "rds wait",
            "rds describe-db-instances",
            "backup describe-restore-job",
            "rds describe-db-instances",
            "rds delete-db-instance",
            "rds wait",
        ]);
        assert.match(r.calls[0], new RegExp(`--by-resource-arn ${outputs.dbArn}`));
        assert.match(r.calls[1], new RegExp(`--iam-role-arn ${outputs.backupRoleArn} `));
        assert.match(r.calls[1], /"DBInstanceIdentifier":"platform-prod-postgres-drill"/);
        assert.deepEqual(deletes(r.calls), ["rds delete-db-instance --db-instance-identifier platform-prod-postgres-drill --skip-final-snapshot --delete-automated-backups --output text --query DBInstance.DBInstanceStatus"]);
        assert.match(r.stdout, /^DRILL stack=prod date=\d{4}-\d{2}-\d{2} recovery_point=arn:aws:backup:\S+ taken=\S+ age_hours=2 restore_seconds=\d+ endpoint=drill.example result=pass$/m);
    });

    it("a failed verification still deletes the scratch instance, and the drill fails", () => {
        const r = runDrill("unverified");
        assert.equal(r.code, 1);
        assert.match(r.stderr, /FAIL: restored instance is status=available encrypted=False/);
        assert.equal(deletes(r.calls).length, 1);
        assert.doesNotMatch(r.stdout, /result=pass/);
    });

    it("a failed restore job fails the drill and deletes nothing that does not exist", () => {
        const r = runDrill("failed-job");
        assert.equal(r.code, 1);
        assert.match(r.stderr, /FAIL: restore job job-1 FAILED: access denied/);
        assert.deepEqual(deletes(r.calls), []);
    });

    it(`a newest recovery point older than ${MAX_RECOVERY_POINT_AGE_HOURS} h fails the drill before restoring (daily backups stopped)`, () => {
        const r = runDrill("stale");
        assert.equal(r.code, 1);
        assert.match(r.stderr, /older than 31 h/);
        assert.ok(!r.calls.some((c) => c.startsWith("backup start-restore-job")));
    });

    it("npm run drill prints the script and calls nothing unless --execute is given", () => {
        const saved = path.join(dir, "outputs.json");
        fs.writeFileSync(saved, JSON.stringify(outputs));
        const calls = path.join(dir, "dry.calls");
        fs.writeFileSync(calls, "");
        const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(__dirname, "..", "scripts", "drill.ts"), "prod", "--outputs-file", saved], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, AWS_CALLS: calls },
        });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, drillScript(inputs));
        assert.match(r.stderr, /dry run: nothing was called/);
        assert.equal(fs.readFileSync(calls, "utf8"), "");
    });

    it("without --outputs-file it reads the outputs with ONE pulumi stack output --json call", () => {
        const calls = path.join(dir, "pulumi.calls");
        fs.writeFileSync(calls, "");
        const saved = path.join(dir, "all-outputs.json");
        fs.writeFileSync(saved, JSON.stringify(outputs));
        fs.writeFileSync(path.join(dir, "bin", "pulumi"), `#!/usr/bin/env bash\necho "$*" >> "${calls}"\ncat "${saved}"\n`, { mode: 0o755 });
        try {
            const r = spawnSync(process.execPath, [...TS_SCRIPT_RUNNER, path.join(__dirname, "..", "scripts", "drill.ts"), "prod"], {
                encoding: "utf8",
                env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
            });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, drillScript(inputs));
            assert.deepEqual(fs.readFileSync(calls, "utf8").trim().split("\n"), ["stack output --json --stack prod"]);
        } finally {
            fs.rmSync(path.join(dir, "bin", "pulumi"));
        }
    });
});
