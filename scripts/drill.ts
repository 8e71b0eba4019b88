/**
 * `npm run drill -- <stack> [--execute] [--outputs-file <file.json>]`
 *
 * Seed 004's monthly restore test ("Monthly restore test, document restore procedure, time restore
 * process"): restore the latest completed AWS Backup recovery point of the stack's database into a
 * scratch instance, wait until it is available, verify it, record the elapsed time, delete it.
 *
 * Every value comes from the stack's outputs (`region`, `backupVaultName`, `backupRoleArn`, `dbArn`,
 * `dbSubnetGroupName`, `securityGroupIds.data`), read with the Pulumi CLI or, on a machine without it,
 * from --outputs-file (a saved `pulumi stack output --json --stack <stack>`). The drill is a bash
 * script built from them: printed by default (a dry run: nothing is called), run by bash with
 * --execute (AWS CLI v2 credentials for the stack's account). The scratch instance is deleted by an
 * EXIT trap, so a failed verification, a failed restore or Ctrl-C still removes it; the trap first
 * waits for a running restore job, which would otherwise create the instance after the delete.
 *
 * Exit codes: 0 printed / drill passed, 1 refused (outputs missing or malformed) or drill failed, 2 usage.
 */
import { BACKUP_WINDOWS_MINUTES } from "../components/data/backup-windows";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { Refusal, stackOutputFromCli } from "./stack-output";

/** The outputs the drill reads (names as index.ts exports them). */
export const DRILL_OUTPUTS = ["region", "backupVaultName", "backupRoleArn", "dbArn", "dbSubnetGroupName", "securityGroupIds"] as const;

/**
 * The oldest a recovery point may be for the drill to pass: the stack's AWS Backup plan runs daily
 * (components/data/backup.ts), may start up to 1 h late (startWindow 60 min) and take up to 6 h
 * (completionWindow 360 min): 24 + 1 + 6 hours. An older one means backups stopped.
 */
export const MAX_RECOVERY_POINT_AGE_HOURS = 24 + (BACKUP_WINDOWS_MINUTES.start + BACKUP_WINDOWS_MINUTES.completion) / 60;

/** Seconds between two polls of the restore job. */
export const POLL_SECONDS = 30;

/** Suffix of the scratch instance's identifier (`<database identifier>-drill`). */
export const DRILL_SUFFIX = "-drill";

/** What the drill needs, validated. */
export interface DrillInputs {
    stack: string;
    region: string;
    vault: string;
    roleArn: string;
    sourceArn: string;
    sourceId: string;
    subnetGroup: string;
    securityGroup: string;
    drillId: string;
}

const PATTERNS = {
    region: /^[a-z]{2}(-[a-z]+)+-\d$/,
    vault: /^[A-Za-z0-9_.-]{2,50}$/,
    // IAM role ARNs carry no region: arn:aws:iam::<account>:role/<path/name>.
    roleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    dbArn: /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:([a-z][a-z0-9-]{0,62})$/,
    subnetGroup: /^[A-Za-z0-9 ._-]{1,255}$/,
    securityGroup: /^sg-[0-9a-f]{8,17}$/,
};

/** The drill's inputs from a stack's outputs; every missing or malformed one is listed at once. */
export function drillInputs(stack: string, outputs: Record<string, unknown>): DrillInputs {
    const problems: string[] = [];
    const text = (name: string, value: unknown, pattern: RegExp, what: string): string => {
        if (typeof value !== "string" || !pattern.test(value)) problems.push(`output ${name} of stack ${stack} is ${JSON.stringify(value) ?? "missing"}: expected ${what}`);
        return String(value);
    };
    const region = text("region", outputs.region, PATTERNS.region, "an AWS region");
    const vault = text("backupVaultName", outputs.backupVaultName, PATTERNS.vault, "an AWS Backup vault name");
    const roleArn = text("backupRoleArn", outputs.backupRoleArn, PATTERNS.roleArn, "an IAM role ARN (the role AWS Backup restores with)");
    const sourceArn = text("dbArn", outputs.dbArn, PATTERNS.dbArn, "an RDS instance ARN");
    const subnetGroup = text("dbSubnetGroupName", outputs.dbSubnetGroupName, PATTERNS.subnetGroup, "a DB subnet group name");
    const groups = outputs.securityGroupIds as Record<string, unknown> | undefined;
    const securityGroup = text("securityGroupIds.data", groups?.data, PATTERNS.securityGroup, "the data tier's security group id (sg-…)");
    const sourceId = PATTERNS.dbArn.exec(sourceArn)?.[1] ?? "";
    const drillId = `${sourceId}${DRILL_SUFFIX}`;
    if (sourceId && drillId.length > 63) problems.push(`the scratch identifier ${drillId} is over RDS's 63 characters`);
    if (problems.length > 0) throw new Refusal(`restore drill of ${stack}`, problems);
    return { stack, region, vault, roleArn, sourceArn, sourceId, subnetGroup, securityGroup, drillId };
}

