/**
 * What a StackReference to a primary stack returns offline: the outputs a recovery stack reads
 * (components/recovery PRIMARY_OUTPUTS), as the mocks synthesize them for that stack's file (its
 * region, the mocked RDS ARN of its primary). tests/recovery.spec.ts checks they equal the primary's
 * synthesized outputs, so the two cannot drift.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { childName, componentName, databaseIdentifier } from "../components/naming";
import { ACCOUNT_ID, mockDistributionDomainName, mockId } from "./mocks";

const ROOT = path.join(__dirname, "..");

/** Outputs of `<organization>/<project>/<stack>`, from `Pulumi.<stack>.yaml`; none when no such file exists (requireOutput then fails as it would). */
export function mockPrimaryOutputs(fullName: string): Record<string, unknown> {
    const [, project, stack] = fullName.split("/");
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!project || !stack || !fs.existsSync(file)) return {};
    const config = ((yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> })?.config ?? {});
    const region = String(config[`${project}:region`] ?? "us-east-1");
    return {
        region,
        dbArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${databaseIdentifier(`${project}-${stack}`)}`,
        failover: edgeFailover(config, project, stack),
    };
}

/** The primary's `failover` output (components/edge/failover.ts) as the mocks synthesize it: its distribution and health check by their logical names. */
function edgeFailover(config: Record<string, unknown>, project: string, stack: string): Record<string, unknown> {
    const role = (config[`${project}:edge`] as { failover?: string } | undefined)?.failover ?? "none";
    if (role !== "primary") return { role };
    const domain = (config[`${project}:domain`] ?? {}) as { name?: string; hostedZoneId?: string };
    const edge = componentName(stack, "edge");
    const distribution = childName(edge, "cdn");
    return {
        role,
        siteName: domain.name,
        hostedZoneId: domain.hostedZoneId,
        distributionId: mockId(distribution),
        distributionDomainName: mockDistributionDomainName(distribution),
        healthCheckId: mockId(childName(edge, "health")),
    };
}
