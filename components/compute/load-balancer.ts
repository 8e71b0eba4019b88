/**
 * The stack's public Application Load Balancer: in the public subnets behind the load-balancer
 * security group, access logs to the logs bucket, and its listeners — HTTPS (TLS 1.3 policy) with
 * HTTP redirected to it when a domain is configured, else (dev only) plain HTTP. With a hosted zone,
 * a DNS-validated certificate and the domain's alias record are created here too.
 * Cost: ≈ $16/month + LCUs (us-east-1).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DomainSettings } from "../../config";
import { childName, loadBalancerName, NameScope } from "../naming";
import type { NetworkHandle } from "../network";
import { createDnsCertificate } from "../shared/certificate";
import { LOG_PREFIXES } from "../shared/logs";
import { PORTS } from "../shared/ports";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
    scope: NameScope;
    network: Pick<NetworkHandle, "publicSubnetIds" | "securityGroups">;
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
}

export function createLoadBalancer(name: string, args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancer {
    const loadBalancer = new aws.lb.LoadBalancer(
        childName(name, "alb"),
        {
            name: loadBalancerName(args.scope),
            loadBalancerType: "application",
            internal: false,
            subnets: args.network.publicSubnetIds,
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
    const certificateArn = certificateFor(name, args.domain, loadBalancer, parent);
    const https = new aws.lb.Listener(
        childName(name, "https"),
        { loadBalancerArn: loadBalancer.arn, port: PORTS.https, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn, defaultActions: [notFound] },
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
    return { loadBalancer, listener: https };
}

/** The configured certificate, or one issued in the configured hosted zone (DomainSettings holds exactly one of the two). */
function certificateFor(name: string, domain: DomainSettings, loadBalancer: aws.lb.LoadBalancer, parent: pulumi.Resource): pulumi.Input<string> {
    return domain.certificateArn !== undefined ? domain.certificateArn : issueCertificate(name, domain, loadBalancer, parent);
}

/** A DNS-validated certificate in the load balancer's region (ACM renews it), and the domain's alias record. */
function issueCertificate(
    name: string,
    domain: { name: string; hostedZoneId: string },
    loadBalancer: aws.lb.LoadBalancer,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const certificateArn = createDnsCertificate(name, { domainName: domain.name, zoneId: domain.hostedZoneId }, parent);
    new aws.route53.Record(
        childName(name, "alias"),
        { zoneId: domain.hostedZoneId, name: domain.name, type: "A", aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }] },
        { parent },
    );
    return certificateArn;
}
