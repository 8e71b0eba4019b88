import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { createDnsCertificate } from "../components/shared/certificate";
import { assumeRolePolicy } from "../components/shared/iam";
import { grantCondition, keyPolicyStatements, ServiceKeyGrant } from "../components/shared/kms";
import { ACCOUNT_ID, installMocks } from "../offline/mocks";
import { resolve, settle } from "../offline/run";
import { ofType, policy } from "./helpers";

describe("shared helpers", () => {
    describe("KMS key policy", () => {
        const ALARMS_TO_SNS: ServiceKeyGrant = {
            sid: "CloudWatchAlarmsPublish",
            service: "cloudwatch.amazonaws.com",
            actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
            when: [{ sourceAccount: ACCOUNT_ID }, { sourceArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:*` }],
        };

        it("the account administers every key through IAM (without it a key can lock everyone out)", async () => {
            const [root] = (await resolve(keyPolicyStatements(ACCOUNT_ID))) as Array<Record<string, unknown>>;
            assert.deepEqual(root, { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" });
        });

        it("a service principal is granted only its actions, and only on behalf of this account and source", async () => {
            const statements = (await resolve(keyPolicyStatements(ACCOUNT_ID, [ALARMS_TO_SNS]))) as Array<Record<string, unknown>>;
            assert.equal(statements.length, 2);
            assert.deepEqual(statements[1], {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:*` },
                },
            });
        });

        it("an encryption-context condition names the context key (CloudWatch Logs: aws:logs:arn)", () => {
            assert.deepEqual(grantCondition([{ encryptionContext: { key: "aws:logs:arn", arnLike: "arn:aws:logs:us-east-1:1:log-group:*" } }]), {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:1:log-group:*" },
            });
        });

        it("a service grant without a source condition does not type-check", () => {
            // @ts-expect-error: `when` needs at least one condition (a service principal unconditioned is a confused deputy).
            const unguarded: ServiceKeyGrant = { sid: "x", service: "events.amazonaws.com", actions: ["kms:Decrypt"], when: [] };
            assert.ok(unguarded);
        });
    });

    describe("service roles", () => {
        it("only the named service may assume the role, and with a source account only on this account's behalf", async () => {
            const guarded = policy(await resolve(assumeRolePolicy("vpc-flow-logs.amazonaws.com", ACCOUNT_ID))).Statement;
            assert.deepEqual(guarded, [
                { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } },
            ]);
            const plain = policy(await resolve(assumeRolePolicy("ecs-tasks.amazonaws.com"))).Statement;
            assert.deepEqual(plain, [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        });
    });

    describe("DNS-validated certificates", () => {
        it("a certificate for CloudFront lives in us-east-1 (certificate and validation), whatever the stack's region", async () => {
            const recorded = installMocks("platform", "unit", "eu-west-1");
            const parent = new pulumi.ComponentResource("platform:test:Parent", "unit-edge");
            const cert0 = createDnsCertificate("unit-edge", { domainName: "www.example.com", zoneId: "Z1", region: "us-east-1" }, parent);
            await settle(recorded);
            const cert = ofType(recorded, "aws:acm/certificate:Certificate");
            assert.deepEqual(cert.map((c) => [c.name, c.inputs.region, c.inputs.domainName, c.inputs.validationMethod]), [["unit-edge-cert", "us-east-1", "www.example.com", "DNS"]]);
            const validation = ofType(recorded, "aws:acm/certificateValidation:CertificateValidation");
            assert.deepEqual(validation.map((v) => [v.name, v.inputs.region]), [["unit-edge-cert", "us-east-1"]]);
            const record = ofType(recorded, "aws:route53/record:Record");
            assert.deepEqual(record.map((r) => [r.name, r.inputs.zoneId]), [["unit-edge-cert-validation", "Z1"]]);
            assert.ok(pulumi.Output.isInstance(cert0.arn));
        });

        it("given another certificate's validation record (same name, same account), it creates no record of its own and validates through that one", async () => {
            const recorded = installMocks("platform", "unit", "eu-west-1");
            const parent = new pulumi.ComponentResource("platform:test:Parent", "unit-edge");
            createDnsCertificate("unit-edge", { domainName: "www.example.com", zoneId: "Z1", region: "us-east-1", validationRecordFqdn: "_abc.www.example.com" }, parent);
            await settle(recorded);
            assert.deepEqual(ofType(recorded, "aws:route53/record:Record"), []);
            const validation = ofType(recorded, "aws:acm/certificateValidation:CertificateValidation");
            assert.deepEqual(validation.map((v) => v.inputs.validationRecordFqdns), [["_abc.www.example.com"]]);
        });

        it("without a region the certificate follows the provider's (the load balancer's region)", async () => {
            const recorded = installMocks("platform", "unit", "us-east-1");
            createDnsCertificate("unit-compute", { domainName: "api.example.com", zoneId: "Z1" }, new pulumi.ComponentResource("platform:test:Parent", "unit-compute"));
            await settle(recorded);
            for (const r of recorded.resources.filter((x) => x.type.startsWith("aws:acm/"))) assert.equal(r.inputs.region, undefined, r.name);
        });
    });
});
