import * as assert from "node:assert/strict";
import * as yaml from "js-yaml";
import * as fs from "node:fs";
import * as path from "node:path";
import { lifecyclePolicy, targetGroupName, TLS_POLICY } from "../components/compute";
import { rulePriority } from "../config";
import { capacityStrategy, healthCheckGracePeriod, serviceOptions } from "../components/compute/service";
import { taskStatements, XRAY_WRITE_STATEMENT } from "../components/compute/policies";
import { XRAY_DAEMON } from "../components/compute/container";
import * as pulumi from "@pulumi/pulumi";
import { resolve, ROOT } from "../offline/run";
import { ACCOUNT_ID, installMocks, mockArn, mockId, mockKeyArn, mockPhysicalName, mockRepositoryArn } from "../offline/mocks";
import { settle } from "../offline/run";
import * as aws from "@pulumi/aws";
import { Compute, ReleaseOutput, ServiceDimensions, ServiceOutput } from "../components/compute";
import { deploymentAlarmNames } from "../components/naming";
import { baseComputeArgs } from "./fixtures";
import { changedResources, ofType, one, policy, recordResourceOptions, Res, stackRun, TIER_STACKS, variantRun } from "./helpers";

const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The parts of a stack file these specs read. */
interface StackFile {
    "platform:release": Record<string, { tag: string; digest: string }>;
    "platform:services": Record<string, { port: number } & Record<string, unknown>>;
    "platform:domain"?: { name: string };
    "platform:workers"?: Record<string, unknown>;
}
function stackFile(stack: string): StackFile {
    return (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: StackFile }).config;
}
/** A container definition, as far as these specs read it. */
interface Container {
    name: string;
    image: string;
    essential: boolean;
    command?: string[];
    dependsOn?: { containerName: string; condition: string }[];
    portMappings?: unknown[];
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    readonlyRootFilesystem: boolean;
    mountPoints: unknown[];
    user: string;
    privileged: boolean;
    logConfiguration: { logDriver: string; options: Record<string, string> };
}
const containersOf = (task: Res): Container[] => JSON.parse(task.inputs.containerDefinitions);
/** The task's own containers: the app (and its migration), without the X-Ray daemon sidecar (tested in tests/monitoring-deploy.spec.ts). */
const appContainersOf = (task: Res): Container[] => containersOf(task).filter((c) => c.name !== XRAY_DAEMON);
const bucketsOf = (run: { outputs: Record<string, unknown> }) => run.outputs.buckets as { uploads: string; logs: string };
/** The id the mocks give a tier's security group (`lb`, `app`) in a stack. */
const sgId = (stack: string, role: "lb" | "app") => mockId(`${stack}-network-${role}-sg`);
const serviceNamed = (run: { resources: Res[] }, stack: string, svc: string) => one(run, SERVICE, `${stack}-compute-${svc}`);
const taskNamed = (run: { resources: Res[] }, stack: string, svc: string) => one(run, TASK, `${stack}-compute-${svc}`);

