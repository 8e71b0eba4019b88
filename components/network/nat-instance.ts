/**
 * The NAT instance of `network.natGateways: instance` (README "NAT instance"): one EC2 instance in the
 * first public subnet that masquerades the private subnets' IPv4 traffic, in place of NAT gateways.
 * Built as AWS's VPC user guide builds it ("NAT instances", "Create a NAT AMI", Amazon Linux 2023):
 * IP forwarding on, iptables MASQUERADE out of the primary interface, source/destination check off,
 * a public IPv4, and a default route from every private route table to its network interface.
 *
 * Secure by default: IMDSv2 only (hop limit 1), no key pair and no SSH (Session Manager through an
 * instance profile holding only AmazonSSMManagedInstanceCore), an encrypted gp3 root volume, its own
 * security group admitting only the VPC on the ports the app tier may leave on. Patched in place:
 * dnf-automatic applies security updates from the newest Amazon Linux release; a new AMI never
 * replaces the running instance (`ignoreChanges: ["ami"]`), only an explicit change does.
 *
 * Cost (us-east-1, aws-prices.md "NAT instance"): t4g.nano $0.0042/h ≈ $3.07, its public IPv4
 * $0.005/h ≈ $3.65, 8 GB gp3 ≈ $0.64: ≈ $7.36/month against ≈ $36.50 for one NAT gateway with its EIP.
 * Traffic is billed as EC2 data transfer, with no per-GB processing charge.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_NAT_INSTANCE_TYPE, NAT_INSTANCE_ARCHITECTURES, NatInstanceType } from "../../config/catalog";
import { childName } from "../naming";
import { createServiceRole } from "../shared/iam";
import { PORTS } from "../shared/ports";

export interface NatInstanceArgs {
    vpcId: pulumi.Input<string>;
    /** The VPC's IPv4 block: the only source the NAT admits. */
    vpcCidr: string;
    /** The instance goes into the first one. */
    publicSubnetIds: pulumi.Output<string[]>;
    /** Each one's route table gets `0.0.0.0/0` → the instance's network interface. */
    privateSubnetIds: pulumi.Output<string[]>;
    /** How many private subnets there are (one per AZ): the routes must be known before the subnets exist. */
    privateSubnetCount: number;
    /** EC2 instance type (config/catalog.ts NAT_INSTANCE_ARCHITECTURES). @default "t4g.nano" */
    instanceType?: string;
}

/**
 * Ports the private subnets may leave through the NAT: the app tier's and the workers' only egress to
 * the internet is HTTPS (components/network.ts `app-out-https`, components/workers/security-group.ts).
 * The NAT admits exactly these from the VPC and sends exactly these out.
 */
export const NAT_PORTS = [PORTS.https];

/** Root volume: AL2023 AMIs ship an 8 GiB root snapshot, so 8 GB is the smallest that boots. */
const NAT_ROOT_VOLUME_GB = 8;

