import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { NAME_LIMITS, namingIssues } from "../config/naming";
import { knownStacks, ROOT, runProgram } from "../offline/run";
import { configIssues } from "./helpers";

const issuesOf = (raw: Record<string, unknown>, stack: string) => configIssues(raw, { stack });

const API = { cpu: 256, memory: 512, port: 8080, expose: "internal" };
const DIGEST = `sha256:${"b".repeat(64)}`;

/** The longest stack name config allows (20 characters); ends in "test" so stack listings ignore it. */
const EDGE_STACK = "namelimit-edge-xtest";
/** With a 20-character stack, `<stack>-compute-<service>-execution` + 8 random = 64 (IAM's role-name limit) at 17 characters. */
const EDGE_SERVICE = "worker-edge-names";

/**
 * Types the program creates that carry no physical name AWS limits (attachments, rules, settings
 * sub-resources, keys identified by id). A new type must be added here or to NAME_LIMITS, so no
 * named resource goes unchecked.
 */
const NO_PHYSICAL_NAME = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/flowLog:FlowLog",
    "aws:kms/key:Key",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:secretsmanager/secretRotation:SecretRotation",
    "aws:route53/record:Record",
    // Workers: the mapping, integration, routes, invoke permission (statement id) and provisioned concurrency have no name AWS limits here.
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:apigatewayv2/integration:Integration",
    "aws:apigatewayv2/route:Route",
    "aws:lambda/permission:Permission",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    "aws:lb/listener:Listener",
    // Monitoring: a topic's policy and subscriptions, a rule's target have no name of their own.
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:lb/listenerRule:ListenerRule",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:appautoscaling/target:Target",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:acm/certificate:Certificate",
    "aws:acm/certificateValidation:CertificateValidation",
    // Edge: the distribution and health check have ids only; the VPC origin's name is nested (`<project>-<stack>`, at most 32).
    "aws:cloudfront/distribution:Distribution",
    "aws:cloudfront/vpcOrigin:VpcOrigin",
    "aws:route53/healthCheck:HealthCheck",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
]);

