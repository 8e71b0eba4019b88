/**
 * An ACM certificate validated through DNS in a Route 53 zone (ACM renews it while the record
 * exists), in a given region: the load balancer's region for compute, us-east-1 for CloudFront (edge).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";

export interface DnsCertificateArgs {
    domainName: string;
    /** Route 53 hosted zone that answers for `domainName`. */
    zoneId: string;
    /** Region of the certificate (CloudFront needs us-east-1). @default - the provider's region */
    region?: string;
}

/** Certificate `<name>-cert`, its validation record `<name>-cert-validation`, the validation `<name>-cert`; returns the validated ARN. */
export function createDnsCertificate(name: string, args: DnsCertificateArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const region = args.region ? { region: args.region } : {};
    const certificate = new aws.acm.Certificate(
        childName(name, "cert"),
        { ...region, domainName: args.domainName, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
        { parent },
    );
    const option = certificate.domainValidationOptions[0];
    const record = new aws.route53.Record(
        childName(name, "cert-validation"),
        { zoneId: args.zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
        { parent },
    );
    const validation = new aws.acm.CertificateValidation(
        childName(name, "cert"),
        { ...region, certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent },
    );
    return validation.certificateArn;
}
