import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rotationFunctionName } from "../naming";
import { secretRecoveryWindowDays, statefulOptions } from "../shared/protection";


/**
 * AWS's single-user PostgreSQL rotation function, published in the Serverless Application Repository
 * (Secrets Manager user guide, "Rotation function templates"). The version is pinned so every stack
 * runs the same rotation code; it is the one aws-cdk pins for `POSTGRES_ROTATION_SINGLE_USER` in the
 * aws partition (aws-cdk-lib/aws-secretsmanager/lib/secret-rotation.ts: 1.1.650), so it is known to
 * exist. Bump it in a reviewed change (`aws serverlessrepo list-application-versions --application-id …`).
 */
export const POSTGRES_ROTATION_APP = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.650",
} as const;
/** The app's template creates an IAM role (CAPABILITY_IAM) and a Lambda permission for Secrets Manager (CAPABILITY_RESOURCE_POLICY). */
export const ROTATION_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"];
/** Days between automatic rotations of the master password. */
export const ROTATION_DAYS = 30;
/**
 * Specials allowed in the initial master password: RDS refuses `/`, `'`, `"`, `@` and spaces in a
 * master password; quotes and backslashes are also left out so the value survives shells and JSON.
 */
export const MASTER_PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>:?";
export interface CredentialsArgs {
    /** `<project>-<stack>`, for the rotation function's name. */
    namePrefix: string;
    region: string;
    username: string;
    dbName: string;
    port: number;
    password: random.RandomPassword;
    primary: aws.rds.Instance;
    privateSubnetIds: pulumi.Input<string[]>;
    /** Security group of the rotation function: must reach PostgreSQL and Secrets Manager (HTTPS). */
    rotationSecurityGroupId: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    /** The rotation function's log group: encrypted with the logs key, kept the tier's retention. */
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    protectData: boolean;
    /** false while the database is a passive cross-region replica: rotation would fail on a read-only instance. @default true */
    rotate?: boolean;
    /** Rotate once as soon as rotation is configured (the API default). @default true */
    rotateImmediately?: boolean;
}

export interface Credentials {
    secret: aws.secretsmanager.Secret;
    version: aws.secretsmanager.SecretVersion;
    /** Absent while the database is a passive replica (README "Disaster recovery"). */
    rotationApp?: aws.serverlessrepository.CloudFormationStack;
    rotation?: aws.secretsmanager.SecretRotation;
}

/** Generated initial master password (kept in state as a Pulumi secret; rotation replaces it in AWS). */
export function createMasterPassword(name: string, parent: pulumi.Resource): random.RandomPassword {
    return new random.RandomPassword(
        `${name}-db-master-password`,
        { length: 40, special: true, overrideSpecial: MASTER_PASSWORD_SPECIALS, minSpecial: 0 },
        { parent },
    );
}

/**
 * The master credentials in our own Secrets Manager secret (data key), rotated every
 * ROTATION_DAYS by AWS's single-user PostgreSQL rotation function deployed from the Serverless
 * Application Repository into the private subnets.
 *
 * Why not `manageMasterUserPassword`: RDS refuses read replicas of an instance whose master password
 * it manages (RDS guide, "Password management with Amazon RDS and AWS Secrets Manager", Limitations).
 * Pulumi writes the first secret version and never again (`ignoreChanges: ["secretString"]`), and the
 * instance ignores `password`, so a rotated password is never reverted by `pulumi up`.
 * Cost: $0.40/month for the secret; the rotation Lambda runs a few seconds a month.
 */
export function createDatabaseCredentials(name: string, args: CredentialsArgs, parent: pulumi.Resource): Credentials {
    const secret = new aws.secretsmanager.Secret(
        `${name}-db-credentials`,
        {
            description: `${name}: PostgreSQL master credentials (rotated every ${ROTATION_DAYS} days)`,
            kmsKeyId: args.dataKeyArn,
            recoveryWindowInDays: secretRecoveryWindowDays(args.protectData),
        },
        { parent, ...statefulOptions(args.protectData) },
    );
    // The fields AWS's PostgreSQL rotation functions read; ECS injects `username` and `password`.
    const value = pulumi.output({
        engine: "postgres",
        host: args.primary.address,
        port: args.port,
        username: args.username,
        password: args.password.result,
        dbname: args.dbName,
    });
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-db-credentials`,
        { secretId: secret.id, secretString: pulumi.jsonStringify(value) },
        // Rotation writes new versions; Pulumi must not put the initial password back.
        { parent, ignoreChanges: ["secretString"] },
    );

    if (args.rotate === false) return { secret, version };

    // Lambda would create the function's log group itself, unencrypted and kept forever; creating it
    // first gives it the logs key and the tier's retention (as for the database's log groups).
    const functionName = rotationFunctionName(args.namePrefix);
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-db-rotation`,
        { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
        { parent },
    );
    const rotationApp = new aws.serverlessrepository.CloudFormationStack(
        `${name}-db-rotation`,
        {
            applicationId: POSTGRES_ROTATION_APP.applicationId,
            semanticVersion: POSTGRES_ROTATION_APP.semanticVersion,
            capabilities: ROTATION_CAPABILITIES,
            parameters: {
                // A URL with its scheme, as aws-cdk's SecretRotation passes it (the function uses it as its
                // Secrets Manager endpoint; reached over HTTPS through the NAT gateway).
                endpoint: `https://secretsmanager.${args.region}.amazonaws.com`,
                functionName,
                vpcSubnetIds: pulumi.output(args.privateSubnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: args.rotationSecurityGroupId,
                // The secret is encrypted with the data key: with this parameter the app's template lets the
                // function's role use that key (aws-cdk passes it whenever a secret has a CMK); the key
                // policy delegates to IAM, so that grant is enough.
                kmsKeyArn: args.dataKeyArn,
            },
        },
        { parent, dependsOn: [logGroup] },
    );
    const rotation = new aws.secretsmanager.SecretRotation(
        `${name}-db-credentials`,
        {
            secretId: secret.id,
            rotationLambdaArn: rotationApp.outputs.apply((o) => {
                const arn = o?.RotationLambdaARN;
                if (!arn) throw new Error(`${name}: the rotation application did not output RotationLambdaARN`);
                return arn;
            }),
            rotationRules: { automaticallyAfterDays: ROTATION_DAYS },
            // Rotates once right away (the API default), so the password Pulumi generated stops being valid.
            rotateImmediately: args.rotateImmediately ?? true,
        },
        { parent, dependsOn: [version, args.primary] },
    );
    return { secret, version, rotationApp, rotation };
}
