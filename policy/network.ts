/** Network: VPC, flow logs, security groups, subnets, and what the internet can reach (components/network.ts; the edge in front, components/edge/). */
import type { PolicyResource } from "@pulumi/policy";
import { Finding, INTERNET_CIDRS, isTrue, list, ofTypes, resourcePolicy, stackPolicy } from "./lib";

const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const LOAD_BALANCER_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

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
            name: "sg-no-internet-ingress",
            control: "EC2.18, EC2.19, seed: only the edge is internet-facing",
            summary: "No security group admits 0.0.0.0/0 or ::/0, on any port: the internet reaches the stack only through CloudFront (the load balancer is internal).",
            level: "mandatory",
            remediation: "give the rule a security-group source (components/network.ts; the load balancer admits CloudFront's VPC-origin group, components/edge/index.ts).",
            types: [INGRESS_RULE, LEGACY_RULE, SECURITY_GROUP],
        },
        (p, args) => ingressOf(args.type, p).filter(openToInternet).map((i) => `ingress from ${i.cidrs.join(", ")} on ${i.protocol} ${i.from}-${i.to}.`),
    ),
    stackPolicy(
        {
            name: "lb-ingress-from-security-groups-only",
            control: "seed: the load balancer admits only CloudFront's VPC-origin security group",
            summary: "Ingress rules on a load balancer's security group name a source security group (CloudFront's VPC-origin group), never an address range or prefix list.",
            level: "mandatory",
            remediation: "not configurable: components/edge/index.ts admits CloudFront's VPC-origin group (network.loadBalancerIngress from vpcOrigin, components/platform.ts).",
            types: [INGRESS_RULE, LEGACY_RULE, SECURITY_GROUP, ...LOAD_BALANCER_TYPES],
        },
        (args) => {
            const lbs = ofTypes(args, LOAD_BALANCER_TYPES);
            const lbGroupIds = new Set(lbs.flatMap((lb) => list(lb.props.securityGroups as string[])));
            const lbGroupUrns = new Set(lbs.flatMap((lb) => (lb.propertyDependencies?.securityGroups ?? []).map((d) => d.urn)));
            const onLbGroup = (r: PolicyResource, key: string) => lbGroupIds.has(r.props[key]) || (r.propertyDependencies?.[key] ?? []).some((d) => lbGroupUrns.has(d.urn));
            const findings: Finding[] = [];
            for (const r of ofTypes(args, [INGRESS_RULE, LEGACY_RULE])) {
                if (r.type === LEGACY_RULE && r.props.type !== "ingress") continue;
                if (!onLbGroup(r, "securityGroupId")) continue;
                const source = r.type === INGRESS_RULE ? r.props.referencedSecurityGroupId : r.props.sourceSecurityGroupId;
                const ranges = ingressOf(r.type, r.props).flatMap((i) => i.cidrs);
                if (!source || ranges.length > 0 || r.props.prefixListId || list(r.props.prefixListIds).length > 0) {
                    findings.push({ message: `${r.name} admits ${ranges.length ? ranges.join(", ") : (r.props.prefixListId ?? list(r.props.prefixListIds).join(", ")) || "no security group"} to the load balancer.`, resource: r });
                }
            }
            for (const g of ofTypes(args, [SECURITY_GROUP]).filter((g) => lbGroupUrns.has(g.urn))) {
                if (list(g.props.ingress as any[]).some((i) => list(i.securityGroups).length === 0)) findings.push({ message: `${g.name} has inline ingress without a source security group.`, resource: g });
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

/** Internet-facing resources: what the stack-level exposure rule looks for (an internal load balancer is not). */
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

/** The stack's intended front door: the CloudFront edge (the load balancer behind it is internal). */
export const ENTRY_POINT_TYPES = ["aws:cloudfront/distribution:Distribution"];

export const exposurePolicies = [
    stackPolicy(
        {
            name: "internet-facing-entry-points",
            control: "seed: only the edge is internet-facing",
            summary: "Nothing but the CloudFront distribution is reachable from the internet: the load balancer is internal, databases private, tasks without public IPs.",
            level: "mandatory",
            remediation: "keep the load balancer internal (components/compute/load-balancer.ts), databases private, tasks without public IPs (components/compute/service.ts) and APIs behind the edge; an http worker's API is waived (policy/waivers.ts).",
            types: ["aws:apigatewayv2/api:Api", "aws:apigateway/restApi:RestApi", "aws:lambda/functionUrl:FunctionUrl", "aws:rds/instance:Instance", "aws:ecs/service:Service", "aws:ec2/instance:Instance", "aws:ec2/eip:Eip", ...LOAD_BALANCER_TYPES, ...ENTRY_POINT_TYPES],
        },
        (args) =>
            args.resources
                .filter((r) => !ENTRY_POINT_TYPES.includes(r.type))
                .map((r) => [r, internetFacing(r)] as const)
                .filter(([, why]) => why !== undefined)
                .map(([r, why]) => ({ message: `${r.name} is ${why}.`, detail: r.type, resource: r })),
    ),
];
