/**
 * A VPC worker's own security group, and the data tier admitting it only on what the worker uses.
 *
 * Like the network's groups (components/network.ts): no inline rules, every rule its own
 * `aws.vpc.SecurityGroup{Ingress,Egress}Rule` resource. The data tier's group carries only such
 * separate rules, so adding more of them here leaves it (attached to the database and the cache)
 * untouched; an inline `ingress` block on it would fight these rules on every `up`.
 *
 * - egress: HTTPS anywhere (AWS APIs — Secrets Manager, S3 through the gateway endpoint, SQS — and
 *   third parties through the NAT gateway), as the app tier has; the database port to the data tier if
 *   the worker uses `database`, the cache port if it uses `cache`;
 * - ingress: none (Lambda is invoked through its API, never over the network);
 * - on the data tier's group: ingress from this group on exactly those ports.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerSettings } from "../../config";
import { childName } from "../naming";
import { PORTS } from "../shared/ports";

/** The data-tier ports a worker reaches: PostgreSQL if it uses the database, Redis if it uses the cache. */
export function workerDataPorts(w: Pick<WorkerSettings, "secrets">): number[] {
    return [...(w.secrets.includes("database") ? [PORTS.postgres] : []), ...(w.secrets.includes("cache") ? [PORTS.redis] : [])];
}

export function createWorkerSecurityGroup(
    name: string,
    w: Pick<WorkerSettings, "name" | "secrets">,
    network: { vpcId: pulumi.Input<string>; dataSecurityGroupId: pulumi.Input<string> },
    parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        childName(name, "sg"),
        // A description change replaces the group (and the function's network interfaces): keep it fixed.
        { vpcId: network.vpcId, description: `Worker ${w.name}: HTTPS out, and the data tier it uses`, revokeRulesOnDelete: true },
        { parent },
    );
    new aws.vpc.SecurityGroupEgressRule(
        childName(name, "out-https"),
        { securityGroupId: sg.id, description: `Worker ${w.name} to HTTPS endpoints`, ipProtocol: "tcp", fromPort: PORTS.https, toPort: PORTS.https, cidrIpv4: "0.0.0.0/0" },
        { parent },
    );
    for (const port of workerDataPorts(w)) {
        const common = { ipProtocol: "tcp", fromPort: port, toPort: port };
        new aws.vpc.SecurityGroupEgressRule(
            childName(name, `to-data-${port}`),
            { ...common, securityGroupId: sg.id, referencedSecurityGroupId: network.dataSecurityGroupId, description: `Worker ${w.name} to data on ${port}` },
            { parent },
        );
        new aws.vpc.SecurityGroupIngressRule(
            childName(name, `data-from-worker-${port}`),
            { ...common, securityGroupId: network.dataSecurityGroupId, referencedSecurityGroupId: sg.id, description: `data from worker ${w.name} on ${port}` },
            { parent },
        );
    }
    return sg;
}