describe("physical names fit AWS limits", () => {
    describe("AWS and Pulumi limits, as documented", () => {
        // Literal limits from the AWS API references / provider validators, not from the table under test.
        const documented: Array<[string, number]> = [
            ["aws:iam/role:Role", 64],
            ["aws:lb/loadBalancer:LoadBalancer", 32],
            ["aws:lb/targetGroup:TargetGroup", 32],
            ["aws:rds/instance:Instance", 63],
            ["aws:elasticache/replicationGroup:ReplicationGroup", 40],
            ["aws:s3/bucket:Bucket", 63],
            ["aws:backup/vault:Vault", 50],
            ["aws:backup/selection:Selection", 50],
            ["aws:ecs/taskDefinition:TaskDefinition", 255],
            ["aws:kms/alias:Alias", 256],
            ["aws:ecr/repository:Repository", 256],
            ["aws:cloudwatch/logGroup:LogGroup", 512],
            ["aws:secretsmanager/secret:Secret", 512],
            ["aws:lambda/function:Function", 64],
            ["aws:cloudfront/function:Function", 64],
            ["aws:wafv2/webAcl:WebAcl", 128],
        ];
        for (const [type, max] of documented) {
            it(`${type} names are limited to ${max} characters`, () => {
                assert.equal(NAME_LIMITS[type]?.max, max, `NAME_LIMITS["${type}"]`);
            });
        }
    });

    describe("config refuses names that would not fit, at the edge", () => {
        it(`a 20-character stack with a 17-character service fits (IAM role name exactly 64)`, () => {
            assert.deepEqual(namingIssues("platform", EDGE_STACK, [EDGE_SERVICE]), []);
        });

        it("one character more in the service name is refused, naming the service and the IAM role that would not fit", () => {
            const issues = namingIssues("platform", EDGE_STACK, [`${EDGE_SERVICE}x`]);
            assert.deepEqual(issues.map((i) => i.key), [`services.${EDGE_SERVICE}x`]);
            assert.match(issues[0].allowed, /Role name "namelimit-edge-xtest-compute-worker-edge-namesx-execution-xxxxxxx" would be 65 characters; AWS allows 64/);
            assert.match(issues[0].fix, /use a shorter service name \(at most 17 characters here\)/);
        });

        it("the same service name fits a shorter stack", () => {
            assert.deepEqual(namingIssues("platform", "prod", [`${EDGE_SERVICE}x`]), []);
        });

        // `<stack>-data-cache` + 8 ≤ 40 (ElastiCache replication group id): at most 21 characters.
        it("project platform: a 20-character stack fits the internal load balancer's name (32: <project>-<stack>-in); 21 does not", () => {
            assert.deepEqual(namingIssues("platform", "a".repeat(20), []), []);
            const issues = namingIssues("platform", "a".repeat(21), []);
            assert.deepEqual(issues.map((i) => i.key), ["(stack name)"]);
            assert.match(issues[0].allowed, /LoadBalancer name "platform-a{21}-in" would be 33 characters; AWS allows 32/);
            assert.match(issues[0].fix, /use a shorter stack name \(at most 20 characters here\)/);
        });

        it("a short project: a 21-character stack fits the cache replication group id (40); 22 does not", () => {
            assert.deepEqual(namingIssues("p", "a".repeat(21), []), []);
            const issues = namingIssues("p", "a".repeat(22), []);
            assert.deepEqual(issues.map((i) => i.key), ["(stack name)"]);
            assert.match(issues[0].allowed, /ReplicationGroup name "a{22}-data-cache-xxxxxxx" would be 41 characters; AWS allows 40/);
            assert.match(issues[0].fix, /use a shorter stack name \(at most 21 characters here\)/);
        });

        it("a long service name is refused through the whole config, before any resource", () => {
            const issues = issuesOf({ tier: "dev", services: { [`${EDGE_SERVICE}x`]: API } }, EDGE_STACK);
            const issue = issues.find((i) => i.key === `services.${EDGE_SERVICE}x`);
            assert.ok(issue, `no issue for services.${EDGE_SERVICE}x in stack ${EDGE_STACK}; got ${JSON.stringify(issues)}`);
        });
    });

    describe("the program at the edge", () => {
        it("every named resource of a 20-character prod stack with a 17-character service and 5 replicas fits its AWS limit", async function () {
            this.timeout(60_000);
            const run = await runProgram(
                EDGE_STACK,
                {
                    "platform:database": { readReplicas: 5 },
                    "platform:services": { api: { cpu: 512, memory: 1024, port: 8080, minTasks: 2, paths: ["/api/*", "/health"] }, [EDGE_SERVICE]: { ...API, minTasks: 2 } },
                    "platform:release": {
                        api: { tag: "4f2c9e1", digest: DIGEST },
                        [EDGE_SERVICE]: { tag: "4f2c9e1", digest: DIGEST },
                    },
                },
                "prod",
            );
            assert.equal(run.error, undefined, `stack ${EDGE_STACK}: ${run.error?.message}`);
            const checked = new Set<string>();
            const unclassified = new Set<string>();
            for (const r of run.resources) {
                if (!r.type.startsWith("aws:")) continue;
                const limit = NAME_LIMITS[r.type];
                if (!limit) {
                    if (!NO_PHYSICAL_NAME.has(r.type)) unclassified.add(r.type);
                    continue;
                }
                const explicit = (r.inputs as Record<string, unknown>)[limit.property];
                const length = typeof explicit === "string" ? explicit.length : r.name.length + 8;
                const shown = typeof explicit === "string" ? explicit : `${r.name}-xxxxxxx`;
                assert.ok(length <= limit.max, `stack ${EDGE_STACK}: ${r.type} ${limit.property} "${shown}" is ${length} characters; AWS allows ${limit.max}`);
                checked.add(r.type);
            }
            assert.deepEqual([...unclassified], [], "resource types neither in NAME_LIMITS nor in NO_PHYSICAL_NAME");
            for (const type of ["aws:iam/role:Role", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:s3/bucket:Bucket", "aws:lb/loadBalancer:LoadBalancer", "aws:backup/vault:Vault"]) {
                assert.ok(checked.has(type), `no ${type} was checked in stack ${EDGE_STACK}`);
            }
            const longestRole = Math.max(...run.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name.length + 8));
            assert.equal(longestRole, 64, `stack ${EDGE_STACK}: the edge config should produce a 64-character role name`);
        });
    });
});

describe("stack files", () => {
    const created: string[] = [];
    const write = (name: string, content: string) => {
        const file = path.join(ROOT, name);
        fs.writeFileSync(file, content);
        created.push(file);
    };
    afterEach(() => {
        for (const file of created.splice(0)) fs.rmSync(file, { force: true });
    });

    it("Pulumi's per-stack settings files (Pulumi.<stack>.deploy.yaml) are not stacks", () => {
        write("Pulumi.knowntest.deploy.yaml", "settings:\n  sourceContext:\n    git:\n      branch: main\n");
        const stacks = knownStacks();
        assert.ok(!stacks.includes("knowntest.deploy"), `knownStacks() lists a deploy settings file: ${stacks.join(", ")}`);
    });

    it("a dotted file that is not stack config is not a stack; a dotted stack name with stack config is", () => {
        write("Pulumi.knowntest.notes.yaml", "owner: platform-team\n");
        write("Pulumi.dotted.knowntest.yaml", "config:\n  platform:tier: dev\n");
        const stacks = knownStacks();
        assert.ok(!stacks.includes("knowntest.notes"), `knownStacks() lists a non-stack file: ${stacks.join(", ")}`);
        assert.ok(stacks.includes("dotted.knowntest"), `knownStacks() misses a stack whose name has a period: ${stacks.join(", ")}`);
    });
});
