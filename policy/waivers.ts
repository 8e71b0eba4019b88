/**
 * Every known, justified deviation from a policy, in one place, each with its reason (README "Security
 * controls" lists the same deviations). A waived finding is not reported by `pulumi preview`; the
 * in-process run and `npm run plan` list it as waived, so a waiver is never a silent gap.
 *
 * A waiver names one policy and narrows it: to tiers, to resources (by logical name or by the
 * component type in the URN), or to a finding's detail (an IAM action, a listener role). Add one only
 * together with a row in the README controls table.
 */
import type { Tier } from "./lib";

/** A recovery stack's role (the program's `recovery.role`), as its `recovery-role` tag carries it. */
export type RecoveryRole = "recovery";

export interface WaiverSubject {
    policy: string;
    tier: Tier | undefined;
    /** The resource's `recovery-role` tag (own or its provider's default): set on a recovery stack's resources only. */
    recoveryRole?: string;
    type: string;
    name: string;
    urn: string;
    detail?: string;
}

export interface Waiver {
    policy: string;
    /** The control the deviation is from (README controls table). */
    control: string;
    /** Why it is acceptable. */
    reason: string;
    /** Only in these tiers (omitted: every tier). */
    tiers?: Tier[];
    /** Only resources whose logical name matches. */
    name?: RegExp;
    /** Only resources created inside a component of this type (its token appears in the URN's type chain). */
    insideType?: string;
    /** Only findings whose detail is one of these. */
    details?: string[];
    /**
     * Only resources of a stack with this disaster-recovery role (their `recovery-role` tag, set by the
     * program's provider on a recovery stack: never the stack name). @default - any stack, with or without a role
     */
    recoveryRoles?: RecoveryRole[];
}

/** Logical names of the logs bucket and its side resources (components/data/buckets.ts: `<stack>-data-logs`). */
const LOGS_BUCKET = /-data-logs$/;

