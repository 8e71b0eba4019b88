import * as assert from "node:assert/strict";
import { TIER_DEFAULTS } from "../config";
import { LoadBalancerIngress, Network, NetworkArgs } from "../components/network";
import { ACCOUNT_ID, installMocks, mockId } from "../offline/mocks";
import { settle } from "../offline/run";
import { ofType, one, policy, stackRun, TIER_STACKS, variantRun } from "./helpers";

const VPC = "awsx:ec2:Vpc";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
/** Ports of the committed stack files' services: public (api) and internal (notifier). */
const APP_PORTS = [8080];
const INTERNAL_PORTS = [8081];
/** What the VPC user guide requires of a flow-log role ("IAM role for publishing flow logs to CloudWatch Logs"). */
const FLOW_LOG_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"];

/** The id the mocks give a tier's security group (`lb`, `app`, `data`) in a stack. */
const sgId = (stack: string, role: "lb" | "app" | "data") => mockId(`${stack}-network-${role}-sg`);

/** A security-group rule's inputs, as far as these specs read them. */
type Rule = { inputs: { ipProtocol: string; fromPort: number; toPort: number; referencedSecurityGroupId?: string; cidrIpv4?: string; cidrIpv6?: string; prefixListId?: string } };
/** A rule as [port range, destination] for comparing whole rule sets. */
const target = (r: Rule) => [`${r.inputs.ipProtocol}/${r.inputs.fromPort}-${r.inputs.toPort}`, r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? r.inputs.prefixListId].join(" → ");

