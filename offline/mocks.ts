/**
 * Mocked providers for running the program offline (tests and `npm run plan`). Emulates what the
 * program reads back from AWS: ids, ARNs, auto-names, endpoints, Lambda versions, awsx Vpc outputs.
 * An invoke it does not know throws, so a new data-source lookup cannot silently return nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockPrimaryOutputs } from "./primary-outputs";

/** The account every mocked ARN, repository URL and caller identity names. */
export const ACCOUNT_ID = "111111111111";

/** An ECR repository's ARN, from its repository name (`arn:aws:ecr:<region>:<account>:repository/<name>`). */
export function mockRepositoryArn(repositoryName: string, region = "us-east-1"): string {
    return `arn:aws:ecr:${region}:${ACCOUNT_ID}:repository/${repositoryName}`;
}

/** The id the mocks give a custom resource: `<logical name>-id`. */
export function mockId(name: string): string {
    return `${name}-id`;
}

/** The physical name the mocks auto-name a resource with, like Pulumi's `<name>-<7 chars>`. */
export function mockPhysicalName(name: string): string {
    return `${name}-abc1234`;
}

/** The domain name the mocks give a CloudFront distribution with this logical name. */
export function mockDistributionDomainName(name: string): string {
    return `d-${mockPhysicalName(name).toLowerCase()}.cloudfront.net`;
}

/** The ARN the mocks give a resource of `type` (a Pulumi type token) that has no ARN format of its own: `arn:aws:<service>:<region>:<account>:<logical name>`. */
export function mockArn(type: string, name: string, region = "us-east-1"): string {
    return `arn:aws:${SERVICE_BY_TYPE(type)}:${region}:${ACCOUNT_ID}:${name}`;
}

/** The ARN the mocks give a KMS key with this logical name. */
export function mockKeyArn(name: string, region = "us-east-1"): string {
    return `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${name}`;
}

/** The version every mocked Lambda function reports as its newest (`version` output). */
export const MOCK_LAMBDA_VERSION = "7";

