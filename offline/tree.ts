/**
 * Turns what the mock monitor registered into a tree a reviewer can read: component → children,
 * each line with type, name and the settings that matter (sizes, counts, encryption, exposure).
 */
import * as pulumi from "@pulumi/pulumi";

export interface PlanNode {
    urn: string;
    type: string;
    name: string;
    /** Type chain from the root component down to this resource. */
    chain: string[];
    inputs: Record<string, any>;
    children: PlanNode[];
}

export interface Registered {
    urn: string;
    state: Record<string, any>;
}

/** Resources the mock monitor holds, keyed by URN (MockMonitor.getRegisteredResources, SDK ≥ 3.247). */
export function registeredResources(): Registered[] {
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, Registered> };
    return [...monitor.getRegisteredResources().values()];
}

function typeChain(urn: string): string[] {
    // urn:pulumi:<stack>::<project>::<parentType$...$type>::<name>
    return urn.split("::")[2].split("$");
}

export function buildTree(resources: Registered[], inputsOf: (type: string, name: string) => Record<string, any>): PlanNode[] {
    const nodes: PlanNode[] = resources.map((r) => {
        const chain = typeChain(r.urn);
        const name = r.urn.split("::").slice(3).join("::");
        const type = chain[chain.length - 1];
        return { urn: r.urn, type, name, chain, inputs: inputsOf(type, name), children: [] };
    });
    const roots: PlanNode[] = [];
    for (const node of nodes) {
        if (node.chain.length === 1) {
            roots.push(node);
            continue;
        }
        const parentChain = node.chain.slice(0, -1).join("$");
        // Several components may share a type; the parent is the one whose name prefixes the child's.
        const parent = nodes
            .filter((p) => p.chain.join("$") === parentChain && node.name.startsWith(p.name))
            .sort((a, b) => b.name.length - a.name.length)[0];
        (parent ? parent.children : roots).push(node);
    }
    // Siblings by name, then type: a bucket and its policy, versioning and lifecycle read as one block.
    const order = (a: PlanNode, b: PlanNode) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type);
    const sortDeep = (list: PlanNode[]) => {
        list.sort(order);
        for (const n of list) sortDeep(n.children);
    };
    // Roots stay in registration (data-flow) order.
    for (const root of roots) sortDeep(root.children);
    return roots;
}

const short = (v: unknown): string => {
    if (v === undefined || v === null) return "-";
    if (typeof v === "string") return v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return JSON.stringify(v);
};

function rule(i: Record<string, any>): string {
    const port = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
    // Offline ids are `<resource name>-id`; show the peer group's name instead.
    const group = typeof i.referencedSecurityGroupId === "string" ? `sg ${i.referencedSecurityGroupId.replace(/-id$/, "")}` : undefined;
    const peer = i.cidrIpv4 ?? i.cidrIpv6 ?? group ?? i.prefixListId;
    const exposure = i.cidrIpv4 === "0.0.0.0/0" || i.cidrIpv6 === "::/0" ? "  [INTERNET]" : "";
    return `${i.ipProtocol} ${port} ${peer}${exposure}`;
}

