/**
 * Moving the site's name to the recovery stack (issue 15, README "Failover routing"). Requirements and sources:
 * - CloudFront serves a name from the distribution that lists it as an alternate domain name (one
 *   distribution per name: CNAMEAlreadyExists); moving it (`update-domain-association`, same account)
 *   needs a certificate covering the name on the target and a TXT record `_<name>` naming the target's
 *   domain (CloudFront developer guide, "Move an alternate domain name").
 * - Route 53 refuses failover alias records with a CloudFront distribution on both sides ("For failover
 *   alias records, you can't specify a CloudFront distribution for both the primary and secondary
 *   records": Route 53 API reference, AliasTarget.DNSName): the site keeps plain alias records.
 * - The health-check alarm (the outage's detection) lives in us-east-1, where Route 53 publishes
 *   health-check metrics; a failover primary must have it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { CLOUDFRONT_HOSTED_ZONE_ID, moveCommands, moveTxtName } from "../components/edge/failover";
import { mockDistributionDomainName } from "../offline/mocks";
import { mockPrimaryOutputs } from "../offline/primary-outputs";
import { ProgramRun } from "../offline/run";
import { activeRecoveryRun, configIssues, ofType, Res, settingsFor, stackRun } from "./helpers";

const RECORD = "aws:route53/record:Record";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

function stackFile(stack: string): Record<string, any> {
    const file = yaml.load(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^platform:/, ""), v]));
}
const PROD = stackFile("prod");
const DR = stackFile("prod-dr");
const SITE = PROD.domain.name as string;
const ZONE = PROD.domain.hostedZoneId as string;
const keys = (raw: Record<string, unknown>, stack: string) => configIssues(raw, { stack }).map((i) => i.key);

describe("failover config (platform:edge.failover)", () => {
    it("prod is the primary; a recovery stack with a hosted zone is the secondary without saying so; other stacks none", () => {
        assert.equal(settingsFor(PROD, "prod").edge.failover, "primary");
        assert.equal(settingsFor(DR, "prod-dr").edge.failover, "secondary");
        assert.equal(settingsFor(stackFile("dev"), "dev").edge.failover, "none");
        assert.deepEqual(keys(PROD, "prod"), []);
        assert.deepEqual(keys(DR, "prod-dr"), []);
    });

    it("refuses a failover role without a hosted zone for the site's records and the move's TXT record", () => {
        const noZone = { ...stackFile("dev"), edge: { failover: "primary", healthCheck: true } };
        const issue = configIssues(noZone, { stack: "dev" }).find((i) => i.key === "edge.failover");
        assert.ok(issue);
        assert.match(issue.allowed, /domain\.name and domain\.hostedZoneId/);
    });

    it("refuses a primary without the health check that detects its outage, and accepts it with one", () => {
        assert.deepEqual(keys({ ...PROD, edge: { failover: "primary", healthCheck: false } }, "prod"), ["edge.failover"]);
        assert.deepEqual(keys({ ...PROD, edge: { failover: "primary", healthCheck: true } }, "prod"), []);
    });

    it("refuses primary on a passive recovery stack (an active one may be the primary: prod after a failback), and secondary on a stack that is no recovery stack", () => {
        assert.deepEqual(keys({ ...DR, edge: { failover: "primary" } }, "prod-dr"), ["edge.failover"]);
        assert.deepEqual(keys({ ...DR, edge: { failover: "primary" }, recovery: { ...DR.recovery, active: true } }, "prod-dr"), []);
        assert.deepEqual(keys({ ...PROD, edge: { failover: "secondary" } }, "prod"), ["edge.failover"]);
        assert.deepEqual(keys({ ...DR, edge: { failover: "none" } }, "prod-dr"), [], "a recovery stack may opt out");
    });
});

describe("failover of the site's name (synthesized: prod, prod-dr passive and active)", function () {
    this.timeout(120_000);
    let prod: ProgramRun;
    let dev: ProgramRun;
    let passive: ProgramRun;
    let active: ProgramRun;
    let prodDistribution: Res;
    before(async () => {
        prod = await stackRun("prod");
        dev = await stackRun("dev");
        passive = await stackRun("prod-dr");
        active = await activeRecoveryRun();
        if (active.error) throw active.error;
        prodDistribution = ofType(prod, "aws:cloudfront/distribution:Distribution")[0];
    });
    const aliasRecords = (run: ProgramRun) => ofType(run, RECORD).filter((r) => r.inputs.aliases);
    const distributionDomain = (stack: string) => mockDistributionDomainName(`${stack}-edge-cdn`);

    it("prod keeps plain A and AAAA alias records (Route 53 refuses CloudFront targets on both sides of a failover pair)", () => {
        const records = aliasRecords(prod);
        assert.deepEqual(records.map((r) => r.name).sort(), ["prod-edge-site-a", "prod-edge-site-aaaa"]);
        for (const r of records) {
            assert.deepEqual([r.inputs.name, r.inputs.zoneId, r.inputs.setIdentifier, r.inputs.failoverRoutingPolicies], [SITE, ZONE, undefined, undefined]);
            assert.deepEqual(r.inputs.aliases, [{ name: distributionDomain("prod"), zoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false }]);
        }
        assert.deepEqual(prodDistribution.inputs.aliases, [SITE]);
        assert.deepEqual(ofType(passive, RECORD).filter((r) => r.inputs.name === SITE), [], "prod-dr writes no record of prod's site name (one owner per record)");
    });

    it("the health-check alarm exists in us-east-1 on prod, on the health check it exports; prod-dr has one only once active (no page for a pilot light)", () => {
        const alarm = (run: ProgramRun) => ofType(run, ALARM).filter((a) => String(a.inputs.name).endsWith("edge-health-check"));
        const prodAlarm = alarm(prod);
        assert.equal(prodAlarm.length, 1);
        assert.equal(prodAlarm[0].inputs.region, "us-east-1");
        const healthCheck = ofType(prod, "aws:route53/healthCheck:HealthCheck");
        assert.equal(healthCheck.length, 1);
        assert.equal(prodAlarm[0].inputs.dimensions.HealthCheckId, `${healthCheck[0].name}-id`);
        assert.equal((prod.outputs.failover as Record<string, unknown>).healthCheckId, `${healthCheck[0].name}-id`);
        assert.equal(alarm(passive).length, 0, "passive: RECOVERY_RELAXATIONS turns the health check off");
        assert.equal(alarm(active).length, 1);
        assert.equal(alarm(active)[0].inputs.region, "us-east-1");
    });

    it("failover pieces are present only with a domain: dev (no domain) has no records, no health check and no health-check alarm", () => {
        assert.deepEqual(ofType(dev, RECORD), []);
        assert.deepEqual(ofType(dev, "aws:route53/healthCheck:HealthCheck"), []);
        assert.deepEqual(ofType(dev, ALARM).filter((a) => String(a.inputs.name).endsWith("edge-health-check")), []);
        assert.equal((dev.outputs.failover as { role: string }).role, "none");
    });

    it("prod-dr keeps its own name's plain records", () => {
        const own = ofType(passive, RECORD).filter((r) => r.name.startsWith("prod-dr-edge-site-"));
        assert.deepEqual(own.map((r) => [r.inputs.name, r.inputs.type]).sort(), [[DR.domain.name, "A"], [DR.domain.name, "AAAA"]]);
    });

    it("prod-dr passive: the alias-move TXT record _<site> names its own distribution; the distribution does not list the site yet", () => {
        const txt = ofType(passive, RECORD).filter((r) => r.inputs.type === "TXT");
        assert.equal(txt.length, 1);
        assert.deepEqual([txt[0].inputs.name, txt[0].inputs.zoneId, txt[0].inputs.records, txt[0].inputs.ttl], [`_${SITE}`, ZONE, [distributionDomain("prod-dr")], 60]);
        const d = ofType(passive, "aws:cloudfront/distribution:Distribution")[0];
        assert.deepEqual(d.inputs.aliases, [DR.domain.name], "CloudFront refuses a name another distribution holds (CNAMEAlreadyExists)");
    });

    it("prod-dr: its viewer certificate (us-east-1) covers the site name too, validated through the records prod and compute already own", () => {
        const certs = ofType(passive, "aws:acm/certificate:Certificate").filter((c) => c.inputs.region === "us-east-1");
        assert.equal(certs.length, 1);
        assert.deepEqual([certs[0].inputs.domainName, certs[0].inputs.subjectAlternativeNames], [DR.domain.name, [SITE]]);
        const validation = ofType(passive, "aws:acm/certificateValidation:CertificateValidation").find((v) => v.inputs.region === "us-east-1")!;
        assert.equal(validation.inputs.validationRecordFqdns.length, 2);
        assert.equal(validation.inputs.validationRecordFqdns[1], `_acm-mock.${SITE}`, "the site name's validation record (prod's) by name");
        const computeValidation = ofType(passive, "aws:acm/certificateValidation:CertificateValidation").find((v) => v.inputs.region !== "us-east-1")!;
        assert.equal(validation.inputs.validationRecordFqdns[0], computeValidation.inputs.validationRecordFqdns[0], "its own name through compute's record");
        const d = ofType(passive, "aws:cloudfront/distribution:Distribution")[0];
        assert.equal(d.inputs.viewerCertificate.acmCertificateArn, validation.inputs.certificateArn);
        // No record for the site name's validation: prod's certificate owns it (two owners would delete each other's).
        assert.deepEqual(ofType(passive, RECORD).filter((r) => String(r.inputs.name).includes(SITE) && r.inputs.type === "CNAME"), []);
    });

    it("prod-dr active: the distribution lists the site name, and the TXT record authorizes the move back to prod's distribution", () => {
        const d = ofType(active, "aws:cloudfront/distribution:Distribution")[0];
        assert.deepEqual(d.inputs.aliases, [DR.domain.name, SITE]);
        const txt = ofType(active, RECORD).find((r) => r.inputs.type === "TXT")!;
        assert.deepEqual(txt.inputs.records, [distributionDomain("prod")]);
        const records = (run: ProgramRun) => ofType(run, RECORD).filter((r) => r.inputs.type !== "TXT").map((r) => JSON.stringify([r.name, r.inputs]));
        assert.deepEqual(records(active), records(passive), "no other record changes");
    });

    it("outputs: the switch and failback commands move the site name between the two distributions and repoint its records, by what the stacks export", () => {
        const f = passive.outputs.failover as Record<string, any>;
        assert.equal(f.role, "secondary");
        assert.equal(f.primaryDistributionId, prod.outputs.distributionId);
        assert.equal(f.distributionId, passive.outputs.distributionId);
        assert.deepEqual(f.switchCommands, moveCommands({ name: SITE, hostedZoneId: ZONE }, { distributionId: String(passive.outputs.distributionId), domainName: distributionDomain("prod-dr") }));
        assert.deepEqual(f.failbackCommands, moveCommands({ name: SITE, hostedZoneId: ZONE }, { distributionId: String(prod.outputs.distributionId), domainName: distributionDomain("prod") }));
        const [move, wait, repoint] = f.switchCommands as string[];
        assert.equal(move, `aws cloudfront update-domain-association --domain ${SITE} --target-resource DistributionId=${passive.outputs.distributionId}`);
        assert.equal(wait, `aws cloudfront wait distribution-deployed --id ${passive.outputs.distributionId}`);
        const batch = JSON.parse(/--change-batch '(.*)'$/.exec(repoint)![1]);
        assert.match(repoint, new RegExp(`^aws route53 change-resource-record-sets --hosted-zone-id ${ZONE} `));
        assert.deepEqual(
            batch.Changes.map((c: any) => [c.Action, c.ResourceRecordSet.Name, c.ResourceRecordSet.Type, c.ResourceRecordSet.AliasTarget.DNSName, c.ResourceRecordSet.AliasTarget.HostedZoneId]),
            [
                ["UPSERT", SITE, "A", distributionDomain("prod-dr"), CLOUDFRONT_HOSTED_ZONE_ID],
                ["UPSERT", SITE, "AAAA", distributionDomain("prod-dr"), CLOUDFRONT_HOSTED_ZONE_ID],
            ],
        );
        const primary = prod.outputs.failover as Record<string, any>;
        assert.equal(primary.role, "primary");
        // What prod-dr reads of prod offline is what prod exports (a stack without failover exports role none, which prod-dr refuses at preview).
        assert.deepEqual(mockPrimaryOutputs("acme/platform/prod").failover, primary);
        assert.deepEqual(mockPrimaryOutputs("acme/platform/staging").failover, { role: "none" });
        assert.equal(moveTxtName(SITE), `_${SITE}`);
    });
});
