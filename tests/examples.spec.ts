/**
 * The five seed systems as stack configurations (examples/<name>/, README "Examples"): every example is
 * synthesized once per stack (one shared `before` per example, 15 runs in all), under the same config
 * rules as the root stacks, and each seed's headline requirements are checked on what it registers.
 * Expected values come from the seed documents (/work/shared/seeds/000-004), not from the program.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { EXAMPLES_DIR, knownExamples, ProgramRun, runProgram } from "../offline/run";
import { findPlaceholders } from "../scripts/placeholders";
import { evaluatePack, mandatoryViolations, synthesizedResources } from "../offline/policy";
import { ACCOUNT_ID, mockId, mockPhysicalName } from "../offline/mocks";
import { ofType, policy, Res, runPlan } from "./helpers";

const STACKS = ["dev", "staging", "prod"] as const;
type Stack = (typeof STACKS)[number];
type Runs = Record<Stack, ProgramRun>;

const T = {
    fn: "aws:lambda/function:Function",
    alias: "aws:lambda/alias:Alias",
    esm: "aws:lambda/eventSourceMapping:EventSourceMapping",
    pc: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    queue: "aws:sqs/queue:Queue",
    api: "aws:apigatewayv2/api:Api",
    integration: "aws:apigatewayv2/integration:Integration",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dist: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    acl: "aws:wafv2/webAcl:WebAcl",
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    db: "aws:rds/instance:Instance",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    bucket: "aws:s3/bucket:Bucket",
    backupPlan: "aws:backup/plan:Plan",
    provider: "pulumi:providers:aws",
} as const;

const EXAMPLES = ["roof-ml", "rideshare", "serverless-api", "monorepo-web", "marketplace"];
/** The examples whose seeds put CloudFront in front of the stored files (000, 001, 004), at the path their stack files choose. */
const UPLOADS_PATH: Record<string, string> = { "roof-ml": "/uploads/*", rideshare: "/uploads/*", marketplace: "/images/*" };
/** The examples without a public service: no load balancer (and, without any service, no cluster). */
const NO_PUBLIC_SERVICE: Record<string, { cluster: boolean }> = { "roof-ml": { cluster: false }, "serverless-api": { cluster: false }, "monorepo-web": { cluster: true } };