/** The settings worth showing per resource type; types not listed show none. */
const DETAILS: Record<string, (i: Record<string, any>) => string> = {
    "pulumi:providers:aws": (i) => `region=${i.region}`,
    "awsx:ec2:Vpc": (i) => `cidr=${i.cidrBlock} azs=${i.numberOfAvailabilityZones} nat=${i.natGateways?.strategy}`,
    "aws:cloudwatch/logGroup:LogGroup": (i) => `retention=${i.retentionInDays}d kms=${i.kmsKeyId ? "cmk" : "aws-managed"}${i.region ? ` region=${i.region}` : ""}`,
    "aws:ec2/flowLog:FlowLog": (i) => `traffic=${i.trafficType}`,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (i) => `ingress=${i.ingress?.length ?? 0} egress=${i.egress?.length ?? 0}`,
    "aws:ec2/vpcEndpoint:VpcEndpoint": (i) => `${i.vpcEndpointType} ${i.serviceName} routeTables=${i.routeTableIds?.length ?? 0}`,
    "aws:ec2/securityGroup:SecurityGroup": (i) => short(i.description),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i) => `in  ${rule(i)}`,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (i) => `out ${rule(i)}`,
    "aws:kms/key:Key": (i) => `rotation=${i.enableKeyRotation} deletionWindow=${i.deletionWindowInDays}d${i.region ? ` region=${i.region}` : ""}`,
    "aws:rds/instance:Instance": (i) =>
        i.replicateSourceDb
            ? `REPLICA of ${short(i.replicateSourceDb)} class=${i.instanceClass}`
            : `${i.engine} ${i.engineVersion} class=${i.instanceClass} storage=${i.allocatedStorage}-${i.maxAllocatedStorage}GB ${i.storageType} encrypted=${i.storageEncrypted} multiAz=${i.multiAz} backups=${i.backupRetentionPeriod}d deletionProtection=${i.deletionProtection} finalSnapshot=${i.skipFinalSnapshot ? "no" : "yes"} public=${i.publiclyAccessible}`,
    "aws:rds/parameterGroup:ParameterGroup": (i) => `${i.family} ${(i.parameters ?? []).map((p: any) => `${p.name}=${p.value}`).join(" ")}`,
    "aws:elasticache/replicationGroup:ReplicationGroup": (i) =>
        `${i.engine} ${i.engineVersion} ${i.nodeType} nodes=${i.numCacheClusters} failover=${i.automaticFailoverEnabled} multiAz=${i.multiAzEnabled} atRest=${i.atRestEncryptionEnabled} transit=${i.transitEncryptionMode ?? i.transitEncryptionEnabled} snapshots=${i.snapshotRetentionLimit}d`,
    "aws:s3/bucketVersioning:BucketVersioning": (i) => `versioning=${i.versioningConfiguration?.status}`,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (i) =>
        `sse=${i.rules?.[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm}`,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (i) =>
        `blockAll=${i.blockPublicAcls && i.blockPublicPolicy && i.ignorePublicAcls && i.restrictPublicBuckets}`,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (i) => `ownership=${i.rule?.objectOwnership}`,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i) => `rules=${(i.rules ?? []).map((r: any) => r.id).join(",")}`,
    "aws:s3/bucket:Bucket": (i) => `forceDestroy=${i.forceDestroy ?? false}`,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (i) =>
        (i.rules ?? [])
            .map((r: any) => `→ ${short(r.destination?.bucket)} deleteMarkers=${r.deleteMarkerReplication?.status ?? "Disabled"} kms=${short(r.destination?.encryptionConfiguration?.replicaKmsKeyId)} metrics=${r.destination?.metrics?.status ?? "Disabled"} rtc=${r.destination?.replicationTime?.status ?? "Disabled"}`)
            .join("; "),
    "aws:backup/plan:Plan": (i) =>
        (i.rules ?? []).map((r: any) => `${r.schedule} keep=${r.lifecycle?.deleteAfter}d copies=${(r.copyActions ?? []).length}`).join("; "),
    "aws:backup/vault:Vault": (i) => `kms=${i.kmsKeyArn ? "cmk" : "aws-managed"}${i.region ? ` region=${i.region}` : ""}`,
    "aws:secretsmanager/secret:Secret": (i) => `kms=${i.kmsKeyId ? "cmk" : "aws-managed"} recoveryWindow=${i.recoveryWindowInDays ?? 30}d`,
    "aws:ecs/service:Service": (i) =>
        `desired=${i.desiredCount} publicIp=${i.networkConfiguration?.assignPublicIp ?? false} circuitBreaker=${i.deploymentCircuitBreaker?.enable}/${i.deploymentCircuitBreaker?.rollback ? "rollback" : "no-rollback"} minHealthy=${i.deploymentMinimumHealthyPercent}% max=${i.deploymentMaximumPercent}% waitForSteadyState=${i.waitForSteadyState ?? false}`,
    "aws:ecs/taskDefinition:TaskDefinition": (i) => {
        const containers: any[] = typeof i.containerDefinitions === "string" ? JSON.parse(i.containerDefinitions) : [];
        // Start order: containers another one waits for come first (a migration before its app).
        const waits = containers.flatMap((c) => (c.dependsOn ?? []).map((d: any) => `${d.containerName}(${d.condition})→${c.name}`));
        const order = waits.length > 0 ? ` start=${waits.join(",")}` : "";
        return `cpu=${i.cpu} memory=${i.memory} arch=${i.runtimePlatform?.cpuArchitecture} image=${[...new Set(containers.map((c) => c.image))].join(",")}${order}`;
    },
    "aws:appautoscaling/target:Target": (i) => `tasks=${i.minCapacity}-${i.maxCapacity}`,
    "aws:lb/loadBalancer:LoadBalancer": (i) =>
        `${i.internal ? "internal" : "internet-facing"} name=${i.name} deletionProtection=${i.enableDeletionProtection ?? false} dropInvalidHeaders=${i.dropInvalidHeaderFields} accessLogs=${i.accessLogs?.enabled ?? false}`,
    "aws:lb/listener:Listener": (i) => `${i.protocol}:${i.port} ${i.sslPolicy ?? ""} → ${(i.defaultActions ?? []).map((a: any) => a.type).join(",")}`,
    "aws:lb/targetGroup:TargetGroup": (i) => `${i.protocol}:${i.port} health=${i.healthCheck?.path} deregistration=${i.deregistrationDelay}s`,
    "aws:sqs/queue:Queue": (i) =>
        i.redrivePolicy
            ? `visibility=${i.visibilityTimeoutSeconds}s sse=${i.sqsManagedSseEnabled ? "sqs" : i.kmsMasterKeyId ? "kms" : "none"} → DLQ after ${policyField(i.redrivePolicy, "maxReceiveCount")} receives`
            : `DLQ retention=${Math.round(Number(i.messageRetentionSeconds) / 86400)}d sse=${i.sqsManagedSseEnabled ? "sqs" : i.kmsMasterKeyId ? "kms" : "none"}`,
    "aws:lambda/function:Function": (i) =>
        `${i.packageType} ${i.architectures?.[0]} memory=${i.memorySize}MB timeout=${i.timeout}s publish=${i.publish} tracing=${i.tracingConfig?.mode} vpc=${i.vpcConfig ? "yes" : "no"} image=${short(i.imageUri)}`,
    "aws:lambda/alias:Alias": (i) => {
        const weights = Object.entries(i.routingConfig?.additionalVersionWeights ?? {});
        const canary = weights.length > 0 ? ` canary ${weights.map(([v, w]) => `${v}@${Math.round(Number(w) * 100)}%`).join(",")}` : "";
        return `${i.name} → version ${i.functionVersion}${canary}`;
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": (i) =>
        `queue → ${target(i.functionName)} batch=${i.batchSize} window=${i.maximumBatchingWindowInSeconds}s maxConcurrency=${i.scalingConfig?.maximumConcurrency ?? "-"} ${(i.functionResponseTypes ?? []).join(",")}`,
    "aws:apigatewayv2/integration:Integration": (i) => `${i.integrationType} → ${target(i.integrationUri)} payload=${i.payloadFormatVersion}`,
    "aws:apigatewayv2/route:Route": (i) => `${i.routeKey}`,
    "aws:apigatewayv2/stage:Stage": (i) =>
        `${i.name} autoDeploy=${i.autoDeploy} accessLogs=${i.accessLogSettings ? "yes" : "no"} throttle=${i.defaultRouteSettings ? `${i.defaultRouteSettings.throttlingBurstLimit}/${i.defaultRouteSettings.throttlingRateLimit}` : "-"}`,
    "aws:lambda/permission:Permission": (i) => `${i.principal} → :${i.qualifier} from ${short(i.sourceArn)}`,
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (i) => `${i.provisionedConcurrentExecutions} warm on :${i.qualifier}`,
    "aws:scheduler/schedule:Schedule": (i) =>
        `${i.scheduleExpression} ${i.scheduleExpressionTimezone ?? "UTC"} → ${target(i.target?.arn)} window=${i.flexibleTimeWindow?.mode} retries=${i.target?.retryPolicy?.maximumRetryAttempts} dlq=${i.target?.deadLetterConfig ? "yes" : "no"}`,
    "aws:cloudfront/distribution:Distribution": (i) => {
        const cert = i.viewerCertificate?.acmCertificateArn ? `acm ${i.viewerCertificate.minimumProtocolVersion}` : "default *.cloudfront.net (TLSv1 forced)";
        const api = (i.orderedCacheBehaviors ?? []).map((b: any) => `${b.pathPattern}→${b.targetOriginId}${b.cachePolicyId === "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" ? "(no cache)" : ""}`);
        const spa = (i.defaultCacheBehavior?.functionAssociations ?? []).length > 0 ? "+spa" : "";
        return `INTERNET-FACING ENTRY aliases=${(i.aliases ?? []).join(",") || "-"} cert=${cert} waf=${i.webAclId ? "yes" : "NO"} ${i.httpVersion} ipv6=${i.isIpv6Enabled} ${i.priceClass} behaviours: default→${i.defaultCacheBehavior?.targetOriginId}${spa} ${api.join(" ")} logs=${i.loggingConfig?.prefix ?? "none"}`;
    },
    "aws:cloudfront/vpcOrigin:VpcOrigin": (i) => `${i.vpcOriginEndpointConfig?.originProtocolPolicy} → load balancer (private)`,
    "aws:wafv2/webAcl:WebAcl": (i) =>
        `${i.scope} region=${i.region ?? "-"} default=${Object.keys(i.defaultAction ?? {})[0]} rules: ${(i.rules ?? [])
            .map((r: any) => (r.statement?.rateBasedStatement ? `rate ${r.statement.rateBasedStatement.limit}/${r.statement.rateBasedStatement.evaluationWindowSec ?? 300}s per IP` : r.name))
            .join(", ")}`,
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (i) => `region=${i.region ?? "-"} redacted=${(i.redactedFields ?? []).map((f: any) => f.singleHeader?.name).join(",")}`,
    "aws:acm/certificate:Certificate": (i) => `${[i.domainName, ...(i.subjectAlternativeNames ?? [])].join(" + ")}${i.region ? ` region=${i.region}` : ""}`,
    // Only the alias-move TXT record says something a reviewer checks: which distribution the next move goes to.
    "aws:route53/record:Record": (i) => (i.type === "TXT" ? `TXT ${i.name} → ${(i.records ?? []).join(" ")}` : ""),
    "aws:route53/healthCheck:HealthCheck": (i) => `${i.type} ${short(i.fqdn)}${i.resourcePath} every ${i.requestInterval}s`,
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": (i) =>
        (i.replicationConfiguration?.rules ?? [])
            .map((r: any) => `${(r.repositoryFilters ?? []).map((f: any) => `${f.filter}*`).join(",") || "every repository"} → ${(r.destinations ?? []).map((d: any) => d.region).join(",")}`)
            .join("; "),
    "aws:ecr/repository:Repository": (i) => `tags=${i.imageTagMutability} scanOnPush=${i.imageScanningConfiguration?.scanOnPush} encryption=${i.encryptionConfigurations?.[0]?.encryptionType}`,
};