/** The AWS managed policy Session Manager needs on an instance (and nothing more is granted). */
const SSM_CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/** The SSM public parameter naming the newest Amazon Linux 2023 AMI for an architecture (AL2023 user guide, "AL2023 AMI IDs via SSM"). */
export function al2023AmiParameter(architecture: "arm64" | "x86_64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

/**
 * The first-boot script, after the VPC user guide's "Create a NAT AMI" for AL2023: install
 * iptables-services, turn on IP forwarding (persisted in sysctl.d), masquerade out of the primary
 * interface (named from the default route: `enX0` on Nitro, not `eth0`), flush the FORWARD chain's
 * default REJECT, and save the rules so the iptables service restores them at boot. Then
 * dnf-automatic applies security updates daily. AL2023 locks dnf to the AMI's release
 * ("deterministic upgrades"), where no newer fixes appear, so the releasever is set to `latest`
 * (AL2023 user guide, "Using persistent override with deterministic upgrade"; amazon-linux-2023
 * discussion #395): AWS advises against untested updates in production, and prod never runs a NAT
 * instance (it must use `perAz`). Kernel updates take effect at the next reboot. Package installs
 * are retried: the public IPv4 may take a moment to be reachable at first boot.
 */
export function natUserData(): string {
    return [
        "#!/bin/bash",
        "set -euo pipefail",
        'retry() { for _ in $(seq 1 30); do "$@" && return 0; sleep 10; done; return 1; }',
        "echo latest > /etc/dnf/vars/releasever",
        "retry dnf install -y iptables-services dnf-automatic",
        "systemctl enable --now iptables",
        "echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat-instance.conf",
        "sysctl -p /etc/sysctl.d/90-nat-instance.conf",
        "IFACE=$(ip -4 route show default | awk '{ print $5; exit }')",
        'iptables -t nat -A POSTROUTING -o "$IFACE" -j MASQUERADE',
        "iptables -F FORWARD",
        "iptables-save > /etc/sysconfig/iptables",
        "sed -i -e 's/^upgrade_type *=.*/upgrade_type = security/' -e 's/^apply_updates *=.*/apply_updates = yes/' /etc/dnf/automatic.conf",
        "systemctl enable --now dnf-automatic.timer",
        "",
    ].join("\n");
}

export interface NatInstance {
    instance: aws.ec2.Instance;
    securityGroup: aws.ec2.SecurityGroup;
    routes: aws.ec2.Route[];
}

/** The NAT instance, its security group, instance profile and the private subnets' default routes. */
export function createNatInstance(name: string, args: NatInstanceArgs, parent: pulumi.Resource): NatInstance {
    const nat = childName(name, "nat");
    const instanceType = (args.instanceType ?? DEFAULT_NAT_INSTANCE_TYPE) as NatInstanceType;
    const architecture = NAT_INSTANCE_ARCHITECTURES[instanceType];
    const securityGroup = createSecurityGroup(nat, args, parent);
    const profile = createInstanceProfile(nat, parent);
    const ami = aws.ssm.getParameterOutput({ name: al2023AmiParameter(architecture) }, { parent }).value;
    // The architecture is in the instance's name: the AMI is ignored after creation (below), so a type of
    // another architecture (t4g ↔ t3) could never boot in place; as a new resource it gets a matching
    // AMI, the routes move to it, and the old instance is deleted.
    const instanceName = childName(nat, architecture);
    const instance = new aws.ec2.Instance(
        instanceName,
        {
            ami,
            instanceType,
            subnetId: args.publicSubnetIds.apply((ids) => ids[0]),
            vpcSecurityGroupIds: [securityGroup.id],
            iamInstanceProfile: profile.name,
            // A NAT forwards packets that are neither from nor to itself (VPC user guide, "Disable source/destination checks").
            sourceDestCheck: false,
            // FSBP EC2.9 cannot hold: a NAT needs a public IPv4 (README "Security controls"). Assigned at
            // launch, so first-boot package installs reach the repositories; kept across reboots and
            // automatic recovery, changed only by a stop/start or a replacement.
            associatePublicIpAddress: true,
            // FSBP EC2.8: IMDSv2 only; hop limit 1, so nothing forwarded can reach the instance's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            // EC2 simplified automatic recovery (T3/T4g, EBS only): a failed host moves the instance, same ENI and IP.
            maintenanceOptions: { autoRecovery: "default" },
            // Basic (5-minute) metrics are free and carry StatusCheckFailed; detailed monitoring is billed.
            monitoring: false,
            // The AWS managed EBS key: the network is built before the data tier that owns the stack's keys.
            rootBlockDevice: { volumeType: "gp3", volumeSize: NAT_ROOT_VOLUME_GB, encrypted: true, deleteOnTermination: true },
            userData: natUserData(),
            tags: { Name: instanceName },
        },
        // The AMI parameter moves to every new AL2023 release; following it would replace the NAT (and
        // cut egress) on an unrelated `up`. dnf-automatic patches in place. Pulumi keeps an ignored input
        // from the state, so even `pulumi up --replace` boots the AMI recorded at creation.
        { parent, ignoreChanges: ["ami"] },
    );
    const routes = Array.from({ length: args.privateSubnetCount }, (_, i) => {
        // awsx gives each private subnet its own route table and, with strategy None, no default route in it.
        const routeTableId = aws.ec2.getRouteTableOutput({ subnetId: args.privateSubnetIds.apply((ids) => ids[i]) }, { parent }).routeTableId;
        return new aws.ec2.Route(
            childName(nat, `route-${i + 1}`),
            { routeTableId, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: instance.primaryNetworkInterfaceId },
            { parent },
        );
    });
    return { instance, securityGroup, routes };
}

/** Only the VPC may use the NAT, on NAT_PORTS; the NAT reaches the internet on the same ports (its own updates and Session Manager are HTTPS too). */
function createSecurityGroup(nat: string, args: NatInstanceArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        childName(nat, "sg"),
        // A description change replaces the group (and stops the instance to swap it): keep it fixed.
        { vpcId: args.vpcId, description: "NAT instance: HTTPS from the VPC, out to the internet", revokeRulesOnDelete: true },
        { parent },
    );
    for (const port of NAT_PORTS) {
        const common = { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: port, toPort: port };
        new aws.vpc.SecurityGroupIngressRule(childName(nat, `in-${port}`), { ...common, cidrIpv4: args.vpcCidr, description: `VPC to NAT on ${port}` }, { parent });
        new aws.vpc.SecurityGroupEgressRule(childName(nat, `out-${port}`), { ...common, cidrIpv4: "0.0.0.0/0", description: `NAT to the internet on ${port}` }, { parent });
    }
    return sg;
}

/** Session Manager (break-glass shell, no SSH): the SSM core managed policy and nothing else. */
function createInstanceProfile(nat: string, parent: pulumi.Resource): aws.iam.InstanceProfile {
    const { role, attachments } = createServiceRole(
        nat,
        { service: "ec2.amazonaws.com", description: "NAT instance: Session Manager only", managedPolicies: [{ policyArn: SSM_CORE_POLICY }] },
        parent,
    );
    return new aws.iam.InstanceProfile(nat, { role: role.name }, { parent, dependsOn: attachments });
}
