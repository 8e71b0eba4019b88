import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ComputeSettings, DomainSettings, ImageRelease, ServiceSettings } from "../../config";
import { rulePriority } from "../../config";
import { loadBalancerName, repositoryName } from "./naming";
import { createService, DeployedService } from "./service";

export { targetGroupName } from "./naming";

export interface ComputeArgs {
    project: string;
    stack: string;
    region: string;
    settings: ComputeSettings;
    services: ServiceSettings[];
    release: Record<string, ImageRelease>;
    domain?: DomainSettings;
    logRetentionDays: number;
    /** Let `pulumi destroy` delete repositories that still hold images (dev). */
    forceDeleteRepositories: boolean;
    /** Per service, names of CloudWatch alarms that roll its deployment back. @default - none (monitoring supplies them) */
    deploymentAlarmNames?: Record<string, string[]>;
    network: {
        vpcId: pulumi.Input<string>;
        publicSubnetIds: pulumi.Input<string[]>;
        privateSubnetIds: pulumi.Input<string[]>;
        loadBalancerSecurityGroupId: pulumi.Input<string>;
        appSecurityGroupId: pulumi.Input<string>;
    };
    data: {
        dataKeyArn: pulumi.Input<string>;
        logsKeyArn: pulumi.Input<string>;
        /** Logs bucket name that resolves once its policy admits ALB log delivery. */
        logsBucketReadyName: pulumi.Input<string>;
        dbEndpoint: pulumi.Input<string>;
        dbPort: pulumi.Input<number>;
        dbName: pulumi.Input<string>;
        dbSecretArn: pulumi.Input<string>;
        cacheEndpoint: pulumi.Input<string>;
        cacheAuthSecretArn: pulumi.Input<string>;
        uploadsBucketName: pulumi.Input<string>;
        uploadsBucketArn: pulumi.Input<string>;
    };
}

/** What a stack runs, per image: exported as the `release` stack output and promoted from it. */
export type ReleaseOutput = Record<string, { repositoryUrl: string; tag: string; digest: string }>;

/** Per deployed service, what runbooks and CI need: the `services` stack output. */
export interface ServiceOutput {
    /** The ECS service's name (auto-named): `aws ecs describe-services --cluster <clusterName> --services <name>`. */
    name: string;
    /** The task definition revision this stack deployed; after a steady rollout the service runs exactly this. */
    taskDefinitionArn: string;
    /** `repo@sha256:…` */
    image: string;
    /** CloudWatch log group of the service's containers (the migration container's streams are `<service>/<service>-migrate/…`). */
    logGroup: string;
    minTasks: number;
    maxTasks: number;
    expose: string;
}

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Container services on ECS Fargate behind a public ALB: one ECR repository per image, a cluster with
 * Container Insights and Service Connect, an HTTPS listener (HTTP redirects to it) when a domain is
 * configured, and per service the task, roles, routing and autoscaling (see service.ts). Services
 * with no pinned release are skipped; everything else still deploys.
 *
 * Rough monthly cost (us-east-1, ../shared/reference/aws-prices.md): ALB ≈ $16 + LCUs; Fargate ARM
 * 0.5 vCPU / 1 GB ≈ $14 per task on demand, ~70% less on Spot; ECR storage $0.10/GB.
 */