describe("network", () => {
    for (const stack of TIER_STACKS) {
        describe(`${stack} stack`, () => {
            it("spans the tier's AZ count with the tier's NAT strategy and the stack's CIDR", async () => {
                const run = await stackRun(stack);
                const vpc = one(run, VPC);
                const d = TIER_DEFAULTS[stack].network;
                assert.equal(vpc.inputs.numberOfAvailabilityZones, d.azCount);
                // A NAT instance (dev) is no awsx NAT gateway: strategy None, and the instance routes (tests/nat-instance.spec.ts).
                assert.equal(vpc.inputs.natGateways.strategy, { perAz: "OnePerAz", single: "Single", instance: "None" }[d.natGateways]);
                assert.equal(ofType(run, "aws:ec2/instance:Instance").length, d.natGateways === "instance" ? 1 : 0);
                assert.match(vpc.inputs.cidrBlock, /^10\.\d+\.0\.0\/16$/);
                assert.equal(vpc.inputs.enableDnsHostnames, true);
            });

            it("sends every VPC flow (accepted and rejected) to a log group kept for the tier's retention", async () => {
                const run = await stackRun(stack);
                const flow = one(run, "aws:ec2/flowLog:FlowLog");
                const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "flow-logs");
                assert.equal(flow.inputs.trafficType, "ALL");
                assert.equal(flow.inputs.vpcId, `vpc-${stack}-network-vpc`);
                assert.equal(flow.inputs.logDestinationType, "cloud-watch-logs");
                assert.match(flow.inputs.logDestination, /:log-group:/);
                assert.equal(group.inputs.retentionInDays, TIER_DEFAULTS[stack].logs.retentionDays);
            });

            it("the flow-log role has every permission AWS requires, writes only to its own log group, and only this account's flow logs can assume it", async () => {
                const run = await stackRun(stack);
                const role = one(run, "aws:iam/role:Role", "network-flow-logs");
                const trust = policy(role.inputs.assumeRolePolicy).Statement[0];
                assert.equal(trust.Principal.Service, "vpc-flow-logs.amazonaws.com");
                assert.equal(trust.Condition.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
                const perms = policy(one(run, "aws:iam/rolePolicy:RolePolicy", "network-flow-logs").inputs.policy).Statement;
                assert.ok(perms.every((p) => p.Effect === "Allow"));
                assert.deepEqual(perms.flatMap((p) => [p.Action].flat()).sort(), FLOW_LOG_ACTIONS, "exactly the documented actions");
                const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "flow-logs");
                const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:${group.name}`;
                for (const p of perms) {
                    const actions = [p.Action].flat();
                    if (actions.includes("logs:DescribeLogGroups")) {
                        // No resource-level permissions exist for DescribeLogGroups: "*" is the only match.
                        assert.deepEqual(actions, ["logs:DescribeLogGroups"], "nothing else rides on the * statement");
                        assert.equal(p.Resource, "*");
                    } else {
                        assert.deepEqual(p.Resource, [groupArn, `${groupArn}:*`], "its own log group and its streams, nothing else");
                    }
                }
            });

            it("manages the default security group with no rules", async () => {
                const run = await stackRun(stack);
                const sg = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
                assert.deepEqual(sg.inputs.ingress, []);
                assert.deepEqual(sg.inputs.egress, []);
            });

            it("routes S3 through a gateway endpoint on every private route table", async () => {
                const run = await stackRun(stack);
                const endpoint = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "-s3");
                assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
                assert.equal(endpoint.inputs.serviceName, "com.amazonaws.us-east-1.s3");
                const privateSubnets = run.outputs.privateSubnetIds as string[];
                assert.equal(privateSubnets.length, TIER_DEFAULTS[stack].network.azCount);
                // The mock answers the route-table lookup with one table per private subnet it was asked about.
                assert.deepEqual(endpoint.inputs.routeTableIds, privateSubnets.map((s) => `rtb-${s}`).sort());
            });

            it("nothing accepts traffic from any address range: the load balancer admits only CloudFront's VPC-origin group, on one port", async () => {
                const run = await stackRun(stack);
                assert.deepEqual(ofType(run, "aws:ec2/securityGroupRule:SecurityGroupRule"), [], "rules are vpc.SecurityGroup*Rule resources only");
                for (const rule of ofType(run, INGRESS)) {
                    // The NAT instance (dev's natGateways: instance) forwards for the whole VPC: its one rule admits the VPC's own range, on 443.
                    if (rule.inputs.securityGroupId === mockId(`${stack}-network-nat-sg`)) {
                        assert.deepEqual([rule.inputs.cidrIpv4, rule.inputs.fromPort, rule.inputs.toPort], [one(run, VPC).inputs.cidrBlock, 443, 443], rule.name);
                        continue;
                    }
                    assert.equal(rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6 ?? rule.inputs.prefixListId, undefined, `${rule.name} admits an address range`);
                    assert.ok(rule.inputs.referencedSecurityGroupId, `${rule.name} admits only another security group`);
                }
                const intoLb = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === sgId(stack, "lb"));
                // The group CloudFront creates for VPC origins (looked up by name in the stack's VPC).
                assert.deepEqual(intoLb.map((r) => r.inputs.referencedSecurityGroupId), ["sg-cloudfront-vpcorigins-service-sg"]);
                // HTTPS with a domain (staging, prod); dev's load balancer has no certificate and takes HTTP inside the VPC.
                assert.deepEqual(intoLb.map((r) => [r.inputs.fromPort, r.inputs.toPort]), stack === "dev" ? [[80, 80]] : [[443, 443]]);
                for (const sg of ofType(run, "aws:ec2/securityGroup:SecurityGroup")) {
                    assert.equal(sg.inputs.ingress, undefined, `${sg.name} must not have inline rules`);
                    assert.equal(sg.inputs.egress, undefined, `${sg.name} must not have inline rules`);
                }
            });

            it("the data tier accepts PostgreSQL and Redis from the app tier only (and its workers' own groups, tests/workers-schedule.spec.ts) and has no egress", async () => {
                const run = await stackRun(stack);
                const data = sgId(stack, "data");
                const into = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === data && !r.name.startsWith(`${stack}-workers-`));
                assert.deepEqual(into.map((r) => r.inputs.fromPort).sort(), [5432, 6379]);
                for (const r of into) assert.equal(r.inputs.referencedSecurityGroupId, sgId(stack, "app"));
                assert.deepEqual(ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === data), []);
            });

            it("the load balancer may only send to the app tier, on the app ports", async () => {
                const run = await stackRun(stack);
                const out = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === sgId(stack, "lb"));
                assert.deepEqual(out.map(target).sort(), APP_PORTS.map((p) => `tcp/${p}-${p} → ${sgId(stack, "app")}`));
            });

            it("the app tier may send only to the data tier's ports, to itself on internal ports, and HTTPS anywhere", async () => {
                const run = await stackRun(stack);
                const app = sgId(stack, "app");
                const out = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === app);
                assert.deepEqual(
                    out.map(target).sort(),
                    [
                        "tcp/443-443 → 0.0.0.0/0",
                        `tcp/5432-5432 → ${sgId(stack, "data")}`,
                        `tcp/6379-6379 → ${sgId(stack, "data")}`,
                        ...INTERNAL_PORTS.map((p) => `tcp/${p}-${p} → ${app}`),
                    ].sort(),
                );
            });

            it("every egress rule belongs to the load balancer, the app tier, the NAT instance or a VPC worker's group; no group may send everywhere on every port", async () => {
                const run = await stackRun(stack);
                const workerGroups = ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.startsWith(`${stack}-workers-`)).map((g) => `${g.name}-id`);
                for (const rule of ofType(run, EGRESS)) {
                    assert.ok([sgId(stack, "lb"), sgId(stack, "app"), mockId(`${stack}-network-nat-sg`), ...workerGroups].includes(rule.inputs.securityGroupId), rule.name);
                    assert.notEqual(rule.inputs.ipProtocol, "-1", `${rule.name} allows every protocol`);
                    assert.equal(rule.inputs.fromPort, rule.inputs.toPort, `${rule.name} opens a port range`);
                }
            });

            it("exports the VPC, subnets and security groups", async () => {
                const run = await stackRun(stack);
                assert.equal(run.outputs.vpcId, `vpc-${stack}-network-vpc`);
                assert.equal((run.outputs.publicSubnetIds as string[]).length, TIER_DEFAULTS[stack].network.azCount);
                assert.deepEqual(Object.keys(run.outputs.securityGroupIds as object).sort(), ["app", "data", "loadBalancer"]);
            });
        });
    }

    describe("load balancer exposure", () => {
        const BASE: NetworkArgs = { cidr: "10.0.0.0/16", azCount: 2, natGateways: "single", region: "us-east-1", logRetentionDays: 7, appPorts: [8080] };
        const CLOUDFRONT_LIST = "pl-3b927c52";
        async function lbIngress(ingress?: LoadBalancerIngress) {
            const recorded = installMocks("platform", "unit", "us-east-1");
            new Network("unit-network", { ...BASE, loadBalancerIngress: ingress });
            await settle(recorded);
            const lbSg = mockId("unit-network-lb-sg");
            return {
                rules: ofType(recorded, INGRESS).filter((r) => r.inputs.securityGroupId === lbSg),
                others: ofType(recorded, INGRESS).filter((r) => r.inputs.securityGroupId !== lbSg),
                group: one(recorded, "aws:ec2/securityGroup:SecurityGroup", "lb-sg"),
            };
        }

        it("by default the load balancer accepts HTTP and HTTPS from the internet, and nothing else", async () => {
            const { rules, group } = await lbIngress();
            assert.deepEqual(rules.map(target).sort(), ["tcp/443-443 → 0.0.0.0/0", "tcp/80-80 → 0.0.0.0/0"]);
            assert.equal(group.inputs.description, "Load balancer: HTTP/HTTPS from the internet");
        });

        it("behind a managed prefix list (CloudFront's origin-facing list) it accepts HTTPS from that list only: one rule, no address range", async () => {
            const { rules, others, group } = await lbIngress({ from: "prefixList", prefixListId: CLOUDFRONT_LIST });
            // One port only: the CloudFront list counts ~55 entries against the 60-rule security-group quota.
            assert.deepEqual(rules.map(target), [`tcp/443-443 → ${CLOUDFRONT_LIST}`]);
            assert.equal(rules[0].inputs.cidrIpv4, undefined);
            assert.match(group.inputs.description, /prefix list/);
            for (const r of others) assert.ok(r.inputs.referencedSecurityGroupId, `${r.name}: the other tiers still admit only security groups`);
        });

        it("behind CloudFront VPC origins the network opens nothing: the edge adds the one rule once CloudFront's group exists", async () => {
            const { rules, group } = await lbIngress({ from: "vpcOrigin" });
            assert.deepEqual(rules, []);
            assert.match(group.inputs.description, /CloudFront VPC origins/);
        });
    });

    it("a stack may choose its AZ count, NAT strategy and CIDR within the rules", async () => {
        const run = await variantRun("staging", { "platform:network": { cidr: "172.16.0.0/20", azCount: 3, natGateways: "perAz" } });
        assert.equal(run.error, undefined);
        const vpc = one(run, VPC);
        assert.equal(vpc.inputs.cidrBlock, "172.16.0.0/20");
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
        assert.equal(vpc.inputs.natGateways.strategy, "OnePerAz");
    });
});
