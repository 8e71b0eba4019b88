import * as assert from "node:assert/strict";
import { CONFIG_KEYS } from "../config";
import { knownStacks, projectFile } from "../offline/run";
import { ofType, stackRun, TIER_STACKS } from "./helpers";

describe("program", () => {
    it("the repository has the dev, staging and prod stack files and prod's recovery stack prod-dr (and no others but the tests' scratch files)", () => {
        assert.deepEqual(knownStacks().filter((s) => !s.endsWith("test")), ["dev", "prod", "prod-dr", "staging"]);
    });

    for (const stack of TIER_STACKS) {
        describe(`${stack} stack file`, () => {
            it("synthesizes without errors into the network, data, releases, queues, compute, workers and monitoring components, in that order", async () => {
                const run = await stackRun(stack);
                assert.equal(run.error, undefined, `${stack}: ${run.error}`);
                const components = run.resources.filter((r) => r.type.startsWith("platform:")).map((r) => `${r.type} ${r.name}`);
                assert.deepEqual(components, [
                    `platform:network:Network ${stack}-network`,
                    `platform:data:Data ${stack}-data`,
                    `platform:releases:Releases ${stack}-releases`,
                    `platform:workers:Queues ${stack}-queues`,
                    `platform:compute:Compute ${stack}-compute`,
                    `platform:workers:Workers ${stack}-workers`,
                    `platform:edge:Edge ${stack}-edge`,
                    `platform:monitoring:Monitoring ${stack}-monitoring`,
                ], `${stack}: component order`);
                assert.equal(run.outputs.tier, stack, `${stack}: tier output`);
            });

            it("every AWS resource uses the one explicit provider", async () => {
                const run = await stackRun(stack);
                const providers = ofType(run, "pulumi:providers:aws");
                assert.equal(providers.length, 1, `${stack}: AWS providers`);
                const ref = `urn:pulumi:${stack}::platform::pulumi:providers:aws::${providers[0].name}::${providers[0].name}-id`;
                const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
                assert.ok(aws.length > 10, `${stack}: only ${aws.length} AWS resources`);
                for (const r of aws) assert.equal(r.provider, ref, `${r.type} ${r.name} does not use the explicit provider`);
                for (const call of run.invokes.filter((c) => c.token.startsWith("aws:"))) {
                    assert.equal(call.provider, ref, `invoke ${call.token} does not use the explicit provider`);
                }
            });

            it("the provider sets the region and tags everything with project, stack and tier", async () => {
                const run = await stackRun(stack);
                const provider = ofType(run, "pulumi:providers:aws")[0];
                assert.equal(provider.inputs.region, "us-east-1", `${stack}: provider region`);
                const tags = JSON.parse(provider.inputs.defaultTags).tags;
                assert.equal(tags.project, "platform", `${stack}: default tag project`);
                assert.equal(tags.stack, stack, `${stack}: default tag stack`);
                assert.equal(tags.tier, stack, `${stack}: default tag tier`);
            });
        });
    }

    it("prod adds the cost-center tag from its stack file", async () => {
        const run = await stackRun("prod");
        const tags = JSON.parse(ofType(run, "pulumi:providers:aws")[0].inputs.defaultTags).tags;
        assert.equal(tags["cost-center"], "product", "prod: default tag cost-center");
    });

    describe("Pulumi.yaml", () => {
        const declared = projectFile().config ?? {};
        const projectKeys = Object.keys(declared).filter((k) => k.startsWith("platform:"));

        it("declares exactly the keys the config module reads", () => {
            assert.deepEqual(projectKeys.map((k) => k.slice("platform:".length)).sort(), Object.keys(CONFIG_KEYS).sort());
        });

        it("gives every key its type and a description, and a default for all but tier", () => {
            for (const key of projectKeys) {
                const decl = declared[key] as Record<string, unknown>;
                const name = key.slice("platform:".length) as keyof typeof CONFIG_KEYS;
                assert.equal(decl.type, CONFIG_KEYS[name].pulumiType, `${key} type`);
                assert.ok(typeof decl.description === "string" && decl.description.length > 20, `${key} description`);
                assert.equal("default" in decl, name !== "tier", `${key} default`);
            }
        });

        it("disables the default AWS provider so a resource without the explicit one fails at preview", () => {
            assert.deepEqual((declared["pulumi:disable-default-providers"] as { value: string[] }).value, ["aws"]);
        });
    });
});
