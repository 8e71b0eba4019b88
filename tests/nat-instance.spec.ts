/**
 * `network.natGateways: instance` (README "NAT instance"): one NAT instance instead of NAT gateways.
 * Expected values come from the issue (issue 14: dev idle cost), AWS's VPC user guide ("NAT
 * instances", "Create a NAT AMI" for AL2023), FSBP EC2.8 (IMDSv2) and aws-prices.md ("NAT instance").
 */
import * as assert from "node:assert/strict";
import { tierOnly } from "./fixtures";
import { NAT_INSTANCE_TYPES } from "../config/catalog";
import { al2023AmiParameter, natUserData } from "../components/network/nat-instance";
import { mockId, mockPhysicalName } from "../offline/mocks";
import { evaluatePack, synthesizedResources } from "../offline/policy";
import type { ProgramRun } from "../offline/run";
import { estimateCost } from "../scripts/review/cost";
import { fromRun } from "../scripts/review/snapshot";
import { configIssues, ofType, one, policy, stackRun, variantRun } from "./helpers";

const DEV_CIDR = "10.10.0.0/16";
const INSTANCE = "aws:ec2/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const cents = (n: number) => Math.round(n * 100);

describe("NAT instance (network.natGateways: instance)", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
        // dev's tier default (issue 14: dev ≤ $100 a month idle): the stack's own synthesis, shared with the other specs.
        run = await stackRun("dev");
    });

    it("asks awsx for no NAT gateway and creates exactly one NAT instance, a t4g.nano by default", () => {
        assert.equal(one(run, "awsx:ec2:Vpc").inputs.natGateways.strategy, "None");
        assert.equal(ofType(run, "aws:ec2/natGateway:NatGateway").length, 0);
        assert.equal(ofType(run, "aws:ec2/eip:Eip").length, 0);
        const nat = one(run, INSTANCE);
        assert.equal(nat.inputs.instanceType, "t4g.nano");
        // Named by architecture: a type of the other architecture is a new instance (the AMI is ignored after creation).
        assert.equal(nat.name, "dev-network-nat-arm64");
    });

    it("sits in the first public subnet with a public IPv4 and source/destination check off (a NAT forwards others' packets)", () => {
        const nat = one(run, INSTANCE);
        assert.equal(nat.inputs.subnetId, "subnet-public-1");
        assert.equal(nat.inputs.sourceDestCheck, false);
        assert.equal(nat.inputs.associatePublicIpAddress, true);
    });

    it("boots the newest Amazon Linux 2023 for its architecture, and a new AMI never replaces it", () => {
        const lookups = run.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter").map((i) => i.inputs.name);
        assert.deepEqual(lookups, ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"]);
        assert.equal(al2023AmiParameter("x86_64"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        const opts = run.options?.find((o) => o.type === INSTANCE);
        assert.ok(opts, "options recorded for the instance");
        assert.deepEqual(opts!.opts.ignoreChanges, ["ami"]);
    });

    it("requires IMDSv2 with hop limit 1, has no key pair, no detailed monitoring, and automatic recovery on", () => {
        const nat = one(run, INSTANCE);
        assert.equal(nat.inputs.metadataOptions.httpTokens, "required");
        assert.equal(nat.inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.equal(nat.inputs.keyName, undefined);
        assert.equal(ofType(run, "aws:ec2/keyPair:KeyPair").length, 0);
        assert.equal(nat.inputs.monitoring, false);
        assert.equal(nat.inputs.maintenanceOptions.autoRecovery, "default");
    });

    it("has an encrypted gp3 root volume", () => {
        const root = one(run, INSTANCE).inputs.rootBlockDevice;
        assert.equal(root.encrypted, true);
        assert.equal(root.volumeType, "gp3");
    });

    it("configures NAT as AWS's guide does: forwarding on, MASQUERADE out of the default-route interface, FORWARD flushed, rules saved, security updates automatic", () => {
        const script = one(run, INSTANCE).inputs.userData;
        assert.equal(script, natUserData());
        assert.match(script, /^#!\/bin\/bash\n/);
        assert.match(script, /net\.ipv4\.ip_forward = 1' > \/etc\/sysctl\.d\//);
        assert.match(script, /IFACE=\$\(ip -4 route show default/);
        assert.match(script, /iptables -t nat -A POSTROUTING -o "\$IFACE" -j MASQUERADE/);
        assert.match(script, /iptables -F FORWARD/);
        assert.match(script, /iptables-save > \/etc\/sysconfig\/iptables/);
        assert.match(script, /systemctl enable --now iptables/);
        // The iptables service loads its saved file at start: it must start before the rules are added.
        assert.ok(script.indexOf("systemctl enable --now iptables") < script.indexOf("MASQUERADE"));
        assert.match(script, /upgrade_type = security/);
        assert.match(script, /apply_updates = yes/);
        assert.match(script, /systemctl enable --now dnf-automatic\.timer/);
        assert.match(script, /echo latest > \/etc\/dnf\/vars\/releasever/);
        assert.doesNotMatch(script, /sshd|authorized_keys/);
    });

    it("every private route table (those the S3 endpoint is on) sends 0.0.0.0/0 to the instance's network interface", () => {
        const privateTables = [...one(run, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs.routeTableIds].sort();
        assert.equal(privateTables.length, 2, "dev has two AZs");
        const routes = ofType(run, "aws:ec2/route:Route");
        assert.deepEqual(routes.map((r) => r.inputs.routeTableId).sort(), privateTables);
        for (const r of routes) {
            assert.equal(r.inputs.destinationCidrBlock, "0.0.0.0/0");
            assert.equal(r.inputs.networkInterfaceId, `eni-${one(run, INSTANCE).name}`);
        }
    });

    it("its security group admits only the VPC, on the app tier's internet port (443), and leaves on that port only", () => {
        const nat = one(run, INSTANCE);
        const sgName = "dev-network-nat-sg";
        assert.deepEqual(nat.inputs.vpcSecurityGroupIds, [mockId(sgName)]);
        const ingress = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === mockId(sgName));
        assert.deepEqual(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]), [[DEV_CIDR, 443, 443]]);
        const egress = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === mockId(sgName));
        assert.deepEqual(egress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]), [["0.0.0.0/0", 443, 443]]);
        // The app tier leaves the VPC on exactly these ports (components/network.ts app-out-https).
        const appOut = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === mockId("dev-network-app-sg") && r.inputs.cidrIpv4 === "0.0.0.0/0");
        assert.deepEqual(appOut.map((r) => r.inputs.fromPort), ingress.map((r) => r.inputs.fromPort));
    });

    it("no security group in the stack admits the internet (0.0.0.0/0 or ::/0)", () => {
        for (const r of ofType(run, INGRESS)) {
            assert.ok(r.inputs.cidrIpv4 !== "0.0.0.0/0" && r.inputs.cidrIpv6 !== "::/0", `${r.name} admits the internet`);
        }
        for (const g of ofType(run, "aws:ec2/securityGroup:SecurityGroup")) assert.deepEqual(g.inputs.ingress ?? [], [], `${g.name} has inline ingress`);
    });

    it("its instance profile's role is assumable by EC2 only and holds only AmazonSSMManagedInstanceCore", () => {
        const nat = one(run, INSTANCE);
        const profile = one(run, "aws:iam/instanceProfile:InstanceProfile");
        assert.equal(nat.inputs.iamInstanceProfile, mockPhysicalName(profile.name));
        const role = ofType(run, "aws:iam/role:Role").find((r) => r.name === "dev-network-nat");
        assert.ok(role, "the NAT role");
        assert.deepEqual(policy(role!.inputs.assumeRolePolicy).Statement.map((s) => s.Principal), [{ Service: "ec2.amazonaws.com" }]);
        assert.equal(profile.inputs.role, mockPhysicalName(role!.name));
        const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === profile.inputs.role);
        assert.deepEqual(attached.map((a) => a.inputs.policyArn), [SSM_CORE]);
        assert.equal(ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === mockId(role!.name)).length, 0, "no inline policy");
    });

    it("passes the policy pack: no violation at all, and the instance's only waived finding is its public IPv4 (EC2.9)", () => {
        const results = evaluatePack(synthesizedResources(run));
        assert.deepEqual(results.filter((r) => !r.waived).map((r) => `${r.policy} on ${r.name}: ${r.message}`), []);
        const onNat = results.filter((r) => r.name.startsWith("dev-network-nat"));
        assert.deepEqual(onNat.map((r) => [r.policy, r.name]), [["internet-facing-entry-points", "dev-network-nat-arm64"]]);
        assert.equal(onNat[0].type, INSTANCE);
    });

    it("an alarm fires on any failed status check of the instance (1-minute metric, 3 minutes), with ALARM and OK actions; staging's NAT gateway has none", async () => {
        const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/EC2");
        assert.equal(alarms.length, 1);
        const [a] = alarms;
        assert.equal(a.inputs.metricName, "StatusCheckFailed");
        assert.deepEqual(a.inputs.dimensions, { InstanceId: mockId(one(run, INSTANCE).name) });
        assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(a.inputs.threshold, 0);
        assert.equal(a.inputs.period, 60);
        assert.equal(a.inputs.evaluationPeriods, 3);
        assert.ok(a.inputs.alarmActions.length > 0 && a.inputs.okActions.length > 0);
        const staging = await stackRun("staging");
        assert.equal(ofType(staging, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((x) => x.inputs.namespace === "AWS/EC2").length, 0);
    });

    it("the network's idle cost is the hand-computed NAT-instance sum from aws-prices.md, $29.14 under one NAT gateway with its EIP", async () => {
        const h = 730;
        // aws-prices.md "NAT instance": t4g.nano 0.0042/h, its public IPv4 0.005/h, 8 GB gp3 at 0.08/GB-month.
        const expected = 0.0042 * h + 0.005 * h + 8 * 0.08;
        const withInstance = estimateCost(fromRun(run));
        assert.equal(cents(withInstance.perComponent["platform:network:Network"]), cents(expected));
        const withGateway = estimateCost(fromRun(await stackRun("staging"))); // staging: natGateways single
        // One NAT gateway (0.045/h) and its EIP (0.005/h).
        assert.equal(cents(withGateway.perComponent["platform:network:Network"]), cents((0.045 + 0.005) * h));
        assert.equal(cents(withGateway.perComponent["platform:network:Network"] - withInstance.perComponent["platform:network:Network"]), 2914);
    });
});

