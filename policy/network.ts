/** Network: VPC, flow logs, security groups, subnets, and what the internet can reach (components/network.ts). */
import type { PolicyResource } from "@pulumi/policy";
import { Finding, INTERNET_CIDRS, isTrue, list, ofTypes, resourcePolicy, stackPolicy } from "./lib";

const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** Ports the internet may reach (EC2.18 `authorizedTcpPorts`): HTTP and HTTPS. */
export const INTERNET_PORTS = [80, 443];

interface Ingress {
    cidrs: string[];
    protocol: string;
    from: number;
    to: number;
}

/** The ingress rules a resource declares, in one shape (rule resources and inline SG ingress). */
function ingressOf(type: string, p: Record<string, any>): Ingress[] {
    if (type === INGRESS_RULE) {
        return [{ cidrs: [p.cidrIpv4, p.cidrIpv6].filter(Boolean), protocol: String(p.ipProtocol), from: Number(p.fromPort ?? 0), to: Number(p.toPort ?? 65535) }];
    }
    if (type === LEGACY_RULE) {
        if (p.type !== "ingress") return [];
        return [{ cidrs: [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)], protocol: String(p.protocol), from: Number(p.fromPort), to: Number(p.toPort) }];
    }
    return list(p.ingress as any[]).map((r) => ({ cidrs: [...list(r.cidrBlocks), ...list(r.ipv6CidrBlocks)] as string[], protocol: String(r.protocol), from: Number(r.fromPort), to: Number(r.toPort) }));
}

function openToInternet(i: Ingress): boolean {
    return i.cidrs.some((c) => INTERNET_CIDRS.includes(c));
}

function onlyWebPorts(i: Ingress): boolean {
    return (i.protocol === "tcp" || i.protocol === "6") && i.from === i.to && INTERNET_PORTS.includes(i.from);
}

export const networkPolicies = [
    resourcePolicy(
        {
            name: "default-sg-closed",
            control: "EC2.2",
            summary: "The VPC's default security group has no ingress and no egress rules.",
            level: "mandatory",
            remediation: "not configurable: components/network.ts manages the default security group with empty rules; remove any rule added to it.",
            types: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
        },
        (p) => (list(p.ingress).length > 0 || list(p.egress).length > 0 ? ["the default security group has rules."] : []),
    ),
    resourcePolicy(
        {
            name: "vpc-flow-log-settings",
            control: "EC2.6",
            summary: "A VPC flow log records ALL (or REJECT) traffic to a destination.",
            level: "mandatory",
            remediation: "not configurable: components/network.ts sets trafficType ALL and the log group (retention: logs.retentionDays).",
            types: ["aws:ec2/flowLog:FlowLog"],
        },
        (p) => [
            ...(["ALL", "REJECT"].includes(p.trafficType) ? [] : [`trafficType is ${p.trafficType}, not ALL or REJECT.`]),
            ...(p.logDestination ? [] : ["the flow log has no logDestination."]),
        ],
    ),
    stackPolicy(
        {
            name: "vpc-flow-logs",
            control: "EC2.6",
            summary: "A stack with a VPC has a flow log.",
            level: "mandatory",
            remediation: "not configurable: components/network.ts creates the flow log with the VPC.",
            types: ["aws:ec2/vpc:Vpc", "awsx:ec2:Vpc", "aws:ec2/flowLog:FlowLog"],
        },
        (args) => {
            const vpcs = ofTypes(args, ["aws:ec2/vpc:Vpc", "awsx:ec2:Vpc"]).filter((v) => v.type === "awsx:ec2:Vpc" || !v.urn.includes("awsx:ec2:Vpc$"));
            const logs = ofTypes(args, ["aws:ec2/flowLog:FlowLog"]);
            return logs.length > 0 ? [] : vpcs.map((v) => ({ message: `VPC ${v.name} has no flow log.`, resource: v }));
        },
    ),
    resourcePolicy(
        {
            name: "sg-internet-ingress-web-only",
            control: "EC2.18, EC2.19",
            summary: "Ingress from 0.0.0.0/0 or ::/0 only on TCP 80 and 443 (no high-risk or other ports open to the internet).",
            level: "mandatory",
            remediation: "not configurable by port: network.loadBalancerIngress (components/network.ts) opens only 80/443 on the load balancer; everything else takes security-group sources.",
            types: [INGRESS_RULE, LEGACY_RULE, SECURITY_GROUP],
        },
        (p, args) =>
            ingressOf(args.type, p)
                .filter((i) => openToInternet(i) && !onlyWebPorts(i))
                .map((i) => `ingress from ${i.cidrs.join(", ")} on ${i.protocol} ${i.from}-${i.to}.`),
    ),
    stackPolicy(
        {
            name: "sg-internet-ingress-load-balancer-only",
            control: "EC2.18, seed: only the load balancer is internet-facing",
            summary: "Only the internet-facing load balancer's security group accepts traffic from 0.0.0.0/0 or ::/0.",
            level: "mandatory",
            remediation: "give other security groups security-group sources (components/network.ts); the load balancer's ingress is network.loadBalancerIngress.",
            types: [INGRESS_RULE, LEGACY_RULE, SECURITY_GROUP, ...LOAD_BALANCER_TYPES],
        },
        (args) => {
            const lbGroups = new Set(ofTypes(args, LOAD_BALANCER_TYPES).filter((lb) => lb.props.internal !== true).flatMap((lb) => list(lb.props.securityGroups as string[])));
            const lbGroupResources = ofTypes(args, [SECURITY_GROUP]).filter((sg) => ofTypes(args, LOAD_BALANCER_TYPES).some((lb) => (lb.propertyDependencies?.securityGroups ?? []).some((d) => d.urn === sg.urn)));
            const findings: Finding[] = [];
            for (const r of ofTypes(args, [INGRESS_RULE, LEGACY_RULE, SECURITY_GROUP])) {
                if (!ingressOf(r.type, r.props).some(openToInternet)) continue;
                const group = r.type === SECURITY_GROUP ? r : undefined;
                const isLb = group
                    ? lbGroupResources.some((g) => g.urn === group.urn)
                    : lbGroups.has(r.props.securityGroupId) || lbGroupResources.some((g) => (r.propertyDependencies?.securityGroupId ?? []).some((d) => d.urn === g.urn));
                if (!isLb) findings.push({ message: `${r.name} opens ${group ? "security group" : r.props.securityGroupId} to the internet, which no internet-facing load balancer uses.`, resource: r });
            }
            return findings;
        },
    ),
    resourcePolicy(
        {
            name: "subnet-no-public-ip-on-launch",
            control: "EC2.15",
            summary: "Subnets do not assign public IPs on launch.",
            level: "mandatory",
            remediation: "not configurable: set mapPublicIpOnLaunch false on the subnet (awsx's public subnets are waived, policy/waivers.ts).",
            types: ["aws:ec2/subnet:Subnet"],
        },
        (p) => (isTrue(p.mapPublicIpOnLaunch) ? ["mapPublicIpOnLaunch is true."] : []),
    ),
];

