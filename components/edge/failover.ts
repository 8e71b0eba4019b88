/**
 * Moving the site's name between two stacks' distributions (README "Failover routing").
 *
 * Each stack has its own CloudFront distribution. CloudFront routes a request by its Host/SNI to the
 * distribution that lists the name as an alternate domain name, whatever address DNS gave the viewer,
 * and a name can be listed by one distribution only (CNAMEAlreadyExists). So DNS alone cannot move the
 * site, and Route 53 failover records cannot even be built for it: "For failover alias records, you
 * can't specify a CloudFront distribution for both the primary and secondary records" (Route 53 API
 * reference, AliasTarget.DNSName). The switch is CloudFront's domain move (`update-domain-association`,
 * same account), for which the target distribution needs a certificate covering the name and a TXT
 * record `_<name>` naming the target's domain; the site's alias records are then repointed.
 *
 * - `primary` (prod): keeps its A/AAAA alias records and its health check (the detection alarm),
 *   and exports what its recovery stack needs (the `failover` output).
 * - `secondary` (a recovery stack): the TXT record that authorizes the next move (to itself while
 *   passive, back to the primary while active), its viewer certificate covering the site name too,
 *   and — active — the site name as an alias of its distribution (after the move: CloudFront refuses
 *   it before). Its `failover` output carries the exact switch and failback commands.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FailoverRole } from "../../config";
import { childName } from "../naming";

/** Route 53's hosted zone id for every CloudFront alias target (Route 53 API reference, AliasTarget.HostedZoneId). */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** TTL of the alias-move TXT record: short, so a corrected value is seen within a minute. */
const MOVE_TXT_TTL_SECONDS = 60;

/** What a recovery stack reads of its primary's edge: the primary's `failover` output. */
export interface PrimaryEdge {
    role: FailoverRole;
    siteName: string;
    hostedZoneId: string;
    distributionId: string;
    distributionDomainName: string;
}

/** The edge's failover role and, for a secondary, what it needs of its primary. @default - none */
export type EdgeFailoverArgs = { role: "none" } | { role: "primary" } | { role: "secondary"; primary: pulumi.Output<PrimaryEdge>; active: boolean };

/** The stack output `failover`: the role, the names the runbook needs, and (secondary) the exact switch and failback commands. */
export interface FailoverOutput {
    role: FailoverRole;
    /** The site's name (a secondary: its primary's, the name it takes over). */
    siteName?: string;
    /** The zone holding the site's records and the alias-move TXT record. */
    hostedZoneId?: string;
    /** This stack's distribution. */
    distributionId?: string;
    distributionDomainName?: string;
    /** The site's health check (primary): the edge-health-check alarm's, which detects the outage. */
    healthCheckId?: string;
    /** The primary's distribution (secondary): the failback target. */
    primaryDistributionId?: string;
    /** Moves the site's name to this stack's distribution (secondary): README "Disaster recovery", runbook step 3. */
    switchCommands?: string[];
    /** Moves it back to the primary's distribution (secondary): the failback. */
    failbackCommands?: string[];
}

/** The TXT record CloudFront checks before moving `siteName` to another distribution. */
export function moveTxtName(siteName: string): string {
    return `_${siteName}`;
}

/**
 * The AWS CLI commands that move `siteName` to a distribution (same account), wait until it serves
 * it, then point the site's A and AAAA alias records at it (Route 53 expects an alias target to list
 * the record's name; traffic already follows the move, since CloudFront routes by Host).
 */
export function moveCommands(site: { name: string; hostedZoneId: string }, target: { distributionId: string; domainName: string }): string[] {
    const changes = ["A", "AAAA"].map((Type) => ({
        Action: "UPSERT",
        ResourceRecordSet: { Name: site.name, Type, AliasTarget: { HostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, DNSName: target.domainName, EvaluateTargetHealth: false } },
    }));
    return [
        `aws cloudfront update-domain-association --domain ${site.name} --target-resource DistributionId=${target.distributionId}`,
        `aws cloudfront wait distribution-deployed --id ${target.distributionId}`,
        `aws route53 change-resource-record-sets --hosted-zone-id ${site.hostedZoneId} --change-batch '${JSON.stringify({ Changes: changes })}'`,
    ];
}

/** The distribution's alternate domain names: its own name, plus (an active secondary) the primary's site name. */
export function siteAliases(domainName: string | undefined, failover: EdgeFailoverArgs): pulumi.Input<string[]> {
    const own = domainName ? [domainName] : [];
    if (failover.role !== "secondary" || !failover.active) return own;
    return failover.primary.apply((p) => [...own, p.siteName]);
}

export interface SiteRecordsArgs {
    zoneId: string;
    siteName: string;
    failover: EdgeFailoverArgs;
    distribution: aws.cloudfront.Distribution;
}

/**
 * The stack's own A/AAAA alias records (`<name>-site-a`, `-site-aaaa`, as before failover existed) and,
 * on a secondary, the move's TXT record `_<primary's site>` in the primary's zone.
 */
export function createSiteRecords(name: string, args: SiteRecordsArgs, parent: pulumi.Resource): void {
    const { failover, distribution } = args;
    const alias = [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }];
    for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(childName(name, `site-${type.toLowerCase()}`), { zoneId: args.zoneId, name: args.siteName, type, aliases: alias }, { parent });
    }
    if (failover.role !== "secondary") return;

    // Authorizes the next move: to this distribution while passive, back to the primary's while active.
    const primary = failover.primary;
    const target = failover.active ? primary.distributionDomainName : distribution.domainName;
    new aws.route53.Record(
        childName(name, "failover-move-txt"),
        { zoneId: primary.hostedZoneId, name: primary.siteName.apply(moveTxtName), type: "TXT", ttl: MOVE_TXT_TTL_SECONDS, records: [target] },
        { parent },
    );
}

function requireHealthCheck(healthCheck: aws.route53.HealthCheck | undefined): aws.route53.HealthCheck {
    // config/rules/failover.ts refuses a primary without a health check (the detection alarm); this guards the wiring.
    if (!healthCheck) throw new Error("edge.failover primary needs the site's health check (edge.healthCheck and a public service routing /health)");
    return healthCheck;
}

/** The stack output `failover` (see FailoverOutput). */
export function failoverOutput(
    failover: EdgeFailoverArgs,
    site: { name?: string; zoneId?: string },
    distribution: aws.cloudfront.Distribution,
    healthCheck: aws.route53.HealthCheck | undefined,
): pulumi.Output<FailoverOutput> {
    if (failover.role === "none") return pulumi.output({ role: "none" as const });
    if (failover.role === "primary") {
        return pulumi
            .all([distribution.id, distribution.domainName, requireHealthCheck(healthCheck).id])
            .apply(([distributionId, distributionDomainName, healthCheckId]) => ({ role: "primary" as const, siteName: site.name, hostedZoneId: site.zoneId, distributionId, distributionDomainName, healthCheckId }));
    }
    return pulumi.all([failover.primary, distribution.id, distribution.domainName]).apply(([p, distributionId, distributionDomainName]) => ({
        role: "secondary" as const,
        siteName: p.siteName,
        hostedZoneId: p.hostedZoneId,
        distributionId,
        distributionDomainName,
        primaryDistributionId: p.distributionId,
        switchCommands: moveCommands({ name: p.siteName, hostedZoneId: p.hostedZoneId }, { distributionId, domainName: distributionDomainName }),
        failbackCommands: moveCommands({ name: p.siteName, hostedZoneId: p.hostedZoneId }, { distributionId: p.distributionId, domainName: p.distributionDomainName }),
    }));
}
