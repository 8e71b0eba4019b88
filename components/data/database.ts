import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseSettings } from "../../config";
import { databaseIdentifier } from "../naming";
import { createServiceRole, ServiceRole } from "../shared/iam";
import { PORTS } from "../shared/ports";
import { statefulOptions } from "../shared/protection";
import { createDatabaseCredentials, createMasterPassword, Credentials } from "./credentials";

export interface DatabaseArgs {
    settings: DatabaseSettings;
    region: string;
    /** `<project>-<stack>`: the primary is `<namePrefix>-postgres`, replicas append `-replica-<n>`. */
    namePrefix: string;
    privateSubnetIds: pulumi.Input<string[]>;
    dataSecurityGroupId: pulumi.Input<string>;
    /** Where the password-rotation function runs: reaches PostgreSQL and HTTPS (Secrets Manager) only. */
    appSecurityGroupId: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    protectData: boolean;
    /** Recovery stacks (README "Disaster recovery"): the primary is a cross-region replica of `sourceArn` until `promoted`. */
    replicaOf?: ReplicaOf;
}

/** The primary database of a recovery stack: a cross-region read replica of the primary stack's database, or its promotion. */
export interface ReplicaOf {
    /** ARN of the primary stack's database (a cross-region replica needs the ARN, not the identifier). */
    sourceArn: pulumi.Input<string>;
    /** true: removing `replicateSourceDb` promotes the replica to a standalone primary (the provider calls PromoteReadReplica). */
    promoted: boolean;
}

export interface Database {
    primary: aws.rds.Instance;
    replicas: aws.rds.Instance[];
    /** The master credentials' secret, its first version and its rotation. */
    credentials: Credentials;
    /** ARN of that secret, resolving once it holds a value (a task that reads it earlier fails to start). */
    secretArn: pulumi.Output<string>;
}

export const POSTGRES_PORT = PORTS.postgres;
/** RDS CA with automatic server-certificate rotation; clients verify against the RDS CA bundle. */
export const RDS_CA = "rds-ca-rsa2048-g1";
/** Not `postgres` (FSBP RDS.25): a guessable admin name is half a credential. */
export const MASTER_USERNAME = "app_admin";
/** Log streams exported to CloudWatch (FSBP RDS.9 / RDS.36). */
export const LOG_EXPORTS = ["postgresql", "upgrade"];

/**
 * PostgreSQL parameters: TLS is mandatory for every connection; slow statements (≥ 1 s), schema
 * changes, connections and lock waits are logged. All are dynamic, so they apply without a reboot.
 */
export function postgresParameters(): Array<{ name: string; value: string; applyMethod: string }> {
    return [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: "1000" },
        { name: "log_statement", value: "ddl" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
    ].map((p) => ({ ...p, applyMethod: "immediate" }));
}

/**
 * RDS PostgreSQL: primary (Multi-AZ per tier) and same-region read replicas, private subnets only,
 * reachable from the app tier's security group only (the data SG), encrypted with the data key,
 * master credentials in our own Secrets Manager secret, rotated by AWS's rotation function
 * (credentials.ts; RDS-managed passwords would forbid read replicas).
 */
