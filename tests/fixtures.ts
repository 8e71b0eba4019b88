/**
 * Shared fixtures for tests that construct a component directly (instead of running a whole stack):
 * fake handles of the components before it, with recognisable values, and a typed base args object
 * each test varies once.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ComputeArgs } from "../components/compute";
import type { DataHandle } from "../components/data";
import type { NetworkHandle } from "../components/network";
import type { ReleasesHandle } from "../components/releases";
import type { QueuesHandle } from "../components/workers";
import { resolveSettings } from "../config";
import { ACCOUNT_ID } from "../offline/mocks";

const out = <T>(value: T) => pulumi.output(value);

/** A network handle with ids named after their role (`sg-app`, `subnet-private-1`, …). */
export function fakeNetwork(): NetworkHandle {
    return {
        vpcId: out("vpc-1"),
        publicSubnetIds: out(["subnet-public-1", "subnet-public-2"]),
        privateSubnetIds: out(["subnet-private-1", "subnet-private-2"]),
        securityGroups: { loadBalancer: out("sg-lb"), app: out("sg-app"), data: out("sg-data") },
    };
}

/** A data handle whose ARNs and names say what they are. */
export function fakeData(): DataHandle {
    const key = (role: string) => out(`arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${role}`);
    const secret = (role: string) => out(`arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${role}`);
    return {
        database: {
            endpoint: out("db.example.internal"),
            readerEndpoints: out([]),
            port: out(5432),
            name: out("app"),
            secretArn: secret("db"),
            arn: out(`arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:platform-unit-postgres`),
            identifier: out("platform-unit-postgres"),
            replicaIdentifiers: out([]),
            subnetGroupName: out("platform-unit-db"),
        },
        cache: { endpoint: out("cache.example.internal"), readerEndpoint: out("cache-ro.example.internal"), authSecretArn: secret("cache"), replicationGroupId: out("cache-1"), clusterMode: false },
        buckets: { uploadsName: out("uploads"), uploadsArn: out("arn:aws:s3:::uploads"), uploadsRegionalDomainName: out("uploads.s3.us-east-1.amazonaws.com"), logsName: out("logs"), logsReadyName: out("logs") },
        keys: { dataArn: key("data"), logsArn: key("logs") },
        backupVaultName: out("vault"),
        backupRoleArn: out(`arn:aws:iam::${ACCOUNT_ID}:role/backup`),
        uploadsReplication: undefined,
    };
}

/** A releases handle with one repository per image, named `platform/unit/<image>`. */
export function fakeReleases(images: string[]): Pick<ReleasesHandle, "repositories"> {
    return {
        repositories: Object.fromEntries(
            images.map((image) => [
                image,
                {
                    url: out(`${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/platform/unit/${image}`),
                    arn: out(`arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/platform/unit/${image}`),
                },
            ]),
        ),
    };
}

/** A queues handle with one queue (and DLQ) per name, `platform-unit-<name>`. */
export function fakeQueues(names: string[]): QueuesHandle {
    const arn = (q: string) => `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:platform-unit-${q}`;
    const url = (q: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT_ID}/platform-unit-${q}`;
    return { queues: Object.fromEntries(names.map((q) => [q, { url: out(url(q)), arn: out(arn(q)), dlqUrl: out(url(`${q}-dlq`)), dlqArn: out(arn(`${q}-dlq`)) }])), scheduleDlqs: {} };
}

/** Compute args for stack `unit` with the staging stack file's services and releases, a brought certificate and the fake handles. */
export function baseComputeArgs(stackFile: { services: unknown; release: unknown; workers?: unknown }): ComputeArgs {
    const settings = resolveSettings(
        {
            tier: "staging",
            services: stackFile.services,
            release: stackFile.release,
            workers: stackFile.workers,
            domain: { name: "x.example.com", certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/a` },
        },
        { project: "platform", stack: "unit" },
    );
    return {
        scope: { project: "platform", stack: "unit" },
        region: "us-east-1",
        settings: settings.compute,
        services: settings.services,
        domain: settings.domain,
        logRetentionDays: 30,
        network: fakeNetwork(),
        data: fakeData(),
        releases: fakeReleases(settings.services.map((svc) => svc.name)),
        queues: fakeQueues(settings.workers.filter((w) => w.trigger.type === "queue").map((w) => w.name)),
    };
}

/**
 * The smallest stack file of a tier that config accepts: staging and prod need a domain (the site's own
 * certificate; CloudFront's default one is dev-only, config/rules/domain.ts), dev needs nothing.
 */
export function tierOnly(tier: string): Record<string, unknown> {
    return tier === "dev" ? { tier } : { tier, domain: { name: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } };
}
