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
    /**
     * The validation record another certificate of this stack already owns for the same domain name.
     * ACM asks every certificate of one account for the same domain name for the same CNAME, whatever the
     * region (hashicorp/terraform-provider-aws#13653), so one resource must own the record: two owners
     * (`allowOverwrite`) would delete the other's record when either is replaced, and its renewal would fail.
     * @default - this certificate creates (and owns) the record
     */
    validationRecordFqdn?: pulumi.Input<string>;
    /**
     * Further names the certificate covers whose validation records already exist, owned elsewhere (a
     * recovery stack's edge certificate covers its primary's site name: the primary's certificate owns
     * that record, and ACM asks one account's certificates for the same CNAME). @default - none
     */
    alternativeNames?: pulumi.Input<string>[];
}

export interface DnsCertificate {
    /** The certificate's ARN once validated. */
    arn: pulumi.Output<string>;
    /** The validation record's FQDN (the one this certificate created, or the one it was given). */
    validationRecordFqdn: pulumi.Output<string>;
}

/** Certificate `<name>-cert`, its validation record `<name>-cert-validation` (unless given one), the validation `<name>-cert`. */
export function createDnsCertificate(name: string, args: DnsCertificateArgs, parent: pulumi.Resource): DnsCertificate {
    const region = args.region ? { region: args.region } : {};
    const alternatives = args.alternativeNames ?? [];
    const certificate = new aws.acm.Certificate(
        childName(name, "cert"),
        { ...region, domainName: args.domainName, ...(alternatives.length > 0 ? { subjectAlternativeNames: alternatives } : {}), validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
        { parent },
    );
    // ACM returns one validation option per name, in no promised order: pick each by its name.
    const optionFor = (domain: pulumi.Input<string>) =>
        pulumi.all([certificate.domainValidationOptions, domain]).apply(([options, d]) => {
            const found = options.find((o) => o.domainName === d);
            if (!found) throw new Error(`${name}: ACM returned no DNS validation option for ${d}`);
            return found;
        });
    const option = optionFor(args.domainName);
    const fqdn =
        args.validationRecordFqdn !== undefined
            ? pulumi.output(args.validationRecordFqdn)
            : new aws.route53.Record(
                  childName(name, "cert-validation"),
                  { zoneId: args.zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
                  { parent },
              ).fqdn;
    // The alternative names' records exist already: their FQDNs are the options' record names.
    const others = alternatives.map((n) => optionFor(n).apply((o) => o.resourceRecordName.replace(/\.$/, "")));
    const validation = new aws.acm.CertificateValidation(childName(name, "cert"), { ...region, certificateArn: certificate.arn, validationRecordFqdns: [fqdn, ...others] }, { parent });
    return { arn: validation.certificateArn, validationRecordFqdn: fqdn };
}