describe("compute", () => {
    for (const stack of TIER_STACKS) {
        describe(stack, () => {
            it("every service task runs its pinned image by digest from the stack's own repository", async () => {
                const run = await stackRun(stack);
                const release = stackFile(stack)["platform:release"];
                const tasks = ofType(run, TASK);
                assert.ok(tasks.length >= 2);
                for (const task of tasks) {
                    for (const c of appContainersOf(task)) {
                        // A migration container (`<service>-migrate`) runs its service's image.
                        const image = c.name.replace(/-migrate$/, "");
                        assert.equal(c.image, `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/platform/${stack}/${image}@${release[image].digest}`);
                        assert.doesNotMatch(c.image, /:[0-9a-f]{7,40}$|:latest$/, "never by tag");
                    }
                }
            });

            it("tasks get no public IP and run in private subnets in the app security group", async () => {
                const run = await stackRun(stack);
                assert.equal(ofType(run, SERVICE).length, 2);
                for (const svc of ofType(run, SERVICE)) {
                    assert.equal(svc.inputs.networkConfiguration.assignPublicIp, false);
                    assert.deepEqual(svc.inputs.networkConfiguration.subnets, run.outputs.privateSubnetIds);
                    assert.deepEqual(svc.inputs.networkConfiguration.securityGroups, [sgId(stack, "app")]);
                }
            });

            it("traffic flows CloudFront → internal load balancer → service, and the service accepts it from the load balancer only", async () => {
                const run = await stackRun(stack);
                const lbSg = sgId(stack, "lb");
                const appSg = sgId(stack, "app");
                const alb = one(run, "aws:lb/loadBalancer:LoadBalancer");
                assert.deepEqual(alb.inputs.securityGroups, [lbSg]);
                // Internal, in the private subnets: only CloudFront's VPC origin reaches it (README "Edge").
                assert.equal(alb.inputs.internal, true);
                assert.deepEqual(alb.inputs.subnets, run.outputs.privateSubnetIds);
                const api = stackFile(stack)["platform:services"].api;
                const lbOut = ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === lbSg);
                assert.deepEqual(lbOut.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]), [[api.port, appSg]]);
                const appIn = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === appSg);
                assert.deepEqual(
                    appIn.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]).sort(),
                    [[api.port, lbSg], [stackFile(stack)["platform:services"].notifier.port, appSg]].sort(),
                    "app accepts the load balancer on the public port and itself on the internal port",
                );
                const target = one(run, "aws:lb/targetGroup:TargetGroup", "compute-api");
                assert.equal(serviceNamed(run, stack, "api").inputs.loadBalancers[0].targetGroupArn, mockArn(target.type, target.name));
            });

            it("rolls deployments with the circuit breaker and automatic rollback, never below the running count", async () => {
                const services = ofType(await stackRun(stack), SERVICE);
                assert.equal(services.length, 2);
                for (const svc of services) {
                    assert.deepEqual(svc.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                    assert.equal(svc.inputs.deploymentMinimumHealthyPercent, 100);
                    assert.equal(svc.inputs.deploymentMaximumPercent, 200);
                }
            });

            it("containers: read-only root, writable /tmp, non-root, unprivileged, ARM64, logs to an encrypted log group", async () => {
                const run = await stackRun(stack);
                for (const task of ofType(run, TASK)) {
                    assert.deepEqual(task.inputs.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
                    assert.deepEqual(task.inputs.volumes, [{ name: "tmp" }]);
                    assert.notEqual(task.inputs.executionRoleArn, task.inputs.taskRoleArn);
                    for (const c of containersOf(task)) {
                        assert.equal(c.readonlyRootFilesystem, true);
                        assert.deepEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
                        // Non-root everywhere: the app as the service's user, the X-Ray daemon as its image's own uid (10001).
                        assert.equal(c.user, c.name === "xray-daemon" ? "10001:10001" : "1000:1000");
                        assert.equal(c.privileged, false);
                        assert.equal(c.logConfiguration.logDriver, "awslogs");
                        assert.match(c.logConfiguration.options["awslogs-group"], new RegExp(`^/platform/${stack}/services/`));
                    }
                }
                for (const group of ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name?.startsWith("/platform/"))) {
                    assert.equal(group.inputs.kmsKeyId, mockKeyArn(`${stack}-data-logs-key`));
                }
            });

            it("secrets come from Secrets Manager, never from plain environment values", async () => {
                const run = await stackRun(stack);
                const [api] = containersOf(taskNamed(run, stack, "api"));
                const bySecret = Object.fromEntries(api.secrets.map((s) => [s.name, s.valueFrom]));
                assert.equal(bySecret.DB_PASSWORD, `${run.outputs.dbSecretArn}:password::`);
                assert.equal(bySecret.DB_USERNAME, `${run.outputs.dbSecretArn}:username::`);
                assert.equal(bySecret.REDIS_AUTH_TOKEN, `${run.outputs.cacheAuthSecretArn}:authToken::`);
                for (const task of ofType(run, TASK)) {
                    for (const c of containersOf(task)) {
                        for (const e of c.environment) {
                            // The one SECRET-named value is a secret's ARN (where to re-read rotated credentials).
                            if (e.name === "DB_SECRET_ARN") assert.equal(e.value, run.outputs.dbSecretArn);
                            else assert.doesNotMatch(e.name, /PASSWORD|SECRET|TOKEN|ACCESS_KEY/, `${c.name} ${e.name}`);
                        }
                    }
                }
                const env = Object.fromEntries(api.environment.map((e) => [e.name, e.value]));
                assert.equal(env.DB_HOST, run.outputs.dbEndpoint);
                assert.equal(env.FEATURE_NEW_CHECKOUT, "false");
                assert.equal(env.UPLOADS_BUCKET, bucketsOf(run).uploads);
                assert.equal(env.RELEASE_TAG, stackFile(stack)["platform:release"].api.tag);
            });

            it("task and execution role policies name their resources (only ecr:GetAuthorizationToken is account-wide)", async () => {
                const run = await stackRun(stack);
                const policies = ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.includes("-compute-"));
                assert.ok(policies.length >= 3);
                for (const p of policies) {
                    for (const st of policy(p.inputs.policy).Statement) {
                        const resources = [st.Resource].flat();
                        // X-Ray has no resource-level permissions: the daemon's write actions are account-wide too.
                        if (resources.includes("*")) assert.ok([["ecr:GetAuthorizationToken"], XRAY_WRITE_STATEMENT.Action].some((a) => JSON.stringify(a) === JSON.stringify(st.Action)), `${p.name} ${st.Sid}`);
                        for (const a of [st.Action].flat()) assert.doesNotMatch(a, /^\*$|:\*$/, `${p.name} wildcard action ${a}`);
                    }
                }
                const apiTask = policy(one(run, "aws:iam/rolePolicy:RolePolicy", "compute-api-task").inputs.policy).Statement;
                const uploads = `arn:aws:s3:::${bucketsOf(run).uploads}`;
                const dataKey = mockKeyArn(`${stack}-data-data-key`);
                assert.deepEqual(apiTask.map((s) => s.Resource), ["*", [`arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${stack}-queues-inference-abc1234`], run.outputs.dbSecretArn, dataKey, uploads, `${uploads}/*`, dataKey]);
                for (const svc of ["api", "notifier"]) {
                    const exec = policy(one(run, "aws:iam/rolePolicy:RolePolicy", `compute-${svc}-execution`).inputs.policy).Statement;
                    const bySid = Object.fromEntries(exec.map((s) => [s.Sid, s.Resource]));
                    assert.equal(bySid.PullOwnImage, mockRepositoryArn(`platform/${stack}/${svc}`), `${svc} pulls only its own repository`);
                    assert.equal(bySid.WriteOwnLogs, `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/platform/${stack}/services/${svc}:*`, `${svc} writes only its own logs`);
                }
                const notifierExec = policy(one(run, "aws:iam/rolePolicy:RolePolicy", "compute-notifier-execution").inputs.policy).Statement;
                const secretsRead = notifierExec.find((s) => s.Sid === "ReadInjectedSecrets")!;
                assert.deepEqual(secretsRead.Resource, [run.outputs.cacheAuthSecretArn], "notifier reads only the cache secret");
                const notifierTask = policy(one(run, "aws:iam/rolePolicy:RolePolicy", "compute-notifier-task").inputs.policy).Statement;
                assert.deepEqual(notifierTask, [XRAY_WRITE_STATEMENT], "notifier's task role may only send traces");
            });

            it("repositories: immutable tags, scan on push, KMS, lifecycle keeping the tier's number of releases", async () => {
                const run = await stackRun(stack);
                const repos = ofType(run, "aws:ecr/repository:Repository");
                assert.deepEqual(repos.map((r) => r.inputs.name).sort(), [`platform/${stack}/api`, `platform/${stack}/api-fn`, `platform/${stack}/cleanup`, `platform/${stack}/inference`, `platform/${stack}/notifier`]);
                for (const repo of repos) {
                    assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
                    assert.equal(repo.inputs.imageScanningConfiguration.scanOnPush, true);
                    assert.deepEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: mockKeyArn(`${stack}-data-data-key`) }]);
                }
                const keep = { dev: 10, staging: 20, prod: 50 }[stack];
                const policies = ofType(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
                assert.deepEqual(policies.map((p) => p.inputs.repository).sort(), repos.map((r) => r.inputs.name).sort(), "one lifecycle policy per repository");
                for (const lp of policies) {
                    const rules = JSON.parse(lp.inputs.policy).rules;
                    assert.deepEqual(rules[0].selection, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
                    assert.deepEqual(rules[1].selection, { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keep });
                }
            });

            it("the cluster has Container Insights; the load balancer drops invalid headers and logs to the logs bucket", async () => {
                const run = await stackRun(stack);
                assert.deepEqual(one(run, "aws:ecs/cluster:Cluster").inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
                const alb = one(run, "aws:lb/loadBalancer:LoadBalancer");
                assert.equal(alb.inputs.dropInvalidHeaderFields, true);
                assert.deepEqual(alb.inputs.accessLogs, { bucket: bucketsOf(run).logs, prefix: "alb", enabled: true });
                assert.equal(alb.inputs.enableDeletionProtection, stack === "prod");
                assert.ok(alb.inputs.name.length <= 32);
                const tg = one(run, "aws:lb/targetGroup:TargetGroup");
                assert.equal(tg.inputs.healthCheck.path, "/health");
                assert.equal(tg.inputs.targetType, "ip");
                assert.equal(tg.inputs.deregistrationDelay, 30);
                assert.ok(tg.inputs.name.length <= 32);
            });

            it("exports what it runs: release (repository, tag, digest per image) and services with their bounds", async () => {
                const run = await stackRun(stack);
                const pinned = stackFile(stack)["platform:release"];
                const release = run.outputs.release as ReleaseOutput;
                assert.deepEqual(Object.keys(release).sort(), ["api", "api-fn", "cleanup", "inference", "notifier"]);
                for (const [image, rel] of Object.entries(release)) {
                    assert.deepEqual(rel, { repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/platform/${stack}/${image}`, tag: pinned[image].tag, digest: pinned[image].digest });
                }
                const services = run.outputs.services as Record<string, ServiceOutput>;
                assert.match(services.api.image, /@sha256:[0-9a-f]{64}$/);
            });

            it("prints the one-off migration command for the service that declares one; it prints the task ARN", async () => {
                const run = await stackRun(stack);
                const migrate = one(run, TASK, "compute-api-migrate");
                const containers = containersOf(migrate);
                assert.deepEqual(containers.map((c) => [c.name, c.essential, c.command]), [["api-migrate", true, ["node", "dist/migrate.js"]]]);
                const cmd = (run.outputs.migrations as Record<string, string>).api;
                assert.match(cmd, new RegExp(`^aws ecs run-task --region us-east-1 --cluster ${run.outputs.clusterName} --task-definition arn:\\S+compute-api-migrate --launch-type FARGATE`));
                assert.ok(cmd.endsWith(" --query 'tasks[0].taskArn' --output text"), cmd);
                assert.match(cmd, new RegExp(`subnets=\\[${(run.outputs.privateSubnetIds as string[]).join(",")}\\]`));
                assert.match(cmd, new RegExp(`securityGroups=\\[${sgId(stack, "app")}\\],assignPublicIp=DISABLED`));
                assert.deepEqual(Object.keys(run.outputs.migrations as object), ["api"]);
            });

            it("a service with a migration runs it in every new task before the app starts: same digest, app waits for exit 0", async () => {
                const run = await stackRun(stack);
                const pinned = stackFile(stack)["platform:release"].api.digest;
                const [app, migrate, ...rest] = appContainersOf(taskNamed(run, stack, "api"));
                assert.equal(rest.length, 0);
                assert.equal(app.name, "api");
                assert.equal(app.essential, true);
                assert.deepEqual(app.dependsOn, [{ containerName: "api-migrate", condition: "SUCCESS" }], "the app starts only after the migration exits 0");
                assert.equal(migrate.name, "api-migrate");
                // ECS refuses a SUCCESS dependency on an essential container; a finished migration must not stop the task.
                assert.equal(migrate.essential, false);
                assert.deepEqual(migrate.command, ["node", "dist/migrate.js"]);
                assert.equal(migrate.image, app.image);
                assert.ok(app.image.endsWith(`@${pinned}`));
                assert.equal(migrate.portMappings, undefined, "the migration serves nothing");
                // It connects like the app: same injected database credentials.
                assert.deepEqual(migrate.secrets, app.secrets);
                assert.equal(migrate.readonlyRootFilesystem, true);
                // The service runs this task definition, not the one-off migration task.
                assert.equal(serviceNamed(run, stack, "api").inputs.taskDefinition, mockArn(TASK, `${stack}-compute-api`));
            });

            it("a service without a migration runs its one container with no start dependency", async () => {
                const containers = appContainersOf(taskNamed(await stackRun(stack), stack, "notifier"));
                assert.deepEqual(containers.map((c) => [c.name, c.essential, c.dependsOn]), [["notifier", true, undefined]]);
            });

            it("exports per service the ECS service name, the task definition it deploys and its log group", async () => {
                const run = await stackRun(stack);
                const services = run.outputs.services as Record<string, ServiceOutput>;
                assert.deepEqual(Object.keys(services).sort(), ["api", "notifier"]);
                for (const svc of ["api", "notifier"]) {
                    const ecs = serviceNamed(run, stack, svc);
                    assert.equal(services[svc].name, mockPhysicalName(`${stack}-compute-${svc}`), "the mocks' auto-name of the ECS service");
                    assert.equal(services[svc].taskDefinitionArn, ecs.inputs.taskDefinition);
                    assert.equal(services[svc].logGroup, `/platform/${stack}/services/${svc}`);
                }
            });
        });
    }

    describe("per tier", () => {
        it("pulumi up waits for a steady rollout in staging and prod, not in dev", async () => {
            const expected = { dev: false, staging: true, prod: true };
            for (const stack of TIER_STACKS) {
                const services = ofType(await stackRun(stack), SERVICE);
                assert.equal(services.length, 2);
                for (const svc of services) assert.equal(svc.inputs.waitForSteadyState, expected[stack], `${stack} ${svc.name}`);
            }
        });

        it("autoscaling bounds: dev 1-2 and staging 2-4 from the tier, prod from its stack file (3-12)", async () => {
            const bounds = async (stack: string) =>
                ofType(await stackRun(stack), "aws:appautoscaling/target:Target")
                    .filter((t) => t.name.endsWith("-api"))
                    .map((t) => [t.inputs.minCapacity, t.inputs.maxCapacity]);
            assert.deepEqual(await bounds("dev"), [[1, 2]]);
            assert.deepEqual(await bounds("staging"), [[2, 4]]);
            assert.deepEqual(await bounds("prod"), [[3, 12]]);
        });

        it("scales on CPU, memory and (public services) requests per target", async () => {
            const run = await stackRun("prod");
            const policies = ofType(run, "aws:appautoscaling/policy:Policy").map((p) => [p.name.replace("prod-compute-", ""), p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType]);
            assert.deepEqual(policies.sort(), [
                ["api-cpu", "ECSServiceAverageCPUUtilization"],
                ["api-memory", "ECSServiceAverageMemoryUtilization"],
                ["api-requests", "ALBRequestCountPerTarget"],
                ["notifier-cpu", "ECSServiceAverageCPUUtilization"],
                ["notifier-memory", "ECSServiceAverageMemoryUtilization"],
            ]);
            const requests = one(run, "aws:appautoscaling/policy:Policy", "api-requests");
            assert.match(requests.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel, /^app\/platform-prod-in\/\w+\/targetgroup\//);
        });

        it("dev runs on Fargate Spot; staging and prod on on-demand Fargate", async () => {
            const expected = { dev: "FARGATE_SPOT", staging: "FARGATE", prod: "FARGATE" };
            for (const stack of TIER_STACKS) {
                const services = ofType(await stackRun(stack), SERVICE);
                assert.equal(services.length, 2);
                for (const svc of services) {
                    assert.deepEqual(svc.inputs.capacityProviderStrategies, [{ capacityProvider: expected[stack], weight: 1 }], `${stack} ${svc.name}`);
                }
            }
            assert.deepEqual(capacityStrategy(true), [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
        });

        it("with a domain: HTTPS on a TLS 1.3 policy with a DNS-validated certificate, HTTP redirected to HTTPS", async () => {
            for (const stack of ["staging", "prod"]) {
                const run = await stackRun(stack);
                const listeners = ofType(run, "aws:lb/listener:Listener");
                const https = listeners.find((l) => l.inputs.protocol === "HTTPS")!;
                assert.equal(https.inputs.sslPolicy, TLS_POLICY);
                assert.match(TLS_POLICY, /TLS13/);
                assert.equal(https.inputs.port, 443);
                const http = listeners.find((l) => l.inputs.protocol === "HTTP")!;
                assert.deepEqual(http.inputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
                assert.equal(listeners.length, 2);
                const domain = stackFile(stack)["platform:domain"];
                assert.ok(domain, `${stack} configures a domain`);
                // The load balancer's certificate is for the site's host (CloudFront forwards Host and checks the origin against it), in the stack's region.
                const cert = one(run, "aws:acm/certificate:Certificate", `${stack}-compute-cert`);
                assert.equal(cert.inputs.validationMethod, "DNS");
                assert.equal(cert.inputs.domainName, domain.name);
                assert.equal(cert.inputs.region, undefined, "the load balancer's certificate is in the provider's (stack's) region");
                // The site's DNS names CloudFront, not the (internal) load balancer.
                assert.deepEqual(ofType(run, "aws:route53/record:Record").filter((r) => r.name.startsWith(`${stack}-compute-`) && !r.name.endsWith("cert-validation")), []);
                assert.equal(run.outputs.url, `https://${domain.name}`);
                const rule = one(run, "aws:lb/listenerRule:ListenerRule");
                assert.equal(rule.inputs.listenerArn, mockArn("aws:lb/listener:Listener", `${stack}-compute-https`));
            }
        });

        it("dev without a domain: the internal load balancer serves HTTP only; viewers still get HTTPS from CloudFront", async () => {
            const run = await stackRun("dev");
            const listeners = ofType(run, "aws:lb/listener:Listener");
            assert.deepEqual(listeners.map((l) => [l.inputs.protocol, l.inputs.port]), [["HTTP", 80]]);
            assert.match(run.outputs.url as string, /^https:\/\/.*\.cloudfront\.net$/);
        });

        it("an existing certificate can be used instead of issuing one", async () => {
            const run = await variantRun("staging", { "platform:domain": { name: "staging-api.example.com", certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/abc-123` } });
            assert.equal(run.error, undefined);
            assert.equal(ofType(run, "aws:acm/certificate:Certificate").length, 0);
            const https = ofType(run, "aws:lb/listener:Listener").find((l) => l.inputs.protocol === "HTTPS")!;
            assert.equal(https.inputs.certificateArn, `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/abc-123`);
        });
    });

    it("runs ARM64 by default and x86_64 where a service asks for it", async () => {
        const services = stackFile("dev")["platform:services"];
        const run = await variantRun("dev", { "platform:services": { ...services, notifier: { ...services.notifier, architecture: "x86_64" } } });
        assert.equal(run.error, undefined);
        assert.equal(taskNamed(run, "dev", "api").inputs.runtimePlatform.cpuArchitecture, "ARM64");
        assert.equal(taskNamed(run, "dev", "notifier").inputs.runtimePlatform.cpuArchitecture, "X86_64");
    });

    it("only a service publishing a Service Connect name (internal) is replaced delete-before-create", async () => {
        const recorded = (await import("./helpers")).recordResourceOptions("dev");
        const services = (await recorded).filter((r) => r.type === SERVICE);
        assert.deepEqual(
            services.map((s) => [s.name, s.opts.deleteBeforeReplace === true]).sort(),
            [["dev-compute-api", false], ["dev-compute-notifier", true]],
        );
        assert.deepEqual(serviceOptions({ expose: "internal" }), { deleteBeforeReplace: true });
        assert.deepEqual(serviceOptions({ expose: "public" }), {});
    });

    it("a public service with a migration gets 300 s of health-check grace (the migration runs first), else 60 s", async () => {
        const run = await stackRun("staging");
        assert.equal(serviceNamed(run, "staging", "api").inputs.healthCheckGracePeriodSeconds, 300);
        assert.equal(healthCheckGracePeriod({}), 60);
        assert.equal(serviceNamed(run, "staging", "notifier").inputs.healthCheckGracePeriodSeconds, undefined, "no load balancer, no grace period");
    });

    it("task definitions wait for their roles' policies", async () => {
        const { recordResourceOptions } = await import("./helpers");
        const recorded = await recordResourceOptions("staging");
        const tasks = recorded.filter((r) => r.type === TASK);
        assert.ok(tasks.length >= 3);
        for (const t of tasks) {
            const deps = [t.opts.dependsOn].flat();
            assert.ok(deps.some((d) => d instanceof aws.iam.RolePolicy), t.name);
        }
    });

    describe("deployment alarms (the hook monitoring will use)", () => {
        const stagingFile = () => ({ services: stackFile("staging")["platform:services"], release: stackFile("staging")["platform:release"], workers: stackFile("staging")["platform:workers"] });

        it("a service given alarm names rolls its deployment back when they fire; without them, no alarms block", async () => {
            const recorded = installMocks("platform", "unit", "us-east-1");
            const names = deploymentAlarmNames({ project: "platform", stack: "unit" }, "api");
            new Compute("unit-compute", { ...baseComputeArgs(stagingFile()), deploymentAlarmNames: { api: names } });
            await settle(recorded);
            const api = one(recorded, SERVICE, "unit-compute-api");
            assert.deepEqual(api.inputs.alarms, { alarmNames: names, enable: true, rollback: true });
            assert.equal(one(recorded, SERVICE, "unit-compute-notifier").inputs.alarms, undefined);
        });

        it("the alarm names are a pure function of project, stack and service, so compute knows them before monitoring exists", () => {
            const names = deploymentAlarmNames({ project: "platform", stack: "prod" }, "api");
            assert.deepEqual(names, ["platform-prod-api-deploy-5xx", "platform-prod-api-deploy-p99", "platform-prod-api-deploy-unhealthy-hosts"]);
            assert.notDeepEqual(deploymentAlarmNames({ project: "platform", stack: "staging" }, "api"), names, "stacks in one account never share an alarm");
            for (const n of names) assert.ok(n.length <= 255, "CloudWatch alarm names are at most 255 characters");
        });

        it("monitoring gets each deployed service's metric dimensions: cluster and service, plus target group and load balancer for public services", async () => {
            const recorded = installMocks("platform", "unit", "us-east-1");
            const compute = new Compute("unit-compute", baseComputeArgs(stagingFile()));
            const dims = await new Promise<Record<string, ServiceDimensions>>((res) => compute.serviceDimensions.apply(res));
            await settle(recorded);
            const cluster = one(recorded, "aws:ecs/cluster:Cluster");
            assert.deepEqual(Object.keys(dims).sort(), ["api", "notifier"]);
            assert.deepEqual(dims.notifier, { clusterName: mockPhysicalName(cluster.name), serviceName: mockPhysicalName("unit-compute-notifier") });
            const tg = one(recorded, "aws:lb/targetGroup:TargetGroup");
            assert.deepEqual(dims.api, {
                clusterName: mockPhysicalName(cluster.name),
                serviceName: mockPhysicalName("unit-compute-api"),
                targetGroupArnSuffix: `targetgroup/${tg.inputs.name}/0123456789`,
                loadBalancerArnSuffix: "app/platform-unit-in/0123456789",
            });
        });
    });

    describe("image repositories", () => {
        it("are protected and retained on delete in prod, like every stateful resource; not in dev", async () => {
            const repos = (stack: string) => recordResourceOptions(stack).then((all) => all.filter((r) => r.type === "aws:ecr/repository:Repository"));
            const prod = await repos("prod");
            assert.equal(prod.length, 5, "services' and workers' repositories");
            for (const r of prod) assert.deepEqual([r.opts.protect, r.opts.retainOnDelete], [true, true], r.name);
            for (const r of await repos("dev")) assert.deepEqual([r.opts.protect, r.opts.retainOnDelete], [undefined, undefined], r.name);
        });

        it("moved from compute to the releases component without replacement: repositories and lifecycle policies alias their old URNs", async () => {
            const all = (await recordResourceOptions("prod")).filter((r) => r.type === "aws:ecr/repository:Repository" || r.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy");
            // Workers' repositories are new: they never were compute's children, so they carry no alias.
            for (const r of all.filter((r) => /-(inference|api-fn|cleanup)$/.test(r.name))) assert.deepEqual(r.opts.aliases, undefined, r.name);
            const moved = all.filter((r) => !/-(inference|api-fn|cleanup)$/.test(r.name));
            assert.deepEqual(moved.map((r) => r.name).sort(), ["prod-releases-api", "prod-releases-api", "prod-releases-notifier", "prod-releases-notifier"]);
            for (const r of moved) {
                const image = r.name.replace("prod-releases-", "");
                const aliases = (r.opts.aliases ?? []) as Array<{ name?: string; parent?: pulumi.Input<string> }>;
                assert.equal(aliases.length, 1, `${r.type} ${r.name}: one alias`);
                // The URN these resources had as compute's children: urn:pulumi:prod::platform::platform:compute:Compute$<type>::prod-compute-<image>.
                assert.equal(aliases[0].name, `prod-compute-${image}`, `${r.type} ${r.name}: former logical name`);
                assert.equal(await resolve(aliases[0].parent), "urn:pulumi:prod::platform::platform:compute:Compute::prod-compute", `${r.type} ${r.name}: former parent`);
            }
        });
    });

    describe("a release change", () => {
        it("changes only task-definition inputs (services then roll to the new revision); nothing stateful sees a difference", async () => {
            const before = await stackRun("prod");
            const pinned = stackFile("prod")["platform:release"];
            const after = await variantRun("prod", {
                "platform:release": { ...pinned, api: { tag: "0123456789abcdef0123456789abcdef01234567", digest: `sha256:${"e".repeat(64)}` } },
            });
            assert.equal(after.error, undefined);
            assert.deepEqual(changedResources(before, after), ["aws:ecs/taskDefinition:TaskDefinition::prod-compute-api", "aws:ecs/taskDefinition:TaskDefinition::prod-compute-api-migrate"]);
        });

        it("a migration command change, too, changes only the service's task definitions: the migration path cannot replace anything stateful", async () => {
            const before = await stackRun("prod");
            const services = stackFile("prod")["platform:services"];
            const after = await variantRun("prod", { "platform:services": { ...services, api: { ...services.api, migrationCommand: ["node", "dist/migrate.js", "--to", "42"] } } });
            assert.equal(after.error, undefined);
            assert.deepEqual(changedResources(before, after), ["aws:ecs/taskDefinition:TaskDefinition::prod-compute-api", "aws:ecs/taskDefinition:TaskDefinition::prod-compute-api-migrate"]);
        });
    });

    describe("a stack with no release", () => {
        it("deploys repositories, cluster and load balancer, skips the services and says how to push the first image", async () => {
            const run = await variantRun("dev", { "platform:release": {} });
            assert.equal(run.error, undefined);
            assert.equal(ofType(run, SERVICE).length, 0);
            assert.equal(ofType(run, TASK).length, 0);
            assert.equal(ofType(run, "aws:ecr/repository:Repository").length, 5);
            assert.equal(ofType(run, "aws:lambda/function:Function").length, 0, "workers without a release are skipped too");
            assert.match((run.outputs.unreleased as Record<string, string>).inference, /platform\/dev\/inference/);
            assert.equal(ofType(run, "aws:ecs/cluster:Cluster").length, 1);
            assert.equal(ofType(run, "aws:lb/loadBalancer:LoadBalancer").length, 1);
            assert.deepEqual(run.outputs.release, {});
            const unreleased = run.outputs.unreleased as Record<string, string>;
            assert.match(unreleased.api, /Push an image tagged with the commit SHA to platform\/dev\/api, then set release\.api\.tag and \.digest in Pulumi\.dev\.yaml/);
        });
    });

    describe("pure helpers", () => {
        const TG = { project: "platform", stack: "dev", service: "api", port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-1" };
        it("target group names fit 32 characters and change with everything that replaces the group", () => {
            const long = targetGroupName({ ...TG, stack: "staging-eu-west-long", service: "notifications-svc" });
            assert.ok(long.length <= 32, long);
            assert.match(long, /^[a-z0-9-]+[a-z0-9]$/);
            for (const change of [{ port: 8081 }, { protocol: "HTTPS" }, { targetType: "instance" }, { vpcId: "vpc-2" }, { project: "other" }]) {
                assert.notEqual(targetGroupName({ ...TG, ...change }), targetGroupName(TG), JSON.stringify(change));
            }
            assert.equal(targetGroupName(TG), targetGroupName({ ...TG }));
        });

        it("listener rules: hosts first, then more specific paths, catch-alls last; never renumbered by other services", () => {
            const web = { name: "web", paths: ["/*"], hosts: [] };
            const api = { name: "api", paths: ["/api/v1/*"], hosts: [] };
            const admin = { name: "admin", paths: [], hosts: ["admin.example.com"] };
            assert.ok(rulePriority(admin) < rulePriority(api));
            assert.ok(rulePriority(api) < rulePriority(web));
            assert.equal(rulePriority({ ...api, priority: 7 }), 7);
            for (const p of [web, api, admin].map(rulePriority)) assert.ok(p >= 1 && p <= 50000);
        });

        it("a service with no buckets and no database gets no task permissions", () => {
            assert.deepEqual(taskStatements({ buckets: [], secrets: ["cache"] }, { repositoryArn: "repo", logGroupArn: "logs", dataKeyArn: "key", secretArns: { database: "db", cache: "cache" }, uploadsBucketArn: "uploads", queueArns: [] }), []);
        });

        it("the ECR lifecycle expires untagged images first and keeps the last N releases", () => {
            const rules = lifecyclePolicy(7).rules;
            assert.deepEqual(rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber]), [[1, "untagged", 1], [2, "tagged", 7]]);
        });
    });
});
