import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, TEST_SECRET } from "../offline/run";
import { isSecretInput, stackRun, TIER_STACKS, unsecret, variantRun } from "./helpers";

/**
 * Stack outputs are a contract: CI, runbooks and `npm run promote` read them by name. The names are
 * the README's "Stack outputs" table; this spec keeps that table and index.ts's exports in step, and
 * pins each output's shape.
 */

/** Output names listed in the README's "Stack outputs" table (first column, in backticks). */
function readmeOutputNames(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const start = readme.search(/^#+ Stack outputs\s*$/m);
    assert.ok(start !== -1, 'README.md has no "Stack outputs" heading');
    const rows = readme.slice(start).split("\n").slice(1);
    const table = rows.slice(rows.findIndex((l) => l.startsWith("|")));
    const names: string[] = [];
    for (const line of table) {
        if (!line.startsWith("|")) break;
        const first = line.split("|")[1];
        names.push(...[...first.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]));
    }
    return names;
}

/** The outputs the README lists by name, as of this spec: the floor the table may grow from. */
const DOCUMENTED = [
    "tier", "region", "vpcId", "publicSubnetIds", "privateSubnetIds", "securityGroupIds",
    "dbEndpoint", "dbReaderEndpoints", "dbPort", "dbName", "dbSecretArn",
    "cacheEndpoint", "cacheReaderEndpoint", "cacheAuthSecretArn",
    "buckets", "kmsKeyArns", "backupVaultName",
    "url", "loadBalancerDnsName", "clusterName", "repositories",
    "release", "services", "migrations", "unreleased",
];

const AZS: Record<string, number> = { dev: 2, staging: 2, prod: 3 };
const READERS: Record<string, number> = { dev: 0, staging: 0, prod: 1 };
const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const SHA = /^[0-9a-f]{40}$/;

/** Every string anywhere inside a value. */
function strings(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(strings);
    if (v !== null && typeof v === "object") return Object.values(v).flatMap(strings);
    return [];
}