function lambdaInvokeArn(region: string, functionArn: string): string {
    return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

export interface Recorded {
    resources: pulumi.runtime.MockResourceArgs[];
    invokes: pulumi.runtime.MockCallArgs[];
}

const SERVICE_BY_TYPE = (type: string): string => type.split(":")[1]?.split("/")[0] ?? "mock";

const physicalName = mockPhysicalName;

export function mockState(args: pulumi.runtime.MockResourceArgs, region: string): Record<string, unknown> {
    const { type, name, inputs } = args;
    const arn = mockArn(type, name, region);
    const base = { ...inputs, arn: inputs.arn ?? arn };
    switch (type) {
        case "awsx:ec2:Vpc": {
            const azs = Number(inputs.numberOfAvailabilityZones ?? 3);
            const ids = (kind: string) => Array.from({ length: azs }, (_, i) => `subnet-${kind}-${i + 1}`);
            return { vpcId: `vpc-${name}`, publicSubnetIds: ids("public"), privateSubnetIds: ids("private"), isolatedSubnetIds: [] };
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return { ...base, name: inputs.name ?? `/mock/${physicalName(name)}`, arn: `arn:aws:logs:${inputs.region ?? region}:${ACCOUNT_ID}:log-group:${inputs.name ?? name}` };
        case "aws:cloudfront/distribution:Distribution": {
            // CloudFront's alias-target zone is the same for every distribution (Route 53 docs: Z2FDTNDATAQYW2).
            return { ...base, arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${mockId(name)}`, domainName: mockDistributionDomainName(name), hostedZoneId: "Z2FDTNDATAQYW2" };
        }
        case "aws:acm/certificate:Certificate": {
            // One DNS validation option per name (the domain, then each alternative name), as ACM returns them.
            const names = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])] as string[];
            const domainValidationOptions = names.map((d) => ({ domainName: d, resourceRecordName: `_acm-mock.${d}.`, resourceRecordType: "CNAME", resourceRecordValue: `_acm-mock.${d}.acm-validations.aws.` }));
            return { ...base, arn: `arn:aws:acm:${inputs.region ?? region}:${ACCOUNT_ID}:certificate/${mockId(name)}`, domainValidationOptions };
        }
        case "aws:cloudfront/vpcOrigin:VpcOrigin":
            return { ...base, arn: `arn:aws:cloudfront::${ACCOUNT_ID}:vpcorigin/vo_${name}` };
        case "aws:wafv2/webAcl:WebAcl": {
            const aclName = inputs.name ?? physicalName(name);
            return { ...base, name: aclName, arn: `arn:aws:wafv2:${inputs.region ?? region}:${ACCOUNT_ID}:${inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${aclName}/${mockId(name)}` };
        }
        case "aws:kms/key:Key":
            return { ...base, keyId: `key-${name}`, arn: mockKeyArn(name, inputs.region ?? region) };
        case "aws:s3/bucket:Bucket": {
            const bucket = inputs.bucket ?? physicalName(name).toLowerCase();
            return { ...base, bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
        }
        case "aws:rds/instance:Instance": {
            const identifier = inputs.identifier ?? physicalName(name);
            return {
                ...base,
                identifier,
                arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${identifier}`,
                address: `${identifier}.mock.${region}.rds.amazonaws.com`,
                endpoint: `${identifier}.mock.${region}.rds.amazonaws.com:5432`,
                port: 5432,
                masterUserSecrets: inputs.manageMasterUserPassword
                    ? [{ secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:rds!db-${name}`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" }]
                    : [],
            };
        }
        case "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": {
            // The SAR rotation apps output the function's ARN as RotationLambdaARN (their only output).
            const functionName = inputs.parameters?.functionName ?? physicalName(name);
            return {
                ...base,
                name: inputs.name ?? physicalName(name),
                outputs: { RotationLambdaARN: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${functionName}` },
            };
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                ...base,
                primaryEndpointAddress: `master.${name}.mock.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.mock.cache.amazonaws.com`,
                // Cluster mode: only the configuration endpoint exists (the primary/reader ones are empty).
                ...(inputs.numNodeGroups !== undefined ? { primaryEndpointAddress: "", readerEndpointAddress: "", configurationEndpointAddress: `clustercfg.${name}.mock.cache.amazonaws.com` } : {}),
            };
        case "aws:lb/loadBalancer:LoadBalancer":
            return { ...base, arnSuffix: `app/${inputs.name ?? name}/0123456789`, dnsName: `${inputs.name ?? name}.${region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
        case "aws:lb/targetGroup:TargetGroup":
            return { ...base, arnSuffix: `targetgroup/${inputs.name ?? name}/0123456789` };
        case "aws:ecr/repository:Repository":
            // As AWS builds them: from the repository's name, not from the Pulumi resource's.
            return {
                ...base,
                name: inputs.name ?? name,
                arn: mockRepositoryArn(inputs.name ?? name, region),
                repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${inputs.name ?? name}`,
            };
        case "aws:lambda/function:Function": {
            // Deterministic: every function is at version MOCK_LAMBDA_VERSION (so previousVersion is 6).
            const fnName = inputs.name ?? physicalName(name);
            const fnArn = `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${fnName}`;
            return { ...base, name: fnName, arn: fnArn, version: MOCK_LAMBDA_VERSION, qualifiedArn: `${fnArn}:${MOCK_LAMBDA_VERSION}`, invokeArn: lambdaInvokeArn(region, fnArn) };
        }
        case "aws:lambda/alias:Alias": {
            const fnArn = String(inputs.functionName).startsWith("arn:") ? inputs.functionName : `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${inputs.functionName}`;
            const aliasArn = `${fnArn}:${inputs.name}`;
            return { ...base, arn: aliasArn, invokeArn: lambdaInvokeArn(region, aliasArn) };
        }
        case "aws:sqs/queue:Queue": {
            const queueName = inputs.name ?? physicalName(name);
            return { ...base, name: queueName, arn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${queueName}`, url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${queueName}` };
        }
        case "aws:apigatewayv2/api:Api": {
            const apiId = `api${name.length}${name.replace(/[^a-z0-9]/g, "").slice(-6)}`;
            return {
                ...base,
                name: inputs.name ?? physicalName(name),
                apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
                executionArn: `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${apiId}`,
            };
        }
        case "aws:secretsmanager/secret:Secret":
            return { ...base, arn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${name}` };
        case "aws:ec2/instance:Instance":
            return { ...base, primaryNetworkInterfaceId: `eni-${name}`, arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:instance/${mockId(name)}` };
        case "pulumi:pulumi:StackReference":
            // A recovery stack's view of its primary (offline/primary-outputs.ts).
            return { name: inputs.name, outputs: mockPrimaryOutputs(String(inputs.name)), secretOutputNames: [] };
        case "random:index/randomId:RandomId":
            return { ...inputs, hex: "0a1b2c3d", b64Url: "ChssPQ", dec: "169552957" };
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: "mock-password-0123456789abcdef" };
        default:
            return { ...base, name: inputs.name ?? physicalName(name) };
    }
}

export function mockCall(call: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (call.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/mock`, userId: "mock", id: ACCOUNT_ID };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:ec2/getRouteTables:getRouteTables": {
            const subnetFilter = (call.inputs.filters ?? []).find((f: { name: string }) => f.name === "association.subnet-id");
            const subnets: string[] = subnetFilter?.values ?? [];
            return { ids: subnets.map((s) => `rtb-${s}`), id: "rtbs" };
        }
        case "aws:ec2/getRouteTable:getRouteTable":
            // One route table per subnet (awsx), named like getRouteTables' answers.
            return { id: `rtb-${call.inputs.subnetId}`, routeTableId: `rtb-${call.inputs.subnetId}`, subnetId: call.inputs.subnetId };
        case "aws:ssm/getParameter:getParameter":
            // The AL2023 AMI parameters (components/network/nat-instance.ts): an AMI id per parameter.
            return { id: call.inputs.name, name: call.inputs.name, type: "String", value: `ami-${String(call.inputs.name).split("-").pop()}`, version: 1 };
        case "aws:ec2/getSecurityGroup:getSecurityGroup": {
            // The group CloudFront creates in a VPC for its VPC origins (looked up by name and VPC).
            const byName = (call.inputs.filters ?? []).find((f: { name: string }) => f.name === "group-name");
            const groupName: string = byName?.values?.[0] ?? "mock";
            return { id: `sg-${groupName.toLowerCase()}`, name: groupName, arn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:security-group/sg-${groupName.toLowerCase()}` };
        }
        default:
            throw new Error(`offline mocks: unmocked invoke ${call.token}; add it to offline/mocks.ts`);
    }
}

/** Installs the mocks for one stack and returns the lists they record into. */
export function installMocks(project: string, stack: string, region: string, preview = false): Recorded {
    const recorded: Recorded = { resources: [], invokes: [] };
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                recorded.resources.push(args);
                const state = mockState(args, region);
                // Components may have an empty id; custom resources never (their outputs would stay unknown).
                return { id: args.custom ? mockId(args.name) : "", state };
            },
            call: (call) => {
                recorded.invokes.push(call);
                return mockCall(call);
            },
        },
        project,
        stack,
        preview,
        `${project}-org`,
    );
    return recorded;
}
