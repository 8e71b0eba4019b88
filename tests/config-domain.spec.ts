import * as assert from "node:assert/strict";
import { domainOf } from "../config/merge";

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