export const WAIVERS: Waiver[] = [
    {
        policy: "s3-kms-encryption",
        control: "S3.17",
        name: /-edge-frontend$/,
        reason: "The frontend bucket holds the public site (served to anyone through CloudFront): SSE-S3, because KMS would need CloudFront in the key policy and a KMS request per cache miss for files that are public by design.",
    },
    {
        policy: "ecs-image-by-digest",
        control: "seed: images by digest",
        details: ["xray-daemon"],
        reason: "The X-Ray daemon sidecar is AWS's public image pinned by version tag (components/compute/container.ts), not built by our CI; our own images run by digest. Mirroring it into the stack's registry (then by digest) is the follow-up.",
    },
    {
        policy: "cloudfront-custom-certificate",
        control: "CloudFront.7",
        tiers: ["dev"],
        details: ["default-certificate"],
        reason: "dev has no domain: the site is https://<id>.cloudfront.net on CloudFront's default certificate (staging and prod have a domain and a us-east-1 certificate).",
    },
    {
        policy: "cloudfront-viewer-tls",
        control: "CloudFront.15",
        tiers: ["dev"],
        details: ["default-certificate"],
        reason: "dev has no domain: with CloudFront's default certificate CloudFront forces TLSv1 and the minimum is left unset (no permanent diff); with a certificate it is TLSv1.2_2021.",
    },
    {
        policy: "cloudfront-origin-https",
        control: "CloudFront.9",
        tiers: ["dev"],
        name: /-edge-alb-origin$/,
        reason: "dev has no domain, so the internal load balancer has no certificate: CloudFront's VPC origin speaks HTTP to it, a hop that stays inside the VPC (staging and prod: HTTPS only, TLSv1.2).",
    },
    {
        policy: "subnet-no-public-ip-on-launch",
        control: "EC2.15",
        insideType: "awsx:ec2:Vpc",
        name: /public/,
        reason: "awsx maps public IPs in its public subnets; only the load balancer and NAT gateways live there and tasks never get public IPs. A transform would fix it but cannot be tested offline (mocks do not run transforms).",
    },
    {
        policy: "log-group-cmk",
        control: "CKV_AWS_158",
        name: /-network-flow-logs$/,
        reason: "The flow-log group uses service-managed encryption: the network is built before the data tier that owns the customer-managed keys.",
    },
    {
        policy: "rds-enhanced-monitoring",
        control: "RDS.6",
        tiers: ["dev", "staging"],
        reason: "Enhanced monitoring is prod-only (cost); dev and staging rely on the standard CloudWatch metrics.",
    },
    {
        policy: "rds-no-default-admin",
        control: "RDS.25",
        recoveryRoles: ["recovery"],
        name: /-data-db$/,
        reason: "A recovery stack's database is created as a cross-region read replica: its master user comes from the primary (app_admin, components/data/database.ts), so after promotion (`recovery.active: true`) the instance carries no username input for the policy to read. Passive, the replica is recognised as one and needs no waiver.",
    },
    {
        policy: "rds-non-default-port",
        control: "RDS.23",
        reason: "PostgreSQL stays on 5432: the port is no secret and the data security group admits the app tier only.",
    },
    {
        policy: "elasticache-failover",
        control: "ElastiCache.3",
        tiers: ["dev"],
        reason: "dev runs one cache node by design (no replica to fail over to).",
    },
    {
        policy: "elasticache-failover",
        control: "ElastiCache.3",
        recoveryRoles: ["recovery"],
        reason: "A passive recovery stack runs one cache node (RECOVERY_RELAXATIONS in config/rules/recovery.ts: the cache is rebuilt, not replicated). `recovery.active: true` restores the stack file's nodes, which prod's rules hold at 2 or more, so an active recovery stack has nothing here to waive (policy/tests/recovery.spec.ts).",
    },
    {
        policy: "s3-ownership-enforced",
        control: "S3.12",
        name: LOGS_BUCKET,
        reason: "The logs bucket allows ACLs: ALB access logs and CloudFront standard logging deliver with ACLs.",
    },
    {
        policy: "s3-kms-encryption",
        control: "S3.17",
        name: LOGS_BUCKET,
        reason: "The logs bucket uses SSE-S3: ALB access logs can only be delivered to SSE-S3 buckets.",
    },
    {
        policy: "s3-access-logging",
        control: "S3.9",
        name: LOGS_BUCKET,
        reason: "The logs bucket is the access-log target; logging it into itself would loop.",
    },
    {
        policy: "elb-http-redirect",
        control: "ELB.1",
        tiers: ["dev"],
        reason: "dev without a domain serves plain HTTP (compute.allowHttpWithoutDomain; staging and prod refuse it).",
    },
    {
        policy: "elb-https-only",
        control: "ELB.18",
        details: ["redirect-to-https"],
        reason: "The HTTP:80 listener that only redirects to HTTPS is what ELB.1 requires.",
    },
    {
        policy: "elb-https-only",
        control: "ELB.18",
        tiers: ["dev"],
        reason: "dev without a domain serves plain HTTP (compute.allowHttpWithoutDomain; staging and prod refuse it).",
    },
    {
        policy: "iam-resource-wildcard",
        control: "IAM least privilege",
        details: [
            "ecr:GetAuthorizationToken",
            "logs:DescribeLogGroups",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        ],
        reason: "IAM grants these actions only on Resource \"*\" (they have no resource-level permissions).",
    },
    {
        policy: "secrets-rotation",
        control: "SecretsManager.1",
        name: /-data-cache-auth$/,
        reason: "The cache AUTH token is rotated by changing its RandomPassword in a reviewed `pulumi up`, not by a rotation Lambda.",
    },
    {
        policy: "secrets-rotation",
        control: "SecretsManager.1",
        recoveryRoles: ["recovery"],
        name: /-data-db-credentials$/,
        reason: "A passive recovery stack's database is a cross-region read replica, which cannot change its password: its credentials secret gets its rotation when `recovery.active: true` promotes the replica (README \"Disaster recovery\", runbook step 3), so an active recovery stack has nothing here to waive.",
    },
    {
        policy: "internet-facing-entry-points",
        control: "seed: only the edge is internet-facing",
        details: ["aws:apigatewayv2/api:Api"],
        reason: "An http worker's HTTP API is a public entry point by design (README \"Workers\"): throttled, access-logged, requests authenticated by the application. The CloudFront edge fronts the services' internal load balancer, not these APIs (routing them through the edge is not built).",
    },
    {
        policy: "internet-facing-entry-points",
        control: "EC2.9",
        name: /-network-nat-(arm64|x86_64)$/,
        details: ["aws:ec2/instance:Instance"],
        reason: "The NAT instance (network.natGateways: instance, never in prod) needs a public IPv4 to translate the private subnets' traffic, as a NAT gateway's EIP does. Nothing on the internet can open a connection to it: its security group admits only the VPC, on HTTPS.",
    },
    {
        policy: "apigateway-route-authorization",
        control: "APIGateway.8",
        reason: "http workers authenticate requests in the application (the API is a public entry point by design, README \"Workers\").",
    },
];

/** Controls this program cannot check because the resource is not in it (not a policy, listed for completeness). */
export const OUT_OF_SCOPE: Array<{ control: string; reason: string }> = [
    { control: "S3.1", reason: "The account-level public access block is owned by the account (landing zone), not this program." },
];

function urnTypes(urn: string): string[] {
    return urn.split("::")[2]?.split("$") ?? [];
}

/** The waiver that covers a finding, if any. */
export function waiverFor(s: WaiverSubject): Waiver | undefined {
    return WAIVERS.find(
        (w) =>
            w.policy === s.policy &&
            (!w.tiers || (s.tier !== undefined && w.tiers.includes(s.tier))) &&
            (!w.name || w.name.test(s.name)) &&
            (!w.insideType || urnTypes(s.urn).slice(0, -1).includes(w.insideType)) &&
            (!w.details || (s.detail !== undefined && w.details.includes(s.detail))) &&
            (!w.recoveryRoles || (s.recoveryRole !== undefined && (w.recoveryRoles as string[]).includes(s.recoveryRole))),
    );
}
