import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { NatStrategy } from "../config";
import { createNatInstance } from "./network/nat-instance";
import { childName } from "./naming";
import { pickHandle } from "./shared/handle";
import { createServiceRole } from "./shared/iam";
import { PORTS } from "./shared/ports";

/**
 * Who may reach the load balancer. `internet`: anyone, on 80 and 443. `prefixList`: only the
 * addresses of a managed prefix list (CloudFront's origin-facing list, when edge fronts the load
 * balancer), on 443 only — that list counts about 55 rules against the 60-rule security-group quota,
 * so one port is all a group can carry. Switching replaces the load balancer's security group
 * (its description states the exposure); the load balancer moves to the new group in the same update.
 * `vpcOrigin`: CloudFront VPC origins only (the load balancer is internal). The network adds no rule:
 * the group CloudFront admits from (`CloudFront-VPCOrigins-Service-SG`) exists only once the edge's VPC
 * origin does, so the edge adds that one rule (components/edge).
 */
export type LoadBalancerIngress = { from: "internet" } | { from: "prefixList"; prefixListId: pulumi.Input<string> } | { from: "vpcOrigin" };

export interface NetworkArgs {
    /** VPC IPv4 CIDR block (validated by config: private, /16 to /20). */
    cidr: string;
    /** Availability zones; one public and one private subnet in each. */
    azCount: number;
    /**
     * `single`: one NAT gateway for the VPC; `perAz`: one per AZ (no cross-AZ egress dependency);
     * `instance`: one NAT instance in the first public subnet (components/network/nat-instance.ts).
     */
    natGateways: NatStrategy;
    /** The NAT instance's EC2 type, with `natGateways: instance`. @default "t4g.nano" */
    natInstanceType?: string;
    /** Region, for the S3 gateway endpoint's service name. */
    region: string;
    /** Retention of the flow-log group, in days. */
    logRetentionDays: number;
    /** Ports the app tier listens on; the load balancer may reach the app tier on these only. @default - none */
    appPorts?: number[];
    /** Ports of internal services; the app tier may reach itself on these (Service Connect). @default - none */
    internalPorts?: number[];
    /** Ports of the data tier (PostgreSQL, Redis) the app tier may reach. @default [5432, 6379] */
    dataPorts?: number[];
    /** Who may reach the load balancer. @default { from: "internet" } (80 and 443 from anywhere) */
    loadBalancerIngress?: LoadBalancerIngress;
}

export const DEFAULT_DATA_PORTS = [PORTS.postgres, PORTS.redis];
export const DEFAULT_LOAD_BALANCER_INGRESS: LoadBalancerIngress = { from: "internet" };

/** What the network exposes to later components (and the stack outputs). */
export interface NetworkHandle {
    vpcId: pulumi.Output<string>;
    /** Load balancer, NAT gateways. */
    publicSubnetIds: pulumi.Output<string[]>;
    /** Services, workers, database, cache. */
    privateSubnetIds: pulumi.Output<string[]>;
    /**
     * The three tiers' security groups, chained load balancer → app → data:
     * `loadBalancer` accepts its ingress (internet or a prefix list) and may only reach the app tier on its ports;
     * `app` accepts the load balancer on public ports and itself on internal ports, may reach the data tier and HTTPS;
     * `data` accepts PostgreSQL/Redis from the app tier only, no egress.
     */
    securityGroups: { loadBalancer: pulumi.Output<string>; app: pulumi.Output<string>; data: pulumi.Output<string> };
    /** The NAT instance's id, with `natGateways: instance` (monitoring watches its status checks). @default - none (NAT gateways) */
    natInstanceId?: pulumi.Output<string>;
}

const HANDLE: Record<keyof NetworkHandle, true> = { vpcId: true, publicSubnetIds: true, privateSubnetIds: true, securityGroups: true, natInstanceId: true };

/**
 * What the flow-log role may do on its own log group (VPC user guide, "IAM role for publishing flow
 * logs to CloudWatch Logs"). The group exists before the flow log, but AWS lists CreateLogGroup as
 * required, so it is granted on this group's ARN only.
 */
export const FLOW_LOG_GROUP_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

/** The load balancer security group's description per exposure (a description change replaces the group). */
export const LOAD_BALANCER_SG_DESCRIPTION: Record<LoadBalancerIngress["from"], string> = {
    internet: "Load balancer: HTTP/HTTPS from the internet",
    prefixList: "Load balancer: HTTPS from a managed prefix list",
    vpcOrigin: "Load balancer: only from CloudFront VPC origins",
};

