import * as aws from "@pulumi/aws";
import { BACKUP_WINDOWS_MINUTES } from "./backup-windows";
import * as pulumi from "@pulumi/pulumi";
import type { BackupSettings } from "../../config";
import { childName } from "../naming";
import { createServiceRole } from "../shared/iam";
import { createKey } from "../shared/kms";
import { backupOptions } from "../shared/protection";

export interface BackupArgs {
    settings: BackupSettings;
    /** ARNs of what to back up (the primary database). */
    resources: pulumi.Input<string>[];
    dataKeyArn: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    protectData: boolean;
    /** Keep the vault (and its recovery points) when the stack is destroyed. */
    keepOnDestroy: boolean;
}

export interface Backup {
    vault: aws.backup.Vault;
    plan: aws.backup.Plan;
    /** The vault copies go to, in `copyToRegion`, when configured. */
    copyVault?: aws.backup.Vault;
    /** The role AWS Backup takes and restores recovery points with (the restore drill passes it to start-restore-job). */
    role: aws.iam.Role;
}

/**
 * AWS Backup for the database, on top of RDS's own automated backups (point-in-time recovery): a
 * daily recovery point in a vault encrypted with the data key, kept `retentionDays`, optionally
 * copied to a vault (with its own key) in another region so a regional outage cannot take both.
 * ElastiCache is not an AWS Backup resource; it keeps its own daily snapshots.
 */
export function createBackup(name: string, args: BackupArgs, parent: pulumi.Resource): Backup {
    const s = args.settings;
    const stateful = { parent, ...backupOptions(args) };

    // A vault holding recovery points cannot be deleted; where it is not kept, destroy empties it.
    const vault = new aws.backup.Vault(childName(name, "backup"), { kmsKeyArn: args.dataKeyArn, forceDestroy: !args.keepOnDestroy }, stateful);
    const copyVault = s.copyToRegion ? createCopyVault(name, s.copyToRegion, args.accountId, stateful) : undefined;

    const plan = new aws.backup.Plan(
        childName(name, "backup"),
        {
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: vault.name,
                    schedule: s.schedule,
                    startWindow: BACKUP_WINDOWS_MINUTES.start,
                    completionWindow: BACKUP_WINDOWS_MINUTES.completion,
                    lifecycle: { deleteAfter: s.retentionDays },
                    copyActions: copyVault ? [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: s.retentionDays } }] : undefined,
                },
            ],
        },
        { parent },
    );

    const { role } = createServiceRole(
        childName(name, "backup"),
        {
            service: "backup.amazonaws.com",
            description: "AWS Backup takes and restores the database's recovery points",
            managedPolicies: [
                { suffix: "backup", policyArn: aws.iam.ManagedPolicy.AWSBackupServiceRolePolicyForBackup },
                { suffix: "restore", policyArn: aws.iam.ManagedPolicy.AWSBackupServiceRolePolicyForRestores },
            ],
        },
        parent,
    );
    // Nothing to select while the database is a passive cross-region replica (README "Disaster recovery").
    if (args.resources.length > 0) new aws.backup.Selection(childName(name, "backup"), { planId: plan.id, iamRoleArn: role.arn, resources: args.resources }, { parent });
    return { vault, plan, copyVault, role };
}

function createCopyVault(name: string, region: string, accountId: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): aws.backup.Vault {
    // A vault's key must live in the vault's region. @pulumi/aws v7 resources take `region`.
    const key = createKey(childName(name, "backup-copy-key"), { region, description: `${name}: cross-region backup copies`, accountId }, opts);
    return new aws.backup.Vault(childName(name, "backup-copy"), { region, kmsKeyArn: key.arn }, opts);
}
