import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { NatStrategy } from "../config";

export interface NetworkArgs {
    /** VPC IPv4 CIDR block (validated by config: private, /16 to /20). */
    cidr: string;
    /** Availability zones; one public and one private subnet in each. */
    azCount: number;
    /** `single`: one NAT gateway for the VPC; `perAz`: one per AZ (no cross-AZ egress dependency). */
    natGateways: NatStrategy;
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
}

export const DEFAULT_DATA_PORTS = [5432, 6379];

/**
 * What the flow-log role may do on its own log group (VPC user guide, "IAM role for publishing flow
 * logs to CloudWatch Logs"). The group exists before the flow log, but AWS lists CreateLogGroup as
 * required, so it is granted on this group's ARN only.
 */
export const FLOW_LOG_GROUP_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

/** awsx strategy names for our two NAT layouts. */
export const NAT_STRATEGY: Record<NatStrategy, awsx.types.enums.ec2.NatGatewayStrategy> = {
    single: awsx.ec2.NatGatewayStrategy.Single,
    perAz: awsx.ec2.NatGatewayStrategy.OnePerAz,
};

/**
 * The stack's network: a VPC (awsx) with public and private subnets per AZ and NAT per tier, plus
 * everything around it from @pulumi/aws:
 * - VPC flow logs (all traffic) to a CloudWatch log group with the tier's retention;
 * - the VPC's default security group, managed and emptied (no rules), so nothing can use it;
 * - an S3 gateway endpoint on the private route tables (S3 traffic skips the NAT; it is free);
 * - three security groups chained load balancer → app → data, each allowing only the hop before it
 *   (the app tier also reaches itself, on internal services' ports only, for Service Connect).
 *
 * Cost (us-east-1 list prices, ../shared/reference/aws-prices.md): a NAT gateway is about $33/month
 * plus $0.045/GB processed, so `single` ≈ $33 and `perAz` with 3 AZs ≈ $99 before traffic; flow logs
 * cost CloudWatch ingestion ($0.50/GB); the gateway endpoint and security groups are free.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Accepts 80/443 from the internet; may only reach the app tier on its ports. */
    readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** Accepts the load balancer on public ports and itself on internal ports; may reach the data tier and HTTPS endpoints. */
    readonly appSecurityGroupId: pulumi.Output<string>;
    /** Accepts PostgreSQL/Redis from the app tier only; no egress. */
    readonly dataSecurityGroupId: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);

        const vpc = this.createVpc(name, args, opts);
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;

        this.flowLogGroupName = this.createFlowLogs(name, args);
        this.lockDefaultSecurityGroup(name);
        this.createS3Endpoint(name, args);
        const groups = this.createSecurityGroups(name, args);
        this.loadBalancerSecurityGroupId = groups.loadBalancer.id;
        this.appSecurityGroupId = groups.app.id;
        this.dataSecurityGroupId = groups.data.id;

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            appSecurityGroupId: this.appSecurityGroupId,
            dataSecurityGroupId: this.dataSecurityGroupId,
        });
    }

    private createVpc(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions): awsx.ec2.Vpc {
        return new awsx.ec2.Vpc(
            `${name}-vpc`,
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

    private createFlowLogs(name: string, args: NetworkArgs): pulumi.Output<string> {
        // Flow logs use CloudWatch's service-managed encryption: the network is built before the data
        // tier that owns the customer-managed keys (README, "Security controls": flow-log group KMS).
        const group = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.logRetentionDays },
            { parent: this },
        );
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: "Lets VPC Flow Logs write to its log group",
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            // Confused-deputy guard: only flow logs of this account may assume the role.
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    // The actions are those the VPC user guide requires ("IAM role for publishing flow
                    // logs to CloudWatch Logs"), each on the narrowest resource IAM evaluates it against.
                    Statement: [
                        {
                            Sid: "WriteOwnLogGroup",
                            Effect: "Allow",
                            Action: FLOW_LOG_GROUP_ACTIONS,
                            Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
                        },
                        {
                            // DescribeLogGroups supports no resource-level permissions (Service
                            // Authorization Reference, CloudWatch Logs: no resource type), so only "*"
                            // matches it. It lists log-group metadata, never log events.
                            Sid: "FindLogGroup",
                            Effect: "Allow",
                            Action: ["logs:DescribeLogGroups"],
                            Resource: "*",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
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
        return group.name;
    }

    /** The default security group is managed with no rules, so nothing placed in it can talk (FSBP EC2.2). */
    private lockDefaultSecurityGroup(name: string): void {
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
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
            `${name}-s3`,
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
                `${name}-${role}`,
                // No inline rules: the provider removes AWS's default allow-all egress, and every rule
                // below is its own resource, so the preview shows each one.
                { vpcId: this.vpcId, description, revokeRulesOnDelete: true },
                { parent: this },
            );
        const loadBalancer = group("lb-sg", "Load balancer: HTTP/HTTPS from the internet");
        const app = group("app-sg", "App tier: only from the load balancer");
        const data = group("data-sg", "Data tier: only from the app tier");

        for (const port of [80, 443]) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-lb-in-${port}`,
                {
                    securityGroupId: loadBalancer.id,
                    description: `Internet to load balancer on ${port}`,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrIpv4: "0.0.0.0/0",
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
            `${name}-app-out-https`,
            {
                securityGroupId: app.id,
                description: "App tier to HTTPS endpoints",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
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
            `${name}-${fromRole}-to-${toRole}-${port}`,
            { ...common, securityGroupId: from.id, referencedSecurityGroupId: to.id, description: `${fromRole} to ${toRole} on ${port}` },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-${toRole}-from-${fromRole}-${port}`,
            { ...common, securityGroupId: to.id, referencedSecurityGroupId: from.id, description: `${toRole} from ${fromRole} on ${port}` },
            { parent: this },
        );
    }
}