/** Ports the load balancer accepts: 80 and 443 from the internet; 443 only from a prefix list (its size counts against the SG rule quota per port). */
export function loadBalancerPorts(ingress: LoadBalancerIngress): number[] {
    if (ingress.from === "vpcOrigin") return [];
    return ingress.from === "internet" ? [PORTS.http, PORTS.https] : [PORTS.https];
}

/** awsx strategy names for our NAT layouts (a NAT instance is ours: awsx then creates no NAT and no default route). */
export const NAT_STRATEGY: Record<NatStrategy, awsx.types.enums.ec2.NatGatewayStrategy> = {
    single: awsx.ec2.NatGatewayStrategy.Single,
    perAz: awsx.ec2.NatGatewayStrategy.OnePerAz,
    instance: awsx.ec2.NatGatewayStrategy.None,
};

/**
 * The stack's network: a VPC (awsx) with public and private subnets per AZ and NAT per tier, plus
 * everything around it from @pulumi/aws:
 * - VPC flow logs (all traffic) to a CloudWatch log group with the tier's retention;
 * - the VPC's default security group, managed and emptied (no rules), so nothing can use it;
 * - an S3 gateway endpoint on the private route tables (S3 traffic skips the NAT; it is free);
 * - three security groups chained load balancer → app → data, each allowing only the hop before it
 *   (the app tier also reaches itself, on internal services' ports only, for Service Connect); the
 *   load balancer's own ingress is `loadBalancerIngress`: the internet, or a managed prefix list.
 *
 * Cost (us-east-1 list prices, AWS pricing pages, 2026): a NAT gateway is about $33/month
 * plus $0.045/GB processed, so `single` ≈ $33 and `perAz` with 3 AZs ≈ $99 before traffic (each
 * gateway's EIP adds $3.65); `instance` (a t4g.nano, its public IPv4 and 8 GB gp3) ≈ $7.36; flow logs
 * cost CloudWatch ingestion ($0.50/GB); the gateway endpoint and security groups are free.
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly securityGroups: NetworkHandle["securityGroups"];
    readonly natInstanceId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);

        const vpc = this.createVpc(name, args, opts);
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;

        if (args.natGateways === "instance") {
            this.natInstanceId = createNatInstance(
                name,
                { vpcId: this.vpcId, vpcCidr: args.cidr, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds, privateSubnetCount: args.azCount, instanceType: args.natInstanceType },
                this,
            ).instance.id;
        }
        this.createFlowLogs(name, args);
        this.lockDefaultSecurityGroup(name);
        this.createS3Endpoint(name, args);
        const groups = this.createSecurityGroups(name, args);
        this.securityGroups = { loadBalancer: groups.loadBalancer.id, app: groups.app.id, data: groups.data.id };

        this.registerOutputs(pickHandle<NetworkHandle>(this, HANDLE));
    }

    private createVpc(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions): awsx.ec2.Vpc {
        return new awsx.ec2.Vpc(
            childName(name, "vpc"),
            {
                cidrBlock: args.cidr,
                numberOfAvailabilityZones: args.azCount,
                natGateways: { strategy: NAT_STRATEGY[args.natGateways] },
                subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
                subnetSpecs: [{ type: awsx.ec2.SubnetType.Private }, { type: awsx.ec2.SubnetType.Public }],
                // awsx leaves DNS hostnames off; interface endpoints and RDS/ElastiCache names need them.
                // awsx maps public IPs on launch in public subnets (FSBP EC2.15). Accepted: only the ALB
                // and NAT gateways live there, and every ECS task sets assignPublicIp false. A
                // `transforms` fix cannot be exercised offline (mocks reject transforms), see README.
                enableDnsHostnames: true,
                enableDnsSupport: true,
            },
            {
                parent: this,
                // A remote (multi-language) component is only sent providers named in its own options,
                // not the ones inherited from its parent, so pass the explicit provider on.
                providers: opts?.providers,
            },
        );
    }

    private createFlowLogs(name: string, args: NetworkArgs): void {
        // Flow logs use CloudWatch's service-managed encryption: the network is built before the data
        // tier that owns the customer-managed keys (README, "Security controls": flow-log group KMS).
        const flowLogs = childName(name, "flow-logs");
        const group = new aws.cloudwatch.LogGroup(flowLogs, { retentionInDays: args.logRetentionDays }, { parent: this });
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const { role } = createServiceRole(
            flowLogs,
            {
                service: "vpc-flow-logs.amazonaws.com",
                description: "Lets VPC Flow Logs write to its log group",
                // Confused-deputy guard: only flow logs of this account may assume the role.
                sourceAccount: account,
                // The actions are those the VPC user guide requires ("IAM role for publishing flow
                // logs to CloudWatch Logs"), each on the narrowest resource IAM evaluates it against.
                statements: [
                    { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: FLOW_LOG_GROUP_ACTIONS, Resource: [group.arn, pulumi.interpolate`${group.arn}:*`] },
                    // DescribeLogGroups supports no resource-level permissions (Service Authorization
                    // Reference, CloudWatch Logs: no resource type), so only "*" matches it. It lists
                    // log-group metadata, never log events.
                    { Sid: "FindLogGroup", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                ],
            },
            this,
        );
        new aws.ec2.FlowLog(
            flowLogs,
            {
                vpcId: this.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );
    }

    /** The default security group is managed with no rules, so nothing placed in it can talk (FSBP EC2.2). */
    private lockDefaultSecurityGroup(name: string): void {
        new aws.ec2.DefaultSecurityGroup(
            childName(name, "default-sg"),
            { vpcId: this.vpcId, ingress: [], egress: [] },
            { parent: this },
        );
    }

    private createS3Endpoint(name: string, args: NetworkArgs): void {
        // awsx exposes route tables only as resource references; look the private ones up by their
        // subnet associations instead (resolves once the subnets exist).
        const routeTableIds = aws.ec2
            .getRouteTablesOutput(
                {
                    vpcId: this.vpcId,
                    filters: [{ name: "association.subnet-id", values: this.privateSubnetIds }],
                },
                { parent: this },
            )
            .apply((r) => [...new Set(r.ids)].sort());
        new aws.ec2.VpcEndpoint(
            childName(name, "s3"),
            {
                vpcId: this.vpcId,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds,
            },
            { parent: this },
        );
    }

    private createSecurityGroups(name: string, args: NetworkArgs) {
        const group = (role: string, description: string) =>
            new aws.ec2.SecurityGroup(
                childName(name, role),
                // No inline rules: the provider removes AWS's default allow-all egress, and every rule
                // below is its own resource, so the preview shows each one.
                { vpcId: this.vpcId, description, revokeRulesOnDelete: true },
                { parent: this },
            );
        const ingress = args.loadBalancerIngress ?? DEFAULT_LOAD_BALANCER_INGRESS;
        const loadBalancer = group("lb-sg", LOAD_BALANCER_SG_DESCRIPTION[ingress.from]);
        const app = group("app-sg", "App tier: only from the load balancer");
        const data = group("data-sg", "Data tier: only from the app tier");

        for (const port of loadBalancerPorts(ingress)) {
            new aws.vpc.SecurityGroupIngressRule(
                childName(name, `lb-in-${port}`),
                {
                    securityGroupId: loadBalancer.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    ...(ingress.from === "internet"
                        ? { description: `Internet to load balancer on ${port}`, cidrIpv4: "0.0.0.0/0" }
                        : { description: `Prefix list to load balancer on ${port}`, prefixListId: (ingress as { prefixListId: pulumi.Input<string> }).prefixListId }),
                },
                { parent: this },
            );
        }
        for (const port of args.appPorts ?? []) {
            this.allow(name, "lb", loadBalancer, "app", app, port);
        }
        for (const port of args.internalPorts ?? []) {
            this.allow(name, "app", app, "app", app, port);
        }
        for (const port of args.dataPorts ?? DEFAULT_DATA_PORTS) {
            this.allow(name, "app", app, "data", data, port);
        }
        // The app tier calls AWS APIs (ECR, Secrets Manager, CloudWatch) and third parties over HTTPS
        // through the NAT gateway; nothing else leaves the VPC.
        new aws.vpc.SecurityGroupEgressRule(
            childName(name, "app-out-https"),
            {
                securityGroupId: app.id,
                description: "App tier to HTTPS endpoints",
                ipProtocol: "tcp",
                fromPort: PORTS.https,
                toPort: PORTS.https,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );
        return { loadBalancer, app, data };
    }

    /** One hop of the chain: egress on the source group and the matching ingress on the target group. */
    private allow(
        name: string,
        fromRole: string,
        from: aws.ec2.SecurityGroup,
        toRole: string,
        to: aws.ec2.SecurityGroup,
        port: number,
    ): void {
        const common = { ipProtocol: "tcp", fromPort: port, toPort: port };
        new aws.vpc.SecurityGroupEgressRule(
            childName(name, `${fromRole}-to-${toRole}-${port}`),
            { ...common, securityGroupId: from.id, referencedSecurityGroupId: to.id, description: `${fromRole} to ${toRole} on ${port}` },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            childName(name, `${toRole}-from-${fromRole}-${port}`),
            { ...common, securityGroupId: to.id, referencedSecurityGroupId: from.id, description: `${toRole} from ${fromRole} on ${port}` },
            { parent: this },
        );
    }
}
