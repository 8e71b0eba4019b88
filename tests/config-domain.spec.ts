import * as assert from "node:assert/strict";
import { domainOf } from "../config/merge";
import { configIssues } from "./helpers";

describe("domain settings hold a name and exactly one certificate source", () => {
    const zone = "Z0123456789ABCDEFGHIJ";
    const cert = "arn:aws:acm:us-east-1:111111111111:certificate/abc";

    it("a name with a hosted zone: the certificate is issued there", () => {
        assert.deepEqual(domainOf({ name: "api.example.com", hostedZoneId: zone }), { name: "api.example.com", hostedZoneId: zone });
    });

    it("a name with a certificate: that certificate is used", () => {
        assert.deepEqual(domainOf({ name: "api.example.com", certificateArn: cert }), { name: "api.example.com", certificateArn: cert });
    });

    it("no domain, a name alone, both sources, or a source without a name is no domain (the rules report the incomplete ones)", () => {
        for (const d of [undefined, {}, { name: "api.example.com" }, { name: "api.example.com", hostedZoneId: zone, certificateArn: cert }, { hostedZoneId: zone }]) {
            assert.equal(domainOf(d), undefined, JSON.stringify(d));
        }
    });
});

describe("regions: where every resource of the stack can be created", () => {
    it("each region with the Serverless Application Repository (botocore's endpoint list) is accepted; a region opened since 2020 is refused", () => {
        const withRepository = ["ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
            "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"];
        for (const region of withRepository) {
            assert.deepEqual(configIssues({ tier: "dev", region }).filter((i) => i.key === "region"), [], region);
        }
        for (const region of ["af-south-1", "ap-northeast-3", "ap-southeast-3", "eu-south-1", "eu-central-2", "mx-central-1"]) {
            assert.equal(configIssues({ tier: "dev", region }).filter((i) => i.key === "region").length, 1, region);
        }
    });
});
