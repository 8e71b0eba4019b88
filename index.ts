/**
 * platform: one stack's AWS environment. Thin on purpose: validate the stack config (every problem
 * reported at once, before any resource exists), build the components, export the stack outputs.
 */
import { loadSettings } from "./config";
import { createPlatform } from "./components/platform";

const settings = loadSettings();
const platform = createPlatform(settings);

/** Which tier this stack is (dev, staging, prod). */
export const tier = settings.tier;
/** Region every resource lives in. */
export const region = settings.region;
/** VPC id. */
export const vpcId = platform.network.vpcId;
/** Public subnets (load balancer, NAT gateways). */
export const publicSubnetIds = platform.network.publicSubnetIds;
/** Private subnets (services, workers, database, cache). */
export const privateSubnetIds = platform.network.privateSubnetIds;
/** The NAT instance's id (network.natGateways: instance), for Session Manager and reboots; undefined with NAT gateways. */
export const natInstanceId = platform.network.natInstanceId;
/** Security groups of the three tiers: load balancer → app → data. */
export const securityGroupIds = {
    loadBalancer: platform.network.securityGroups.loadBalancer,
    app: platform.network.securityGroups.app,
    data: platform.network.securityGroups.data,
};

/** PostgreSQL primary endpoint (host name; port in dbPort). */
export const dbEndpoint = platform.data.database.endpoint;
/** ARN of the PostgreSQL primary (a recovery stack's cross-region replica is created from it). */
export const dbArn = platform.data.database.arn;
/** Read-replica endpoints (empty where the tier has none). */
export const dbReaderEndpoints = platform.data.database.readerEndpoints;
/** PostgreSQL port. */
export const dbPort = platform.data.database.port;
/** Database name created on the primary. */
export const dbName = platform.data.database.name;
/** Secrets Manager ARN of the master credentials, rotated every 30 days (the ARN, never the value). */
export const dbSecretArn = platform.data.database.secretArn;
/** Cache primary endpoint (TLS, AUTH required); the configuration endpoint in cluster mode. */
export const cacheEndpoint = platform.data.cache.endpoint;
/** Cache reader endpoint (spreads reads over replicas); the configuration endpoint in cluster mode. */
export const cacheReaderEndpoint = platform.data.cache.readerEndpoint;
/** The cache's replication group id (runbooks: failover changes by hand, README "Disaster recovery"). */
export const cacheReplicationGroupId = platform.data.cache.replicationGroupId;
/** Secrets Manager ARN of the cache host/port/AUTH token. */
export const cacheAuthSecretArn = platform.data.cache.authSecretArn;
/** Bucket names: user uploads, and the logs bucket (S3, ALB, CloudFront logs). */
export const buckets = { uploads: platform.data.buckets.uploadsName, logs: platform.data.buckets.logsName };
/** Customer-managed KMS keys: data (database, cache, uploads, secrets, backups) and logs. */
export const kmsKeyArns = { data: platform.data.keys.dataArn, logs: platform.data.keys.logsArn };
/** AWS Backup vault holding the database's daily recovery points. */
export const backupVaultName = platform.data.backupVaultName;
/** The role AWS Backup restores with: `npm run drill` passes it to start-restore-job. */
export const backupRoleArn = platform.data.backupRoleArn;
/** The database's subnet group: the restore drill's scratch instance goes into it (with securityGroupIds.data). */
export const dbSubnetGroupName = platform.data.database.subnetGroupName;
/** Base URL of the public services: through CloudFront (https://<domain>, or the distribution's name without one). */
export const url = platform.edge.apiUrl;
/** Load balancer DNS name (internal: reachable only inside the VPC and through CloudFront's VPC origin); absent without public services. */
export const loadBalancerDnsName = platform.compute.loadBalancer?.dnsName;
/** ECS cluster name; absent without services. */
export const clusterName = platform.compute.clusterName;
/** ECR repository per image: CI pushes `<url>:<commit sha>` here. */
export const repositories = platform.releases.repositoryUrls;
/** What this stack runs, per image: repository, tag (commit SHA), digest. `npm run promote` reads this. */
export const release = platform.releases.release;
/** Deployed services: ECS service name, the task definition this stack deployed, image by digest, log group, task-count bounds. */
export const services = platform.compute.services;
/** Per service with a migration: the one-off `aws ecs run-task` command (run with `eval`; prints the task ARN). Deploys migrate on their own. */
export const migrations = platform.compute.migrations;
/**
 * Deployed workers: function name, alias `live` (ARN, the version it serves, canary routing), the
 * previous version (newest − 1: each change publishes exactly one), queue/DLQ URLs or the HTTP endpoint,
 * and the exact rollback command. `npm run release` reads this.
 */
export const workers = platform.workers.workers;
/** Services and workers not deployed yet (no release pinned), with how to ship their first image. */
export const unreleased = platform.releases.unreleased;
/** SNS alert topics: critical (pages on-call) and warning; `-us-east-1` copies carry edge alarms when the stack lives elsewhere. */
export const alertTopicArns = platform.monitoring.topicArns;
/** The stack's CloudWatch dashboard (golden signals of every service, worker, queue, the database and the cache). */
export const dashboardUrl = platform.monitoring.dashboardUrl;
/** CloudWatch alarm names per service (with its deployment alarms), worker and queue, and the stack-wide ones. */
export const alarms = platform.monitoring.alarmNames;
/** The site (frontend, and the API under the services' paths): https://<domain> or https://<distribution>.cloudfront.net. */
export const siteUrl = platform.edge.siteUrl;
/** Base URL of the API: the site's host (the services' public paths are CloudFront behaviours). */
export const apiUrl = platform.edge.apiUrl;
/** CloudFront distribution id (invalidations). */
export const distributionId = platform.edge.distributionId;
/** Bucket the frontend build is published to (private; CloudFront reads it through OAC). */
export const frontendBucket = platform.edge.frontendBucketName;
/** WAF web ACL (CLOUDFRONT scope, us-east-1) in front of the distribution. */
export const webAclArn = platform.edge.webAclArn;
/** The commands that publish ./dist, in order (README "Runbook: publish the frontend"). */
export const publishCommands = platform.edge.publishCommands;
/** The edge's failover role (the site name moved between distributions by CloudFront's domain association, no Route 53 failover records); a recovery stack's carries the switch and failback commands (README "Failover routing"). */
export const failover = platform.edge.failover;
