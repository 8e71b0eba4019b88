/** Compute: ECS cluster, services and task definitions, and the application load balancer (components/compute/). */
import { json, list, resourcePolicy } from "./lib";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const LB = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

/** Container definitions of a task definition (JSON text in the input). */
function containers(p: Record<string, any>): Array<Record<string, any>> {
    return list(json<Array<Record<string, any>>>(p.containerDefinitions) ?? []);
}

/** An image reference pinned by digest (`<repo>@sha256:<64 hex>`). */
export const BY_DIGEST = /@sha256:[0-9a-f]{64}$/;

/** TLS policies ELB.17 accepts (TLS 1.2+ with TLS 1.3, and their FIPS variants). */
export const TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];

const SECRET_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];

const isRedirectToHttps = (p: Record<string, any>) => {
    const actions = list(p.defaultActions as any[]);
    return actions.length === 1 && actions[0].type === "redirect" && actions[0].redirect?.protocol === "HTTPS";
};

export const ecsPolicies = [
    resourcePolicy(
        { name: "ecs-no-public-ip", control: "ECS.2", summary: "Services do not assign public IPs to tasks.", level: "mandatory", remediation: "not configurable: components/compute/service.ts runs tasks in private subnets without public IPs.", types: [SERVICE] },
        (p) => (p.networkConfiguration?.assignPublicIp === true ? ["networkConfiguration.assignPublicIp is true."] : []),
    ),
    resourcePolicy(
        { name: "ecs-no-host-access", control: "ECS.1, ECS.3, ECS.4", summary: "Tasks share no host namespace and run no privileged container.", level: "mandatory", remediation: "not configurable: components/compute/container.ts sets privileged false; task definitions use awsvpc.", types: [TASK] },
        (p) => [
            ...(p.networkMode === "host" ? ["networkMode is host."] : []),
            ...(p.pidMode === "host" ? ["pidMode is host."] : []),
            ...containers(p).filter((c) => c.privileged === true).map((c) => `container ${c.name} is privileged.`),
        ],
    ),
    resourcePolicy(
        { name: "ecs-read-only-root", control: "ECS.5", summary: "Containers have read-only root filesystems.", level: "mandatory", remediation: "not configurable: components/compute/container.ts sets readonlyRootFilesystem (a /tmp volume is writable).", types: [TASK] },
        (p) => containers(p).filter((c) => c.readonlyRootFilesystem !== true).map((c) => `container ${c.name} has a writable root filesystem.`),
    ),
    resourcePolicy(
        { name: "ecs-no-credentials-in-env", control: "ECS.8", summary: "No AWS credentials in container environment variables (secrets come through `secrets`).", level: "mandatory", remediation: "services.<svc>.secrets (injected from Secrets Manager), never services.<svc>.environment.", types: [TASK] },
        (p) =>
            containers(p).flatMap((c) => list(c.environment as any[]).filter((e) => SECRET_ENV.includes(e.name)).map((e) => `container ${c.name} sets ${e.name} in its environment.`)),
    ),
    resourcePolicy(
        { name: "ecs-logging", control: "ECS.9", summary: "Every container has a log driver.", level: "mandatory", remediation: "not configurable: components/compute/container.ts sends logs to the service's log group (awslogs).", types: [TASK] },
        (p) => containers(p).filter((c) => !c.logConfiguration?.logDriver).map((c) => `container ${c.name} has no logConfiguration.logDriver.`),
    ),
    resourcePolicy(
        { name: "ecs-image-by-digest", control: "seed: images by digest", summary: "Containers run images pinned by digest (`@sha256:`), never by tag.", level: "mandatory", remediation: "release.<image>.digest (npm run promote pins it).", types: [TASK] },
        (p) => containers(p).filter((c) => !BY_DIGEST.test(String(c.image ?? ""))).map((c) => ({ message: `container ${c.name} runs ${c.image}, not by digest.`, detail: String(c.name) })),
    ),
    resourcePolicy(
        { name: "ecs-platform-version", control: "ECS.10", summary: "Fargate services run the latest platform version.", level: "mandatory", remediation: "not configurable: components/compute/service.ts leaves platformVersion at LATEST.", types: [SERVICE] },
        (p) => (p.platformVersion === undefined || ["LATEST", "1.4.0"].includes(p.platformVersion) ? [] : [`platformVersion is ${p.platformVersion}.`]),
    ),
    resourcePolicy(
        { name: "ecs-container-insights", control: "ECS.12", summary: "The cluster has Container Insights on.", level: "mandatory", remediation: "not configurable: components/compute/cluster.ts enables containerInsights.", types: ["aws:ecs/cluster:Cluster"] },
        (p) => (list(p.settings as any[]).some((s) => s.name === "containerInsights" && ["enabled", "enhanced"].includes(s.value)) ? [] : ["containerInsights is not enabled."]),
    ),
    resourcePolicy(
        { name: "ecs-circuit-breaker", control: "seed: rollback-ready releases (REL08)", summary: "Services roll back a failed deployment automatically (circuit breaker with rollback).", level: "advisory", remediation: "not configurable: components/compute/service.ts sets deploymentCircuitBreaker.", types: [SERVICE] },
        (p) => (p.deploymentCircuitBreaker?.enable === true && p.deploymentCircuitBreaker?.rollback === true ? [] : ["deploymentCircuitBreaker with rollback is not set."]),
    ),
];

