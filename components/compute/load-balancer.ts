/**
 * The stack's Application Load Balancer: internal, in the private subnets behind the load-balancer
 * security group (only CloudFront's VPC origin reaches it; components/edge), access logs to the logs
 * bucket, and its listeners — HTTPS (TLS 1.3 policy) with HTTP redirected to it when a domain is
 * configured, else (dev only) plain HTTP. With a hosted zone, a DNS-validated certificate for the
 * domain is issued here in the load balancer's region: CloudFront forwards the viewer's Host and checks
 * the origin's certificate against it. The domain's DNS records point at CloudFront (edge), not here.
 * Switching `internal` replaces the load balancer (stateless; its DNS name changes, which only the
 * VPC origin uses). Cost: ≈ $16/month + LCUs (us-east-1), no public IPv4 addresses.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DomainSettings } from "../../config";
import { childName, loadBalancerName, NameScope } from "../naming";
import type { NetworkHandle } from "../network";
import { createDnsCertificate, DnsCertificate } from "../shared/certificate";
import { LOG_PREFIXES } from "../shared/logs";
import { PORTS } from "../shared/ports";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
    scope: NameScope;
    network: Pick<NetworkHandle, "privateSubnetIds" | "securityGroups">;
    /** Logs bucket name that resolves once its policy admits ALB log delivery. */
    logsBucketReadyName: pulumi.Input<string>;
    deletionProtection: boolean;
    /** Without one (dev only), the load balancer serves plain HTTP. @default - HTTP only */
    domain?: DomainSettings;
}

export interface LoadBalancer {
    loadBalancer: aws.lb.LoadBalancer;
    /** The listener services' rules attach to: HTTPS, or HTTP without a domain. */
    listener: aws.lb.Listener;
    /** The DNS validation record of the certificate issued here (the edge's certificate for the same name reuses it). */
    certificateValidationFqdn?: pulumi.Output<string>;
}

export function createLoadBalancer(name: string, args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancer {
    const loadBalancer = new aws.lb.LoadBalancer(
        childName(name, "alb"),
        {
            name: loadBalancerName(args.scope),
            loadBalancerType: "application",
            // Internal: no public address at all; CloudFront reaches it through a VPC origin (edge).
            internal: true,
            subnets: args.network.privateSubnetIds,
            securityGroups: [args.network.securityGroups.loadBalancer],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            enableDeletionProtection: args.deletionProtection,
            accessLogs: { bucket: args.logsBucketReadyName, prefix: LOG_PREFIXES.alb, enabled: true },
        },
        { parent },
    );
    const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "not found", statusCode: "404" } };
    if (!args.domain) {
        // Config allows this only where the tier says so (dev); the plan shows the HTTP listener.
        const http = new aws.lb.Listener(
            childName(name, "http"),
            { loadBalancerArn: loadBalancer.arn, port: PORTS.http, protocol: "HTTP", defaultActions: [notFound] },
            { parent },
        );
        return { loadBalancer, listener: http };
    }
    const certificate = certificateFor(name, args.domain, parent);
    const https = new aws.lb.Listener(
        childName(name, "https"),
        { loadBalancerArn: loadBalancer.arn, port: PORTS.https, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: certificate.arn, defaultActions: [notFound] },
        { parent },
    );
    new aws.lb.Listener(
        childName(name, "http-redirect"),
        {
            loadBalancerArn: loadBalancer.arn,
            port: PORTS.http,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(PORTS.https), statusCode: "HTTP_301" } }],
        },
        { parent },
    );
    return { loadBalancer, listener: https, certificateValidationFqdn: certificate.validationRecordFqdn };
}

/** The configured certificate, or one issued in the configured hosted zone (DomainSettings holds exactly one of the two). */
function certificateFor(name: string, domain: DomainSettings, parent: pulumi.Resource): { arn: pulumi.Input<string>; validationRecordFqdn?: pulumi.Output<string> } {
    return domain.certificateArn !== undefined ? { arn: domain.certificateArn } : issueCertificate(name, domain, parent);
}

/**
 * A DNS-validated certificate in the load balancer's region (ACM renews it). The domain's alias
 * records belong to the edge (CloudFront); the load balancer has no public name.
 */
function issueCertificate(name: string, domain: { name: string; hostedZoneId: string }, parent: pulumi.Resource): DnsCertificate {
    return createDnsCertificate(name, { domainName: domain.name, zoneId: domain.hostedZoneId }, parent);
}