/** The example's stack file, as the team reads it (for the release pins it declares). */
function stackFile(example: string, stack: Stack): { config: Record<string, any> } {
    return yaml.load(fs.readFileSync(path.join(EXAMPLES_DIR, example, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> };
}

/** Runs the three stacks of one example once, in order (the mock monitor is global). */
function synthesize(example: string): Runs {
    const runs = {} as Runs;
    before(async function () {
        this.timeout(600_000); // three whole-program runs on a shared 2-core machine
        for (const stack of STACKS) runs[stack] = await runProgram(stack, {}, stack, path.join(EXAMPLES_DIR, example));
    });
    return runs;
}

const containers = (td: Res): Array<Record<string, any>> => JSON.parse(td.inputs.containerDefinitions);
const envOf = (c: Record<string, any>): Record<string, string> => Object.fromEntries((c.environment ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
const named = (rs: Res[], part: string): Res[] => rs.filter((r) => r.name.includes(part));
const only = <R = Res>(rs: R[], what: string): R => {
    assert.equal(rs.length, 1, `exactly one ${what}, got ${rs.map((r: any) => r.name ?? r.originId ?? r.pathPattern).join(", ") || "none"}`);
    return rs[0];
};
/** Every metric an alarm reads (its own, or each of a metric-math alarm's). */
const alarmMetrics = (a: Res): Array<Record<string, any>> =>
    a.inputs.metricName ? [{ namespace: a.inputs.namespace, metricName: a.inputs.metricName, dimensions: a.inputs.dimensions }] : (a.inputs.metricQueries ?? []).filter((q: any) => q.metric).map((q: any) => q.metric);
const alarmEndingIn = (run: ProgramRun, suffix: string): Res => only(ofType(run, T.alarm).filter((a) => String(a.inputs.name).endsWith(suffix)), `alarm *${suffix}`);

const SEED_CHECKS: Record<string, (runs: Runs, example: string) => void> = {
    // Seed 000: "ML Processing: AWS Lambda + ECR (Docker containers)", "Queue: AWS SQS", "Storage: AWS S3 +
    // CloudFront CDN", rollback "Lambda: AWS Lambda version aliases".
    "roof-ml": (runs, example) => {
        for (const stack of STACKS) {
            it(`${stack}: the ML processor is an ECR image by digest, fed by its queue with a dead-letter queue, invoked through an alias`, () => {
                const run = runs[stack];
                const fn = only(named(ofType(run, T.fn), "roof-ml-processor"), "ML processor function");
                const pinned = stackFile(example, stack).config["platform:release"]["roof-ml-processor"].digest;
                assert.equal(fn.inputs.packageType, "Image");
                assert.match(fn.inputs.imageUri, new RegExp(`\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/.+@${pinned}$`));
                const queues = named(ofType(run, T.queue), "roof-ml-processor");
                const dlq = only(queues.filter((q) => q.name.endsWith("-dlq")), "dead-letter queue");
                const main = only(queues.filter((q) => !q.name.endsWith("-dlq")), "work queue");
                const redrive = JSON.parse(main.inputs.redrivePolicy);
                assert.ok(redrive.deadLetterTargetArn, "the work queue redrives to a dead-letter queue");
                assert.ok(dlq.inputs.messageRetentionSeconds >= 4 * 86400, "the DLQ keeps failed messages for days");
                const alias = only(named(ofType(run, T.alias), "roof-ml-processor"), "alias");
                const esm = only(ofType(run, T.esm), "event source mapping");
                assert.match(String(esm.inputs.functionName), new RegExp(`:${alias.inputs.name}$`), "the queue invokes the alias, never $LATEST");
                assert.equal(fn.inputs.environment.variables.UPLOADS_BUCKET !== undefined, true, "the processor reads the S3 uploads");
                assert.equal(ofType(run, T.dist).length, 1, "S3 + CloudFront CDN");
            });
        }
    },

    // Seed 001: ECS Fargate API, RDS PostgreSQL, ElastiCache Redis, S3, CloudFront, region eu-north-1, images
    // tagged with the commit SHA (`${{ github.sha }}`), alembic migrations after the image, WAF.
    rideshare: (runs, example) => {
        for (const stack of STACKS) {
            it(`${stack}: the API runs its image by digest with the commit SHA recorded, behind CloudFront + WAF, with uploads`, () => {
                const run = runs[stack];
                const release = stackFile(example, stack).config["platform:release"].api;
                assert.match(release.tag, /^[0-9a-f]{40}$/, "the stack file pins a full commit SHA");
                const td = only(ofType(run, T.taskDef).filter((t) => String(t.inputs.family).includes("api") && !String(t.inputs.family).endsWith("-migrate")), "api task definition");
                const [app] = containers(td).filter((c) => c.name === "api");
                assert.ok(app.image.endsWith(`@${release.digest}`), `image by digest: ${app.image}`);
                assert.equal(envOf(app).RELEASE_TAG, release.tag, "the commit SHA the image was built from");
                assert.ok(envOf(app).UPLOADS_BUCKET && envOf(app).REDIS_HOST && envOf(app).DB_HOST, "uploads, cache and database wired");
                const migrate = containers(td).find((c) => c.name === "api-migrate");
                assert.deepEqual(migrate?.command, ["python", "-m", "alembic", "upgrade", "head"]);
                const dist = only(ofType(run, T.dist), "distribution");
                assert.ok(dist.inputs.webAclId, "WAF in front");
                assert.ok((dist.inputs.orderedCacheBehaviors ?? []).some((b: any) => b.pathPattern === "/api/*"), "the API is behind CloudFront");
                assert.ok(ofType(run, T.bucket).some((b) => b.name.includes("uploads")), "an uploads bucket");
                const provider = ofType(run, T.provider).find((p) => p.name === `${stack}-aws`);
                assert.equal(provider?.inputs.region, "eu-north-1");
            });
        }
    },

    // Seed 002: Lambda behind API Gateway, RDS, "Warmup Functions", alert thresholds
    // (error 1 % / 5 %, response 1 s / 3 s, memory and DB connections 80 % / 95 %), dev "Basic" monitoring.
    "serverless-api": (runs) => {
        for (const stack of STACKS) {
            it(`${stack}: the thresholds 1 %/5 %, 1 s/3 s and 80 %/95 % are in the alarms`, () => {
                const run = runs[stack];
                assert.equal(alarmEndingIn(run, "api-error-rate-warning").inputs.threshold, 1);
                assert.equal(alarmEndingIn(run, "api-error-rate-critical").inputs.threshold, 5);
                const p95w = alarmEndingIn(run, "api-api-p95-warning");
                assert.equal(p95w.inputs.threshold, 1000, "1 s, in the milliseconds API Gateway reports");
                assert.equal(alarmEndingIn(run, "api-api-p95-critical").inputs.threshold, 3000);
                assert.ok(alarmMetrics(p95w).some((m) => m.namespace === "AWS/ApiGateway" && m.metricName === "Latency"));
                assert.equal(alarmEndingIn(run, "cache-memory-warning").inputs.threshold, 80);
                assert.equal(alarmEndingIn(run, "cache-memory-critical").inputs.threshold, 95);
                const w = alarmEndingIn(run, "db-connections-warning").inputs.threshold;
                const c = alarmEndingIn(run, "db-connections-critical").inputs.threshold;
                assert.ok(Math.abs(w / c - 80 / 95) < 0.02, `DB connections alarms at 80 % and 95 % of the same maximum (${w}, ${c})`);
                assert.equal(ofType(run, T.service).length, 0, "serverless: no ECS service");
                const integration = only(ofType(run, T.integration), "integration");
                assert.match(String(integration.inputs.integrationUri), /:live$/, "API Gateway invokes the alias");
            });
        }
        it("prod keeps the API warm (provisioned concurrency on the alias); dev and staging pay for none", () => {
            const pc = only(ofType(runs.prod, T.pc), "provisioned concurrency");
            assert.equal(pc.inputs.qualifier, "live");
            assert.ok(pc.inputs.provisionedConcurrentExecutions >= 1);
            assert.equal(ofType(runs.dev, T.pc).length + ofType(runs.staging, T.pc).length, 0);
        });
    },

    // Seed 003: "Frontend is static and can be deployed to CDN", "Backend is serverless (Lambda)" with an
    // alias for rollback, "Agent runs in containers (ECS)".
    "monorepo-web": (runs) => {
        for (const stack of STACKS) {
            it(`${stack}: frontend through OAC, the Lambda API behind an alias, the agent on ECS without a load balancer`, () => {
                const run = runs[stack];
                const oac = only(ofType(run, T.oac), "origin access control");
                assert.equal(oac.inputs.originAccessControlOriginType, "s3");
                assert.equal(oac.inputs.signingBehavior, "always");
                const dist = only(ofType(run, T.dist), "distribution");
                assert.ok(dist.inputs.origins.some((o: any) => o.originAccessControlId), "the S3 origin is read through OAC");
                const integration = only(ofType(run, T.integration), "integration");
                assert.match(String(integration.inputs.integrationUri), /backend.*:live$/);
                const agent = only(named(ofType(run, T.service), "agent"), "agent service");
                assert.equal(agent.inputs.launchType ?? "FARGATE", "FARGATE");
                assert.deepEqual(agent.inputs.loadBalancers ?? [], [], "no load balancer in front of the agent");
                assert.equal(named(ofType(run, T.targetGroup), "agent").length, 0);
            });
        }
    },

    // Seed 004: ECS Fargate + autoscaling, RDS PostgreSQL Multi-AZ + read replicas, ElastiCache Redis
    // (cluster mode), WAF, backups retained 30 days, automatic rollback on error rate > 5 %, 10 % canary.
    marketplace: (runs) => {
        for (const stack of STACKS) {
            it(`${stack}: Redis in cluster mode; services get the configuration endpoint; alarms watch every node`, () => {
                const run = runs[stack];
                const rg = only(ofType(run, T.cache), "replication group");
                assert.equal(rg.inputs.clusterMode, "enabled");
                assert.match(rg.inputs.parameterGroupName, /\.cluster\.on$/);
                assert.equal(rg.inputs.automaticFailoverEnabled, true, "cluster mode requires automatic failover");
                assert.equal(rg.inputs.numCacheClusters, undefined, "numCacheClusters conflicts with numNodeGroups");
                const td = only(ofType(run, T.taskDef).filter((t) => String(t.inputs.family).endsWith("api")), "api task definition");
                const env = envOf(containers(td).find((c) => c.name === "api")!);
                assert.match(env.REDIS_HOST, /^clustercfg\./, "the configuration endpoint (the mocks name it clustercfg.<group>)");
                assert.equal(env.REDIS_CLUSTER, "true");
                const nodes = rg.inputs.numNodeGroups * (1 + rg.inputs.replicasPerNodeGroup);
                const ids = alarmMetrics(alarmEndingIn(run, "cache-cpu-warning")).map((m) => m.dimensions.CacheClusterId);
                assert.equal(ids.length, nodes, "one metric per node");
                assert.ok(ids.every((id) => /-\d{4}-\d{3}$/.test(id)), `cluster-mode member ids <group>-<shard>-<node>: ${ids.join(", ")}`);
            });
        }
        it("prod: Multi-AZ PostgreSQL with a read replica, 30-day backups, sharded cache with a replica per shard", () => {
            const dbs = ofType(runs.prod, T.db);
            const primary = only(dbs.filter((d) => !d.inputs.replicateSourceDb), "primary");
            assert.equal(primary.inputs.multiAz, true);
            assert.equal(primary.inputs.backupRetentionPeriod, 30);
            assert.ok(dbs.filter((d) => d.inputs.replicateSourceDb).length >= 1, "read replicas");
            const plan = only(ofType(runs.prod, T.backupPlan), "backup plan");
            assert.ok(plan.inputs.rules.every((r: any) => r.lifecycle.deleteAfter === 30), "AWS Backup keeps 30 days");
            const rg = only(ofType(runs.prod, T.cache), "replication group");
            assert.ok(rg.inputs.numNodeGroups >= 2, "sharded");
            assert.ok(rg.inputs.replicasPerNodeGroup >= 1, "a replica per shard");
            assert.equal(rg.inputs.multiAzEnabled, true);
        });
        it("staging and prod: WAF in front, deployment alarms roll back, 10 % canary; dev deploys rolling", () => {
            for (const stack of ["staging", "prod"] as const) {
                const run = runs[stack];
                const acl = only(ofType(run, T.acl), "web ACL");
                assert.ok(acl.inputs.rules.length > 0);
                assert.ok(only(ofType(run, T.dist), "distribution").inputs.webAclId);
                const svc = only(named(ofType(run, T.service), "api"), "api service");
                const alarms = svc.inputs.alarms;
                assert.equal(alarms.enable, true);
                assert.equal(alarms.rollback, true);
                const fiveXx = ofType(run, T.alarm).find((a) => a.inputs.name === alarms.alarmNames.find((n: string) => n.endsWith("5xx")));
                assert.equal(fiveXx?.inputs.threshold, 5, "automatic rollback at error rate > 5 %");
                assert.equal(svc.inputs.deploymentConfiguration.strategy, "CANARY");
                assert.equal(svc.inputs.deploymentConfiguration.canaryConfiguration.canaryPercent, 10);
            }
            assert.equal(only(named(ofType(runs.dev, T.service), "api"), "dev api service").inputs.deploymentConfiguration, undefined);
        });
    },
};

/**
 * Uploads through CloudFront (seeds 000 and 001 "S3 + CloudFront", 004 "S3 Bucket (Images)" behind
 * CloudFront): a read-only, HTTPS-only behaviour at `path` to the uploads bucket through origin access
 * control, the bucket readable by this distribution only and only under the served key prefix, and the
 * data key (SSE-KMS) decryptable by CloudFront for this account's distributions only.
 */
function checkUploadsThroughCdn(runs: Runs, path: string): void {
    for (const stack of STACKS) {
        it(`${stack}: CloudFront in front of the uploads at ${path}: GET/HEAD over HTTPS through OAC, the bucket and its key admit this distribution only`, () => {
            const run = runs[stack];
            const dist = only(ofType(run, T.dist), "distribution");
            const uploadsBucket = only(ofType(run, T.bucket).filter((b) => b.name.endsWith("-data-uploads")), "uploads bucket");
            const bucketName = uploadsBucket.inputs.bucket ?? mockPhysicalName(uploadsBucket.name);
            const origin = only((dist.inputs.origins as any[]).filter((o) => /^(.+)\.s3\.[a-z0-9-]+\.amazonaws\.com$/.exec(o.domainName)?.[1] === bucketName), "uploads origin");
            assert.ok(origin.originAccessControlId, "read through origin access control");
            const oac = only(ofType(run, T.oac).filter((o) => mockId(o.name) === origin.originAccessControlId), "the origin's OAC");
            assert.equal(oac.inputs.signingBehavior, "always");
            const behaviour = only((dist.inputs.orderedCacheBehaviors as any[]).filter((b) => b.pathPattern === path), `behaviour ${path}`);
            assert.equal(behaviour.targetOriginId, origin.originId);
            assert.deepEqual([...behaviour.allowedMethods].sort(), ["GET", "HEAD"], "read-only: the app writes with its IAM role");
            assert.equal(behaviour.viewerProtocolPolicy, "https-only");
            assert.ok(behaviour.cachePolicyId, "cached");
            const headers = only(ofType(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").filter((h) => mockId(h.name) === behaviour.responseHeadersPolicyId), "the behaviour's headers policy");
            assert.match(headers.inputs.securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy, /\bsandbox\b/, "an uploaded file never runs as the site");

            const distributionArn = `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${mockId(dist.name)}`;
            const bucketPolicy = policy(only(ofType(run, "aws:s3/bucketPolicy:BucketPolicy").filter((b) => b.name === uploadsBucket.name), "uploads bucket policy").inputs.policy);
            const cdn = bucketPolicy.Statement.filter((st) => st.Principal?.Service === "cloudfront.amazonaws.com");
            assert.equal(cdn.length, 1);
            assert.equal(cdn[0].Effect, "Allow");
            assert.equal(cdn[0].Action, "s3:GetObject");
            assert.deepEqual(cdn[0].Condition, { StringEquals: { "AWS:SourceArn": distributionArn } }, "this distribution only");
            assert.equal(cdn[0].Resource, `arn:aws:s3:::${bucketName}/${path.slice(1, -1)}*`, "the served key prefix only");
            assert.ok(bucketPolicy.Statement.some((st) => st.Effect === "Deny" && st.Condition?.Bool?.["aws:SecureTransport"] === "false"), "still TLS only");

            const dataKey = only(ofType(run, "aws:kms/key:Key").filter((k) => k.name.endsWith("-data-data-key")), "data key");
            const grants = policy(dataKey.inputs.policy).Statement.filter((st) => st.Principal?.Service === "cloudfront.amazonaws.com");
            assert.equal(grants.length, 1);
            assert.deepEqual(grants[0].Action, ["kms:Decrypt"], "decrypt only: CloudFront never writes");
            assert.deepEqual(grants[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/*` } });
        });
    }
}

/** What a stack without public services leaves out (no load balancer to reach) and without any service (no cluster). */
function checkComputeShape(runs: Runs, expected: { cluster: boolean }): void {
    for (const stack of STACKS) {
        it(`${stack}: no load balancer, no VPC origin, no API behaviour (no public service)${expected.cluster ? "; the cluster for its services" : "; no ECS cluster (no service)"}`, () => {
            const run = runs[stack];
            assert.equal(ofType(run, "aws:lb/loadBalancer:LoadBalancer").length + ofType(run, "aws:lb/listener:Listener").length, 0);
            assert.equal(ofType(run, "aws:cloudfront/vpcOrigin:VpcOrigin").length, 0);
            const dist = only(ofType(run, T.dist), "distribution");
            assert.deepEqual((dist.inputs.origins as any[]).filter((o) => o.vpcOriginConfig), [], "no VPC origin on the distribution");
            const s3Origins = (dist.inputs.origins as any[]).filter((o) => o.originAccessControlId).map((o) => o.originId);
            assert.deepEqual((dist.inputs.orderedCacheBehaviors ?? []).filter((b: any) => !s3Origins.includes(b.targetOriginId)), [], "nothing routed to a load balancer: every behaviour reads a bucket");
            assert.equal(ofType(run, "aws:ecs/cluster:Cluster").length, expected.cluster ? 1 : 0);
            assert.equal(ofType(run, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.endsWith("-deploy-failed")).length, expected.cluster ? 1 : 0, "ECS deployment failures are watched where ECS deploys");
            assert.equal(run.outputs.loadBalancerDnsName, undefined);
            if (stack !== "dev") {
                // No load balancer certificate to share its DNS validation record: the edge's certificate has its own.
                const validations = ofType(run, "aws:acm/certificateValidation:CertificateValidation");
                assert.equal(validations.length, 1, "one certificate: CloudFront's, in us-east-1");
                assert.equal(validations[0].inputs.region, "us-east-1");
                assert.equal(ofType(run, "aws:route53/record:Record").filter((r) => r.name.endsWith("-edge-site-cert-validation")).length, 1, "its validation record");
            }
        });
    }
}

describe("examples (README \"Examples\")", () => {
    it("are the five seed systems, each with a stack file per tier and a README", () => {
        assert.deepEqual(knownExamples(), [...EXAMPLES].sort());
        for (const ex of EXAMPLES) {
            for (const stack of STACKS) assert.equal(stackFile(ex, stack).config["platform:tier"], stack, `${ex}/Pulumi.${stack}.yaml names its tier`);
            assert.ok(fs.existsSync(path.join(EXAMPLES_DIR, ex, "README.md")), `${ex} has a README`);
            // Made-up release pins must be flagged by the plan, so a team adopting the example replaces them.
            for (const stack of STACKS) {
                const flagged = findPlaceholders(stackFile(ex, stack).config).map((p) => p.key);
                for (const image of Object.keys(stackFile(ex, stack).config["platform:release"])) {
                    assert.ok(flagged.includes(`platform:release.${image}.digest`), `${ex}/${stack}: the plan warns about release.${image}.digest (${flagged.join(", ")})`);
                }
            }
        }
    });

    it("npm run plan -- <stack> --example <name> refuses an unknown example, listing the five (exit 2, nothing synthesized)", async function () {
        this.timeout(120_000);
        const r = await runPlan(["dev", "--example", "nope"], 110_000);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /unknown example "nope"/);
        assert.deepEqual(/\(examples: ([^)]*)\)/.exec(r.stderr)?.[1].split(", "), [...EXAMPLES].sort());
    });

    for (const example of EXAMPLES) {
        describe(example, () => {
            const runs = synthesize(example);
            for (const stack of STACKS) {
                it(`${stack}: synthesizes with zero config errors, every pinned image deployed`, () => {
                    const run = runs[stack];
                    assert.equal(run.error, undefined, `${example}/${stack}: ${run.error?.message}`);
                    assert.deepEqual(run.outputs.unreleased ?? {}, {}, "every declared service and worker has a release");
                });
            }
            SEED_CHECKS[example](runs, example);
            if (NO_PUBLIC_SERVICE[example] !== undefined) checkComputeShape(runs, NO_PUBLIC_SERVICE[example]);
            if (UPLOADS_PATH[example] !== undefined) checkUploadsThroughCdn(runs, UPLOADS_PATH[example]);
            it("every stack: zero mandatory policy violations (what config accepts, the policy pack accepts)", () => {
                for (const stack of STACKS) {
                    const violations = mandatoryViolations(evaluatePack(synthesizedResources(runs[stack])));
                    assert.deepEqual(violations.map((r) => `${stack}: ${r.policy} on ${r.name}: ${r.message}`), []);
                }
            });
        });
    }
});