describe("stack outputs", () => {
    const listed = readmeOutputNames();

    it("the README's Stack outputs table lists every output CI and the runbooks use", () => {
        const missing = DOCUMENTED.filter((n) => !listed.includes(n));
        assert.deepEqual(missing, [], "README Stack outputs table lost these names");
        assert.equal(new Set(listed).size, listed.length, `README Stack outputs table lists a name twice: ${listed.join(", ")}`);
    });

    for (const stack of TIER_STACKS) {
        describe(`${stack} stack`, () => {
            it("exports exactly the outputs the README's Stack outputs table lists", async () => {
                const exported = Object.keys((await stackRun(stack)).outputs).sort();
                assert.deepEqual(exported.filter((n) => !listed.includes(n)), [], `${stack}: exported but not in the README Stack outputs table`);
                assert.deepEqual(listed.filter((n) => !exported.includes(n)), [], `${stack}: in the README Stack outputs table but not exported`);
            });

            it("no output is secret or carries a secret value (ARNs of secrets only)", async () => {
                const run = await stackRun(stack);
                assert.deepEqual(run.secretOutputs, [], `${stack}: outputs derived from secrets`);
                const secretValues = run.resources.flatMap((r) =>
                    Object.values(r.inputs).filter(isSecretInput).map(unsecret).filter((v): v is string => typeof v === "string" && v.length >= 12),
                );
                assert.ok(secretValues.length >= 2, `${stack}: expected the cache AUTH token among the secret inputs`);
                for (const [name, value] of Object.entries(run.outputs)) {
                    for (const s of strings(value)) {
                        assert.ok(!s.includes(TEST_SECRET), `${stack}: output ${name} carries a stack-file secret`);
                        for (const secret of secretValues) assert.ok(!s.includes(secret), `${stack}: output ${name} carries a secret input's value`);
                    }
                }
            });

            it("network outputs: vpcId, one public and one private subnet per AZ, the three tier security groups", async () => {
                const o = (await stackRun(stack)).outputs;
                assert.match(o.vpcId as string, /^vpc-/, `${stack}: vpcId`);
                assert.equal((o.publicSubnetIds as string[]).length, AZS[stack], `${stack}: publicSubnetIds count`);
                assert.equal((o.privateSubnetIds as string[]).length, AZS[stack], `${stack}: privateSubnetIds count`);
                for (const id of [...(o.publicSubnetIds as string[]), ...(o.privateSubnetIds as string[])]) assert.match(id, /^subnet-/, `${stack}: subnet id`);
                const sgs = o.securityGroupIds as Record<string, unknown>;
                assert.deepEqual(Object.keys(sgs).sort(), ["app", "data", "loadBalancer"], `${stack}: securityGroupIds keys`);
                for (const [k, v] of Object.entries(sgs)) assert.ok(isString(v), `${stack}: securityGroupIds.${k}`);
                assert.equal(o.tier, stack, `${stack}: tier`);
                assert.equal(o.region, "us-east-1", `${stack}: region`);
            });

            it("data outputs: endpoints, port 5432, database app, secrets as Secrets Manager ARNs, keys as KMS ARNs", async () => {
                const o = (await stackRun(stack)).outputs;
                assert.ok(isString(o.dbEndpoint), `${stack}: dbEndpoint`);
                assert.equal((o.dbReaderEndpoints as string[]).length, READERS[stack], `${stack}: dbReaderEndpoints count`);
                assert.equal(o.dbPort, 5432, `${stack}: dbPort`);
                assert.equal(o.dbName, "app", `${stack}: dbName`);
                assert.match(o.dbSecretArn as string, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:/, `${stack}: dbSecretArn`);
                assert.match(o.cacheAuthSecretArn as string, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:/, `${stack}: cacheAuthSecretArn`);
                assert.ok(isString(o.cacheEndpoint) && isString(o.cacheReaderEndpoint), `${stack}: cache endpoints`);
                assert.deepEqual(Object.keys(o.buckets as object).sort(), ["logs", "uploads"], `${stack}: buckets keys`);
                for (const v of Object.values(o.buckets as object)) assert.ok(isString(v), `${stack}: bucket name`);
                const keys = o.kmsKeyArns as Record<string, string>;
                assert.deepEqual(Object.keys(keys).sort(), ["data", "logs"], `${stack}: kmsKeyArns keys`);
                for (const [k, v] of Object.entries(keys)) assert.match(v, /^arn:aws:kms:us-east-1:\d{12}:key\//, `${stack}: kmsKeyArns.${k}`);
                assert.ok(isString(o.backupVaultName), `${stack}: backupVaultName`);
            });

            it("compute outputs: url (https in every tier, through CloudFront), repositories, release by tag and digest, services by digest", async () => {
                const o = (await stackRun(stack)).outputs;
                assert.match(o.url as string, /^https:\/\//, `${stack}: url scheme`);
                assert.ok(isString(o.loadBalancerDnsName) && isString(o.clusterName), `${stack}: loadBalancerDnsName, clusterName`);
                const repos = o.repositories as Record<string, string>;
                assert.ok(Object.keys(repos).includes("api"), `${stack}: repositories.api`);
                for (const [svc, url] of Object.entries(repos)) {
                    assert.match(url, new RegExp(`^\\d{12}\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/platform/${stack}/${svc}$`), `${stack}: repositories.${svc}`);
                }
                const release = o.release as Record<string, { repositoryUrl: string; tag: string; digest: string }>;
                assert.ok(Object.keys(release).length >= 1, `${stack}: release lists the pinned images`);
                for (const [svc, r] of Object.entries(release)) {
                    assert.deepEqual(Object.keys(r).sort(), ["digest", "repositoryUrl", "tag"], `${stack}: release.${svc} fields`);
                    assert.equal(r.repositoryUrl, repos[svc], `${stack}: release.${svc}.repositoryUrl`);
                    assert.match(r.tag, SHA, `${stack}: release.${svc}.tag is a commit SHA`);
                    assert.match(r.digest, DIGEST, `${stack}: release.${svc}.digest`);
                }
                const services = o.services as Record<string, { image: string; minTasks: number; maxTasks: number; expose: string }>;
                for (const [svc, s] of Object.entries(services)) {
                    assert.equal(s.image, `${release[svc].repositoryUrl}@${release[svc].digest}`, `${stack}: services.${svc}.image runs the released digest`);
                    assert.ok(Number.isInteger(s.minTasks) && s.minTasks >= 1 && s.maxTasks >= s.minTasks, `${stack}: services.${svc} task bounds`);
                    assert.ok(["public", "internal"].includes(s.expose), `${stack}: services.${svc}.expose`);
                }
                for (const [svc, cmd] of Object.entries(o.migrations as Record<string, string>)) {
                    assert.match(cmd, /^aws ecs run-task .*--cluster \S+ .*assignPublicIp=DISABLED/, `${stack}: migrations.${svc}`);
                }
                assert.deepEqual(o.unreleased, {}, `${stack}: unreleased (every committed service has a release)`);
            });
        });
    }

    it("a service without a pinned release is listed in unreleased with how to ship it, and absent from services and release", async () => {
        const run = await variantRun("dev", { release: {} });
        assert.equal(run.error, undefined, String(run.error));
        const unreleased = run.outputs.unreleased as Record<string, string>;
        assert.ok("api" in unreleased, "dev without releases: unreleased.api");
        assert.match(unreleased.api, /release\.api\.tag/, "dev without releases: unreleased.api says which config to set");
        assert.deepEqual(run.outputs.release, {}, "dev without releases: release");
        assert.deepEqual(run.outputs.services, {}, "dev without releases: services");
    });
});