/** What a trigger invokes: the function's qualifier (`:live`) or the unqualified function, flagged. */
function target(arn: unknown): string {
    const parts = String(arn).split(":");
    return parts.length === 8 ? `alias :${parts[7]}` : `UNQUALIFIED ${short(arn)}`;
}

function policyField(text: unknown, field: string): unknown {
    try {
        return (typeof text === "string" ? JSON.parse(text) : (text as Record<string, unknown>))[field];
    } catch {
        return "?";
    }
}

export function details(node: Pick<PlanNode, "type" | "inputs">): string {
    const fn = DETAILS[node.type];
    try {
        return fn ? fn(node.inputs) : "";
    } catch {
        return "";
    }
}

export function renderTree(roots: PlanNode[]): string[] {
    const lines: string[] = [];
    const walk = (node: PlanNode, prefix: string, last: boolean, top: boolean) => {
        const branch = top ? "" : last ? "└─ " : "├─ ";
        const extra = details(node);
        lines.push(`${prefix}${branch}${node.name}  (${node.type})${extra ? `  ${extra}` : ""}`);
        const childPrefix = top ? prefix : prefix + (last ? "   " : "│  ");
        node.children.forEach((c, i) => walk(c, childPrefix, i === node.children.length - 1, false));
    };
    for (const root of roots) walk(root, "", true, true);
    return lines;
}