describe("NAT instance of the other architecture (natInstanceType: t3.nano)", function () {
    this.timeout(60_000);
    it("is a differently named instance booting the x86_64 AMI, still waived only for its public IPv4", async () => {
        const run = await variantRun("dev", { "platform:network": { cidr: DEV_CIDR, natGateways: "instance", natInstanceType: "t3.nano" } });
        const nat = one(run, INSTANCE);
        assert.deepEqual([nat.name, nat.inputs.instanceType], ["dev-network-nat-x86_64", "t3.nano"]);
        assert.deepEqual(run.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter").map((i) => i.inputs.name), [al2023AmiParameter("x86_64")]);
        const results = evaluatePack(synthesizedResources(run));
        assert.deepEqual(results.filter((r) => !r.waived).map((r) => `${r.policy} on ${r.name}`), []);
        for (const r of ofType(run, "aws:ec2/route:Route")) assert.equal(r.inputs.networkInterfaceId, `eni-${nat.name}`);
        // aws-prices.md has no t3.nano rate: the estimate says so instead of guessing (its volume and IPv4 are still priced).
        const cost = estimateCost(fromRun(run));
        assert.ok(cost.notPriced.some((n) => n.includes("instance type t3.nano is not in EC2_LINUX_HOURLY")), cost.notPriced.join("\n"));
        assert.equal(cents(cost.perComponent["platform:network:Network"]), cents(8 * 0.08 + 0.005 * 730));
    });
});

describe("NAT instance config", () => {
    const issues = (network: Record<string, unknown>, tier = "dev") => configIssues({ ...tierOnly(tier), network }, { stack: tier });

    it("accepts every listed instance type with natGateways: instance, and no type at all (the t4g.nano default)", () => {
        for (const type of NAT_INSTANCE_TYPES) assert.deepEqual(issues({ natGateways: "instance", natInstanceType: type }), [], type);
        assert.deepEqual(issues({ natGateways: "instance" }), []);
        assert.deepEqual(issues({ natGateways: "instance" }, "staging"), []);
    });

    it("refuses an unlisted instance type, with the list and a fix", () => {
        for (const type of ["t4g.large", "c7gn.medium", "t4g.nano "]) {
            const [issue, ...rest] = issues({ natGateways: "instance", natInstanceType: type });
            assert.deepEqual(rest, [], type);
            assert.equal(issue.key, "network.natInstanceType");
            assert.equal(issue.value, type);
            assert.match(issue.allowed, /t4g\.nano, t4g\.micro/);
            assert.match(issue.fix, /pulumi config set --path 'network\.natInstanceType' 't4g\.nano' --stack dev/);
        }
    });

    it("refuses natInstanceType with a NAT gateway (it would be ignored), saying how to switch or remove it", () => {
        // The tier's default (staging: single) and the same strategy written out (in dev, whose default is the instance).
        for (const [network, tier] of [[{ natInstanceType: "t4g.micro" }, "staging"], [{ natGateways: "single", natInstanceType: "t4g.micro" }, "dev"]] as const) {
            const [issue, ...rest] = issues(network, tier);
            assert.deepEqual(rest, []);
            assert.equal(issue.key, "network.natGateways");
            assert.equal(issue.value, "single");
            assert.match(issue.allowed, /^instance while network\.natInstanceType is set \(t4g\.micro sizes a NAT instance/);
            assert.match(issue.fix, new RegExp(`pulumi config set --path 'network\\.natGateways' 'instance' --stack ${tier}`));
            assert.match(issue.fix, new RegExp(`remove network\\.natInstanceType from Pulumi\\.${tier}\\.yaml`));
        }
        assert.deepEqual(issues({ natInstanceType: "t4g.micro" }), [], "dev's default is the instance");
    });

    it("prod refuses a NAT instance (perAz only), and with a natInstanceType the fix is removing it, never the instance", () => {
        assert.deepEqual(issues({ natGateways: "instance" }, "prod").map((i) => [i.key, i.value]), [["network.natGateways", "instance"]]);
        const [issue, ...rest] = issues({ natInstanceType: "t4g.nano" }, "prod");
        assert.deepEqual(rest, []);
        assert.deepEqual([issue.key, issue.value], ["network.natGateways", "perAz"]);
        assert.match(issue.allowed, /which prod refuses/);
        assert.equal(issue.fix, "remove network.natInstanceType from Pulumi.prod.yaml");
    });

    it("reports every problem at once: an unknown type, an unknown strategy and an out-of-range AZ count", () => {
        const keys = issues({ natGateways: "nat-box", natInstanceType: "t4g.huge", azCount: 9 }).map((i) => i.key).sort();
        assert.deepEqual(keys, ["network.azCount", "network.natGateways", "network.natInstanceType"]);
        const both = issues({ natGateways: "single", natInstanceType: "t4g.huge", azCount: 1 }).map((i) => i.key).sort();
        assert.deepEqual(both, ["network.azCount", "network.natInstanceType"], "an invalid type is reported once, not also as a conflict");
        const conflict = issues({ natGateways: "single", natInstanceType: "t4g.micro", azCount: 1 }).map((i) => i.key).sort();
        assert.deepEqual(conflict, ["network.azCount", "network.natGateways"]);
    });
});