export const loadBalancerPolicies = [
    resourcePolicy(
        { name: "elb-http-redirect", control: "ELB.1", summary: "HTTP listeners only redirect to HTTPS.", level: "mandatory", remediation: "domain.name (+ domain.hostedZoneId or domain.certificateArn): with a domain, port 80 only redirects.", types: LISTENER },
        (p) => (p.protocol === "HTTP" && !isRedirectToHttps(p) ? ["an HTTP listener serves instead of redirecting to HTTPS."] : []),
    ),
    resourcePolicy(
        { name: "elb-https-only", control: "ELB.18", summary: "Listeners use HTTPS.", level: "mandatory", remediation: "domain.name: HTTPS listener with the domain's certificate.", types: LISTENER },
        (p) => (p.protocol === "HTTPS" ? [] : [{ message: `listener protocol is ${p.protocol}.`, detail: isRedirectToHttps(p) ? "redirect-to-https" : undefined }]),
    ),
    resourcePolicy(
        { name: "elb-tls-policy", control: "ELB.17", summary: "HTTPS listeners use a TLS 1.3 security policy.", level: "mandatory", remediation: "not configurable: components/compute/load-balancer.ts sets ELBSecurityPolicy-TLS13-1-2-2021-06.", types: LISTENER },
        (p) => (p.protocol !== "HTTPS" || TLS_POLICIES.includes(p.sslPolicy) ? [] : [`sslPolicy is ${p.sslPolicy ?? "the default"}.`]),
    ),
    resourcePolicy(
        { name: "elb-drop-invalid-headers", control: "ELB.4", summary: "The load balancer drops invalid HTTP headers.", level: "mandatory", remediation: "not configurable: components/compute/load-balancer.ts sets dropInvalidHeaderFields.", types: LB },
        (p) => (p.loadBalancerType === "network" || p.dropInvalidHeaderFields === true ? [] : ["dropInvalidHeaderFields is not true."]),
    ),
    resourcePolicy(
        { name: "elb-access-logs", control: "ELB.5", summary: "The load balancer writes access logs to the logs bucket.", level: "mandatory", remediation: "not configurable: components/compute/load-balancer.ts logs to DataHandle.buckets (prefix alb).", types: LB },
        (p) => (p.accessLogs?.enabled === true && p.accessLogs?.bucket ? [] : ["accessLogs are not enabled with a bucket."]),
    ),
    resourcePolicy(
        { name: "elb-deletion-protection", control: "ELB.6", summary: "The load balancer has deletion protection.", level: "mandatory", remediation: "compute.loadBalancerDeletionProtection: true (the prod tier default).", types: LB, tiers: ["prod"] },
        (p) => (p.enableDeletionProtection === true ? [] : ["enableDeletionProtection is not true."]),
    ),
    resourcePolicy(
        { name: "elb-desync-mitigation", control: "ELB.12", summary: "Desync mitigation is defensive or strictest.", level: "mandatory", remediation: "not configurable: components/compute/load-balancer.ts sets desyncMitigationMode defensive.", types: LB },
        (p) => (p.desyncMitigationMode === undefined || ["defensive", "strictest"].includes(p.desyncMitigationMode) ? [] : [`desyncMitigationMode is ${p.desyncMitigationMode}.`]),
    ),
    resourcePolicy(
        { name: "elb-multi-az", control: "ELB.13", summary: "The load balancer spans at least two Availability Zones.", level: "mandatory", remediation: "network.azCount: 2 or more.", types: LB },
        (p) => (list(p.subnets).length + list(p.subnetMappings).length >= 2 ? [] : ["fewer than two subnets."]),
    ),
];

export const certificatePolicies = [
    resourcePolicy(
        { name: "acm-certificate", control: "ACM.1, ACM.2", summary: "Certificates are DNS-validated (ACM renews them) with at least RSA 2048 keys.", level: "mandatory", remediation: "domain.hostedZoneId (DNS validation; components/shared/certificate.ts), or bring your own with domain.certificateArn.", types: ["aws:acm/certificate:Certificate"] },
        (p) => [
            ...(p.privateKey || p.validationMethod === "DNS" ? [] : [`validationMethod is ${p.validationMethod ?? "unset"}, not DNS (no automatic renewal).`]),
            ...(p.keyAlgorithm === "RSA_1024" ? ["keyAlgorithm is RSA_1024."] : []),
        ],
    ),
];

export const computePolicies = [...ecsPolicies, ...loadBalancerPolicies, ...certificatePolicies];