/** A bash word for any string (single quotes; a quote inside becomes '\''). */
export function shellWord(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * AWS Backup's restore metadata for the scratch instance: its identifier, the stack's DB subnet group
 * and data security group, single-AZ and without deletion protection (the drill deletes it). The rest
 * (class, engine, parameter group, key) comes from the recovery point.
 */
export function restoreMetadata(i: DrillInputs): Record<string, string> {
    return {
        DBInstanceIdentifier: i.drillId,
        DBSubnetGroupName: i.subnetGroup,
        VpcSecurityGroupIds: JSON.stringify([i.securityGroup]),
        MultiAZ: "false",
        DeletionProtection: "false",
    };
}

/** The drill as a bash script: every value inlined from the outputs, the scratch instance deleted on any exit. */
export function drillScript(i: DrillInputs): string {
    const q = shellWord;
    return `#!/usr/bin/env bash
# Restore drill of stack ${i.stack}'s database (seed 004: monthly restore test).
# README "Runbook: monthly restore drill". Generated by \`npm run drill -- ${i.stack}\` from the stack's outputs.
set -euo pipefail
export AWS_DEFAULT_REGION=${q(i.region)}
vault=${q(i.vault)}
role=${q(i.roleArn)}
source_arn=${q(i.sourceArn)}
drill_id=${q(i.drillId)}
job=""
log() { printf '%s drill ${i.stack}: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

# Always: wait for a restore job still running (it would create the instance after a delete), then
# delete the scratch instance if it exists — after a pass, a failed verification, an error or Ctrl-C.
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ -n "$job" ]; then
    while :; do
      state=$(aws backup describe-restore-job --restore-job-id "$job" --query Status --output text || echo UNKNOWN)
      case "$state" in PENDING|RUNNING) sleep ${POLL_SECONDS} ;; *) break ;; esac
    done
  fi
  if aws rds describe-db-instances --db-instance-identifier "$drill_id" --query 'DBInstances[0].DBInstanceIdentifier' --output text >/dev/null 2>&1; then
    log "deleting the scratch instance $drill_id"
    aws rds delete-db-instance --db-instance-identifier "$drill_id" --skip-final-snapshot --delete-automated-backups --output text --query 'DBInstance.DBInstanceStatus' >/dev/null || code=1
    aws rds wait db-instance-deleted --db-instance-identifier "$drill_id" || code=1
  fi
  log "done (exit $code)"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The latest completed recovery point of the database, and its age (the RPO the backups give).
latest=$(aws backup list-recovery-points-by-backup-vault --backup-vault-name "$vault" --by-resource-arn "$source_arn" \\
  --query 'sort_by(RecoveryPoints[?Status==\`COMPLETED\`],&CreationDate)[-1].[RecoveryPointArn,CreationDate]' --output text)
recovery_point=$(printf '%s' "$latest" | cut -f1)
created=$(printf '%s' "$latest" | cut -f2)
if [ -z "$recovery_point" ] || [ "$recovery_point" = None ]; then log "no completed recovery point of $source_arn in vault $vault"; exit 1; fi
age_hours=$(( ( $(date +%s) - $(date -d "$created" +%s) ) / 3600 ))
log "recovery point $recovery_point, taken $created ($age_hours h ago)"
if [ "$age_hours" -gt ${MAX_RECOVERY_POINT_AGE_HOURS} ]; then log "FAIL: the newest recovery point is older than ${MAX_RECOVERY_POINT_AGE_HOURS} h: daily backups stopped"; exit 1; fi

# 2. Restore it into the scratch instance (the stack's subnet group and data security group).
start=$(date +%s)
job=$(aws backup start-restore-job --recovery-point-arn "$recovery_point" --iam-role-arn "$role" --resource-type RDS \\
  --metadata ${q(JSON.stringify(restoreMetadata(i)))} --query RestoreJobId --output text)
log "restore job $job started"
while :; do
  state=$(aws backup describe-restore-job --restore-job-id "$job" --query Status --output text)
  case "$state" in
    COMPLETED) break ;;
    ABORTED|FAILED) log "FAIL: restore job $job $state: $(aws backup describe-restore-job --restore-job-id "$job" --query StatusMessage --output text)"; exit 1 ;;
    *) sleep ${POLL_SECONDS} ;;
  esac
done
aws rds wait db-instance-available --db-instance-identifier "$drill_id"
elapsed=$(( $(date +%s) - start ))

# 3. Verify: available, encrypted, PostgreSQL. (Row counts: README "Runbook: monthly restore drill".)
verify=$(aws rds describe-db-instances --db-instance-identifier "$drill_id" \\
  --query 'DBInstances[0].[DBInstanceStatus,StorageEncrypted,Engine,Endpoint.Address]' --output text)
status=$(printf '%s' "$verify" | cut -f1); encrypted=$(printf '%s' "$verify" | cut -f2); engine=$(printf '%s' "$verify" | cut -f3); endpoint=$(printf '%s' "$verify" | cut -f4)
if [ "$status" != available ] || [ "$encrypted" != True ] || [ "$engine" != postgres ]; then
  log "FAIL: restored instance is status=$status encrypted=$encrypted engine=$engine"; exit 1
fi

# 4. Record: paste this line into the drill log (README "Runbook: monthly restore drill").
printf 'DRILL stack=%s date=%s recovery_point=%s taken=%s age_hours=%s restore_seconds=%s endpoint=%s result=pass\\n' \\
  ${q(i.stack)} "$(date -u +%Y-%m-%d)" "$recovery_point" "$created" "$age_hours" "$elapsed" "$endpoint"
# 5. Delete: the EXIT trap (cleanup) deletes the scratch instance.
`;
}

const USAGE = "usage: npm run drill -- <stack> [--execute] [--outputs-file <file.json>]";

interface Args {
    stack: string;
    execute: boolean;
    outputsFile?: string;
}

function parseArgs(argv: string[]): Args {
    const positional: string[] = [];
    let execute = false;
    let outputsFile: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--execute") execute = true;
        else if (argv[i] === "--outputs-file") {
            outputsFile = argv[++i];
            if (!outputsFile) usage("drill: --outputs-file needs a value");
        } else if (argv[i].startsWith("--")) usage(`drill: unknown option ${argv[i]}`);
        else positional.push(argv[i]);
    }
    if (positional.length !== 1) usage("drill: name one stack");
    return { stack: positional[0], execute, outputsFile };
}