export function createDatabase(name: string, args: DatabaseArgs, parent: pulumi.Resource): Database {
    const s = args.settings;
    const stateful = { parent, ...statefulOptions(args.protectData) };
    const identifier = databaseIdentifier(args.namePrefix);

    const subnetGroup = new aws.rds.SubnetGroup(
        `${name}-db`,
        { description: `${name}: private subnets for PostgreSQL`, subnetIds: args.privateSubnetIds },
        { parent },
    );
    const parameterGroup = new aws.rds.ParameterGroup(
        `${name}-db`,
        { family: `postgres${s.engineVersion}`, description: `${name}: TLS required, slow-query and DDL logging`, parameters: postgresParameters() },
        { parent },
    );
    const monitoring = s.monitoringIntervalSeconds > 0 ? createMonitoringRole(name, parent) : undefined;
    const monitoringRoleArn = monitoring?.role.arn;
    const monitoringAttached = monitoring ? monitoring.attachments : [];

    const common = {
        instanceClass: s.instanceClass,
        storageEncrypted: true,
        publiclyAccessible: false,
        vpcSecurityGroupIds: [args.dataSecurityGroupId],
        parameterGroupName: parameterGroup.name,
        caCertIdentifier: RDS_CA,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: LOG_EXPORTS,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.dataKeyArn,
        performanceInsightsRetentionPeriod: 7, // the free tier of retention
        monitoringInterval: s.monitoringIntervalSeconds,
        monitoringRoleArn,
        deletionProtection: s.deletionProtection,
        applyImmediately: s.applyImmediately,
    };

    // RDS would create these log groups itself, unencrypted and kept forever; creating them first
    // gives them the logs key and the tier's retention. This is why identifiers are fixed names.
    const logGroups = (role: string, identifier: string) =>
        LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${role}-${log}-logs`,
                    { name: `/aws/rds/instance/${identifier}/${log}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
                    { parent },
                ),
        );

    // A final snapshot name must be unique per deletion; a random suffix fixed at creation does that
    // without changing on every run.
    const snapshotSuffix = new random.RandomId(`${name}-db-final-snapshot`, { byteLength: 4, keepers: { identifier } }, { parent });
    const password = createMasterPassword(name, parent);

    // A recovery stack's primary is a replica (or its promotion): name, master user and password come
    // from the source; its storage is encrypted with this region's data key (cross-region replicas take
    // the destination region's key). Same logical name in both states, so promotion is an update.
    const replica = args.replicaOf;
    const finalSnapshot = s.finalSnapshot && (!replica || replica.promoted);
    const ownCredentials = replica
        ? { replicateSourceDb: replica.promoted ? undefined : replica.sourceArn }
        : { dbName: s.dbName, username: MASTER_USERNAME, manageMasterUserPassword: false, password: password.result };
    const primary = new aws.rds.Instance(
        `${name}-db`,
        {
            ...common,
            ...ownCredentials,
            identifier,
            engine: "postgres",
            engineVersion: s.engineVersion,
            // engineVersion is a major version: changing it (16 → 17) is a major upgrade, which RDS
            // refuses unless allowed. The parameter group family follows it (README: upgrade runbook).
            allowMajorVersionUpgrade: true,
            // Our secret, not RDS's (manageMasterUserPassword): RDS refuses replicas of an instance
            // whose password it manages. Only the first password comes from Pulumi; rotation owns it after.
            port: POSTGRES_PORT,
            dbSubnetGroupName: subnetGroup.name,
            kmsKeyId: args.dataKeyArn,
            storageType: "gp3",
            allocatedStorage: s.allocatedStorageGb,
            maxAllocatedStorage: s.maxAllocatedStorageGb,
            multiAz: s.multiAz,
            backupRetentionPeriod: s.backupRetentionDays,
            backupWindow: "03:00-04:00",
            // After the RDS backup window (03:00) and the AWS Backup job (05:00, 60-minute start window).
            maintenanceWindow: "sun:06:30-sun:07:30",
            // A read replica cannot be deleted with a final snapshot (DeleteDBInstance: FinalDBSnapshotIdentifier
            // "can't be specified when deleting a read replica"; SkipFinalSnapshot must be set): only a standalone
            // primary (or a promoted one) keeps it.
            skipFinalSnapshot: !finalSnapshot,
            finalSnapshotIdentifier: finalSnapshot ? pulumi.interpolate`${identifier}-final-${snapshotSuffix.hex}` : undefined,
            // Keep automated backups (point-in-time recovery) after the instance is deleted.
            deleteAutomatedBackups: !s.finalSnapshot,
        },
        // Enhanced monitoring checks the role's permissions at creation: wait for the policy attachment.
        {
            ...stateful,
            // The rotation function changes the password; `pulumi up` must not set it back.
            ignoreChanges: ["password"],
            dependsOn: [...logGroups("db", identifier), ...monitoringAttached],
        },
    );

    const replicas = Array.from({ length: s.readReplicas }, (_, i) => {
        const replicaIdentifier = databaseIdentifier(args.namePrefix, i + 1);
        return new aws.rds.Instance(
            `${name}-db-replica-${i + 1}`,
            {
                ...common,
                identifier: replicaIdentifier,
                // Same region: the source identifier. Subnet group and KMS key come from the source (the
                // API refuses a KMS key for a same-region replica); storageEncrypted is stated so the
                // provider sees no difference that would force a replacement.
                replicateSourceDb: primary.identifier,
                // Without these a replica gets the API's storage default (not gp3) and no autoscaling.
                storageType: "gp3",
                maxAllocatedStorage: s.maxAllocatedStorageGb,
                multiAz: false,
                backupRetentionPeriod: 0,
                skipFinalSnapshot: true,
            },
            { ...stateful, dependsOn: [...logGroups(`db-replica-${i + 1}`, replicaIdentifier), ...monitoringAttached] },
        );
    });

    const credentials = createDatabaseCredentials(
        name,
        {
            namePrefix: args.namePrefix,
            region: args.region,
            username: MASTER_USERNAME,
            dbName: s.dbName,
            port: POSTGRES_PORT,
            password,
            primary,
            privateSubnetIds: args.privateSubnetIds,
            rotationSecurityGroupId: args.appSecurityGroupId,
            dataKeyArn: args.dataKeyArn,
            logsKeyArn: args.logsKeyArn,
            logRetentionDays: args.logRetentionDays,
            protectData: args.protectData,
            rotate: !replica || replica.promoted,
            // A promoted replica still has the primary's password, not this secret's: an immediate rotation
            // would fail to log in (the single-user rotation function tries the secret's current/pending
            // values). The failover runbook sets the password from the secret, then starts rotation.
            rotateImmediately: !replica,
        },
        parent,
    );
    const secretArn = pulumi.all([credentials.secret.arn, credentials.version.id]).apply(([arn]) => arn);
    return { primary, replicas, credentials, secretArn };
}

/** The role RDS enhanced monitoring publishes OS metrics with. */
function createMonitoringRole(name: string, parent: pulumi.Resource): ServiceRole {
    return createServiceRole(
        `${name}-db-monitoring`,
        {
            service: "monitoring.rds.amazonaws.com",
            description: "RDS enhanced monitoring publishes OS metrics",
            managedPolicies: [{ policyArn: aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole }],
        },
        parent,
    );
}