export class Compute extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** Base URL: https://<domain> or, without one (dev), http://<alb dns>. */
    readonly url: pulumi.Output<string>;
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    readonly release: pulumi.Output<ReleaseOutput>;
    /** Per deployed service: ECS service name, task definition, image, log group and scaling bounds. */
    readonly services: pulumi.Output<Record<string, ServiceOutput>>;
    readonly migrations: pulumi.Output<Record<string, string>>;
    /** Images with no release pinned yet, with how to ship the first one. */
    readonly unreleased: Record<string, string>;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:Compute", name, {}, opts);

        const repositories = this.createRepositories(name, args);
        const cluster = this.createCluster(name);
        const lb = this.createLoadBalancer(name, args);
        const deployed = this.createServices(name, args, repositories, cluster, lb);

        this.clusterName = cluster.cluster.name;
        this.loadBalancerDnsName = lb.loadBalancer.dnsName;
        this.url = args.domain ? pulumi.output(`https://${args.domain.name}`) : pulumi.interpolate`http://${lb.loadBalancer.dnsName}`;
        this.repositoryUrls = pulumi.all(Object.fromEntries(Object.entries(repositories).map(([image, repo]) => [image, repo.repositoryUrl])));
        this.release = pulumi.output(
            Object.fromEntries(
                Object.entries(args.release)
                    .filter(([image]) => repositories[image])
                    .map(([image, rel]) => [image, { repositoryUrl: repositories[image].repositoryUrl, tag: rel.tag, digest: rel.digest }]),
            ),
        ) as pulumi.Output<ReleaseOutput>;
        this.services = pulumi.output(
            Object.fromEntries(
                args.services
                    .filter((svc) => deployed[svc.name])
                    .map((svc) => {
                        const d = deployed[svc.name];
                        return [
                            svc.name,
                            {
                                name: d.service.name,
                                taskDefinitionArn: d.taskDefinition.arn,
                                image: d.image,
                                logGroup: d.logGroup.name,
                                minTasks: svc.minTasks,
                                maxTasks: svc.maxTasks,
                                expose: svc.expose,
                            },
                        ];
                    }),
            ),
        ) as pulumi.Output<Record<string, ServiceOutput>>;
        this.migrations = pulumi.all(
            Object.fromEntries(
                Object.entries(deployed)
                    .filter(([, d]) => d.migrationCommand)
                    .map(([svc, d]) => [svc, d.migrationCommand!]),
            ),
        );
        this.unreleased = Object.fromEntries(
            args.services
                .filter((svc) => !svc.release)
                .map((svc) => [
                    svc.name,
                    `not deployed: no release pinned. Push an image tagged with the commit SHA to ${repositoryName(args.project, args.stack, svc.name)}, ` +
                        `then set release.${svc.name}.tag and .digest in Pulumi.${args.stack}.yaml (README: "First deploy").`,
                ]),
        );
        for (const [svc, message] of Object.entries(this.unreleased)) pulumi.log.info(`service ${svc} ${message}`, this);

        this.registerOutputs({ clusterName: this.clusterName, url: this.url, release: this.release });
    }

    /**
     * One repository per image: immutable tags (a tag is a commit, forever), scan on push, encrypted with
     * the data key, lifecycle keeping the last N release images and expiring untagged layers.
     */
    private createRepositories(name: string, args: ComputeArgs): Record<string, aws.ecr.Repository> {
        return Object.fromEntries(
            args.services.map((svc) => {
                const repo = new aws.ecr.Repository(
                    `${name}-${svc.name}`,
                    {
                        name: repositoryName(args.project, args.stack, svc.name),
                        imageTagMutability: "IMMUTABLE",
                        imageScanningConfiguration: { scanOnPush: true },
                        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.data.dataKeyArn }],
                        forceDelete: args.forceDeleteRepositories,
                    },
                    { parent: this },
                );
                new aws.ecr.LifecyclePolicy(
                    `${name}-${svc.name}`,
                    { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(args.settings.keepReleases)) },
                    { parent: this },
                );
                return [svc.name, repo];
            }),
        );
    }

    private createCluster(name: string) {
        // Service Connect gives internal services a stable name (http://<service>:<port>) inside the cluster.
        const namespace = new aws.servicediscovery.HttpNamespace(`${name}-ns`, { description: `${name}: service-to-service names` }, { parent: this });
        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enabled" }], serviceConnectDefaults: { namespace: namespace.arn } },
            { parent: this },
        );
        const capacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-cluster`,
            { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
            { parent: this },
        );
        return { cluster, namespace, capacityProviders };
    }

    private createLoadBalancer(name: string, args: ComputeArgs) {
        const loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: loadBalancerName(args.project, args.stack),
                loadBalancerType: "application",
                internal: false,
                subnets: args.network.publicSubnetIds,
                securityGroups: [args.network.loadBalancerSecurityGroupId],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableDeletionProtection: args.settings.loadBalancerDeletionProtection,
                accessLogs: { bucket: args.data.logsBucketReadyName, prefix: "alb", enabled: true },
            },
            { parent: this },
        );
        const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "not found", statusCode: "404" } };
        if (!args.domain) {
            // Config allows this only where the tier says so (dev); the plan shows the HTTP listener.
            const http = new aws.lb.Listener(
                `${name}-http`,
                { loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: [notFound] },
                { parent: this },
            );
            return { loadBalancer, listener: http };
        }
        const certificateArn = args.domain.certificateArn ?? this.issueCertificate(name, args.domain, loadBalancer);
        const https = new aws.lb.Listener(
            `${name}-https`,
            { loadBalancerArn: loadBalancer.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn, defaultActions: [notFound] },
            { parent: this },
        );
        new aws.lb.Listener(
            `${name}-http-redirect`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            { parent: this },
        );
        return { loadBalancer, listener: https };
    }

    /** An ACM certificate validated through DNS in the configured zone (ACM renews it), and the alias record. */
    private issueCertificate(name: string, domain: DomainSettings, loadBalancer: aws.lb.LoadBalancer): pulumi.Output<string> {
        const zoneId = domain.hostedZoneId!;
        const certificate = new aws.acm.Certificate(`${name}-cert`, { domainName: domain.name, validationMethod: "DNS", keyAlgorithm: "RSA_2048" }, { parent: this });
        const option = certificate.domainValidationOptions[0];
        const record = new aws.route53.Record(
            `${name}-cert-validation`,
            { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
            { parent: this },
        );
        const validation = new aws.acm.CertificateValidation(
            `${name}-cert`,
            { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
            { parent: this },
        );
        new aws.route53.Record(
            `${name}-alias`,
            { zoneId, name: domain.name, type: "A", aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }] },
            { parent: this },
        );
        return validation.certificateArn;
    }

    private createServices(
        name: string,
        args: ComputeArgs,
        repositories: Record<string, aws.ecr.Repository>,
        cluster: ReturnType<Compute["createCluster"]>,
        lb: ReturnType<Compute["createLoadBalancer"]>,
    ): Record<string, DeployedService> {
        const deployed: Record<string, DeployedService> = {};
        for (const svc of args.services) {
            if (!svc.release) continue;
            deployed[svc.name] = createService(
                `${name}-${svc.name}`,
                svc,
                svc.release,
                {
                    project: args.project,
                    stack: args.stack,
                    region: args.region,
                    clusterArn: cluster.cluster.arn,
                    clusterName: cluster.cluster.name,
                    namespaceArn: cluster.namespace.arn,
                    capacityProviders: cluster.capacityProviders,
                    vpcId: args.network.vpcId,
                    privateSubnetIds: args.network.privateSubnetIds,
                    appSecurityGroupId: args.network.appSecurityGroupId,
                    listenerArn: lb.listener.arn,
                    loadBalancerArnSuffix: lb.loadBalancer.arnSuffix,
                    repository: repositories[svc.name],
                    logsKeyArn: args.data.logsKeyArn,
                    logRetentionDays: args.logRetentionDays,
                    spot: args.settings.spot,
                    waitForSteadyState: args.settings.waitForSteadyState,
                    rulePriority: rulePriority(svc),
                    deploymentAlarmNames: args.deploymentAlarmNames?.[svc.name] ?? [],
                    refs: {
                        dbHost: args.data.dbEndpoint,
                        dbPort: args.data.dbPort,
                        dbName: args.data.dbName,
                        dbSecretArn: args.data.dbSecretArn,
                        cacheHost: args.data.cacheEndpoint,
                        cacheSecretArn: args.data.cacheAuthSecretArn,
                        uploadsBucket: args.data.uploadsBucketName,
                    },
                    resources: {
                        dataKeyArn: args.data.dataKeyArn,
                        secretArns: { database: args.data.dbSecretArn, cache: args.data.cacheAuthSecretArn },
                        uploadsBucketArn: args.data.uploadsBucketArn,
                    },
                },
                this,
            );
        }
        return deployed;
    }
}

/** ECR lifecycle: expire untagged images after a day; keep the newest `keep` tagged (release) images. */
export function lifecyclePolicy(keep: number) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images (failed or superseded pushes) after 1 day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keep} release images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    };
}