function usage(message: string): never {
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exit(2);
}

/** The stack's outputs the drill reads: from the saved file, or one `pulumi stack output` call each. */
function readOutputs(args: Args): Record<string, unknown> {
    const refuse = (problems: string[]) => new Refusal(`restore drill of ${args.stack}`, problems);
    if (args.outputsFile) {
        try {
            return JSON.parse(fs.readFileSync(args.outputsFile, "utf8")) as Record<string, unknown>;
        } catch (e) {
            throw refuse([`could not read ${args.outputsFile} as JSON (a saved \`pulumi stack output --json --stack ${args.stack}\`): ${(e as Error).message}`]);
        }
    }
    const hint = `save \`pulumi stack output --json --stack ${args.stack}\` where the CLI is and pass it with --outputs-file`;
    // One CLI call for all of them (each call is a CLI start and a backend round trip).
    const all = (stackOutputFromCli(undefined, args.stack, hint, refuse) ?? {}) as Record<string, unknown>;
    return Object.fromEntries(DRILL_OUTPUTS.map((name) => [name, all[name]]));
}

function main(): void {
    const args = parseArgs(process.argv.slice(2));
    let script: string;
    try {
        script = drillScript(drillInputs(args.stack, readOutputs(args)));
    } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
    }
    if (!args.execute) {
        process.stdout.write(script);
        process.stderr.write(`\n(dry run: nothing was called. Run it with: npm run drill -- ${args.stack} --execute)\n`);
        return;
    }
    const run = spawnSync("bash", ["-c", script], { stdio: "inherit" });
    process.exit(run.status ?? 1);
}

if (require.main === module) main();