/** Internet-facing resources besides the load balancer: what the stack-level exposure rule looks for. */
export function internetFacing(r: PolicyResource): string | undefined {
    switch (r.type) {
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:alb/loadBalancer:LoadBalancer":
            return r.props.internal === true ? undefined : "an internet-facing load balancer";
        case "aws:apigatewayv2/api:Api":
            return r.props.disableExecuteApiEndpoint === true ? undefined : "a public API Gateway endpoint";
        case "aws:apigateway/restApi:RestApi":
            return list(r.props.endpointConfiguration?.types).includes("PRIVATE") ? undefined : "a public API Gateway REST API";
        case "aws:lambda/functionUrl:FunctionUrl":
            return "a Lambda function URL";
        case "aws:rds/instance:Instance":
            return r.props.publiclyAccessible === true ? "a publicly accessible database" : undefined;
        case "aws:ecs/service:Service":
            return r.props.networkConfiguration?.assignPublicIp === true ? "tasks with public IPs" : undefined;
        case "aws:ec2/instance:Instance":
            return r.props.associatePublicIpAddress === true ? "an instance with a public IP" : undefined;
        case "aws:ec2/eip:Eip":
            return r.urn.includes("awsx:ec2:Vpc$") ? undefined : "an Elastic IP";
        default:
            return undefined;
    }
}

/** Types that are the stack's intended front door: the load balancer now, the edge (CloudFront) when it exists. */
export const ENTRY_POINT_TYPES = [...LOAD_BALANCER_TYPES, "aws:cloudfront/distribution:Distribution"];

export const exposurePolicies = [
    stackPolicy(
        {
            name: "internet-facing-entry-points",
            control: "seed: only the load balancer (later the edge) is internet-facing",
            summary: "Nothing but the load balancer (and, once built, the CloudFront edge) is reachable from the internet.",
            level: "mandatory",
            remediation: "keep databases private, tasks without public IPs (components/compute/service.ts) and APIs behind the load balancer or the edge; an http worker's API is waived (policy/waivers.ts).",
            types: ["aws:apigatewayv2/api:Api", "aws:apigateway/restApi:RestApi", "aws:lambda/functionUrl:FunctionUrl", "aws:rds/instance:Instance", "aws:ecs/service:Service", "aws:ec2/instance:Instance", "aws:ec2/eip:Eip", ...ENTRY_POINT_TYPES],
        },
        (args) =>
            args.resources
                .filter((r) => !ENTRY_POINT_TYPES.includes(r.type))
                .map((r) => [r, internetFacing(r)] as const)
                .filter(([, why]) => why !== undefined)
                .map(([r, why]) => ({ message: `${r.name} is ${why}.`, detail: r.type, resource: r })),
    ),
];
