/**
 * Who delivers ALB access logs in a region. A pure function of the region: `aws.elb.getServiceAccount`
 * knows only regions opened before 2022 and fails for newer ones.
 *
 * Regions opened before August 2022 deliver from a regional Elastic Load Balancing account; newer
 * regions deliver through the `logdelivery.elasticloadbalancing.amazonaws.com` service principal
 * (ALB user guide, "Enable access logs for your Application Load Balancer", bucket policy).
 *
 * Source of the table: hashicorp/terraform-provider-aws internal/service/elb/service_account_data_source.go
 * (`accountIDPerRegionMap`, commit 01f431114674c27cf790fafb67ac274bf8f765e1), cross-checked against the ALB
 * user guide's "Regions available before August 2022" list; copied 2026-11-30. China regions are left
 * out (config refuses them). No region is ever added here: regions opened since August 2022 have no account.
 */
export const ELB_LOG_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
};

/** The service principal every region accepts (the only one in regions opened since August 2022). */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export type LogDeliveryPrincipal = { AWS: string } | { Service: string };

/**
 * Principals to admit for ALB access-log delivery in `region`: the regional ELB account (where one
 * exists) and the log-delivery service principal.
 */
export function albLogDeliveryPrincipals(region: string): LogDeliveryPrincipal[] {
    const account = ELB_LOG_ACCOUNT_BY_REGION[region];
    const partition = region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return [...(account ? [{ AWS: `arn:${partition}:iam::${account}:root` }] : []), { Service: ELB_LOG_DELIVERY_SERVICE }];
}
