import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ROOT } from "../offline/run";
import { findPlaceholders, placeholderWarning } from "../scripts/placeholders";

const configOf = (stack: string) => (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as any).config;
const keys = (config: Record<string, unknown>) => findPlaceholders(config).map((p) => p.key);

describe("placeholders in stack files", () => {
    it("flags documentation ids, reserved example domains, synthetic digests and the example account", () => {
        const found = findPlaceholders({
            "platform:domain": { name: "staging-api.example.com", hostedZoneId: "Z0123456789EXAMPLE0" },
            "platform:release": { api: { tag: "4f2c9e1", digest: `sha256:${"0a1b2c3d".repeat(8)}` }, web: { tag: "4f2c9e1", digest: `sha256:${"e".repeat(64)}` } },
            "platform:services": { admin: { hosts: ["admin.example.org", "shop.test"] } },
            "platform:other": { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
        });
        assert.deepEqual(
            found.map((p) => [p.key, p.why]),
            [
                ["platform:domain.name", "a reserved example domain (RFC 2606), not one you own"],
                ["platform:domain.hostedZoneId", "an example identifier (AWS documentation style), not one of yours"],
                ["platform:release.api.digest", "a synthetic digest (a repeated pattern), not a pushed image's"],
                ["platform:release.web.digest", "a synthetic digest (a repeated pattern), not a pushed image's"],
                ["platform:services.admin.hosts[0]", "a reserved example domain (RFC 2606), not one you own"],
                ["platform:services.admin.hosts[1]", "a reserved example domain (RFC 2606), not one you own"],
                ["platform:other.certificateArn", "the AWS documentation example account id"],
            ],
        );
    });

    it("leaves real-looking values alone: own domains, real zone ids, hash-like digests, secrets, CIDRs, commands", () => {
        const real = {
            "platform:tier": "prod",
            "platform:network": { cidr: "10.30.0.0/16" },
            "platform:domain": { name: "api.examples-shop.com", hostedZoneId: "Z04718392LKJH2QWERTY1" },
            "platform:release": { api: { tag: "4f2c9e1a7b3d5c6e8f9012345678901234abcdef", digest: "sha256:9b2f6c1d0e8a7b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0d1e" } },
            "platform:services": { api: { command: ["node", "dist/server.js"], paths: ["/api/*"] } },
            "platform:secret": { secure: "v1:abc" },
        };
        assert.deepEqual(findPlaceholders(real), []);
        assert.deepEqual(placeholderWarning("prod", []), []);
    });

    it("the committed stack files are marked: dev's digests; staging's and prod's domain, zone and digests", () => {
        assert.deepEqual(keys(configOf("dev")), ["platform:release.api.digest", "platform:release.notifier.digest", "platform:release.inference.digest", "platform:release.api-fn.digest", "platform:release.cleanup.digest"]);
        for (const stack of ["staging", "prod"]) {
            assert.deepEqual(keys(configOf(stack)), ["platform:domain.name", "platform:domain.hostedZoneId", "platform:release.api.digest", "platform:release.notifier.digest", "platform:release.inference.digest", "platform:release.api-fn.digest", "platform:release.cleanup.digest"]);
            const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            assert.match(text, /# PLACEHOLDER: example\.com and the zone id Z0123456789EXAMPLE0 are examples/);
        }
        for (const stack of ["dev", "staging", "prod"]) {
            assert.match(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"), /# PLACEHOLDER: these digests are synthetic/);
        }
    });
});
