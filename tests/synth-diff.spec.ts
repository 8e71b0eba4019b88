import * as assert from "node:assert/strict";
import { compare, differences } from "../scripts/synth-diff";

const urn = (name: string) => `urn:pulumi:dev::platform::platform:compute:Compute$aws:iam/role:Role::${name}`;

describe("synth-diff (what a change does to the deployed resources)", () => {
    it("reports nothing for identical programs", () => {
        const dump = [{ urn: urn("a"), custom: true, inputs: { policy: '{"Statement":[{"Action":"s3:GetObject"}]}' } }];
        assert.deepEqual(compare(dump, structuredClone(dump)), []);
    });

    it("a URN that disappears or appears is a delete or a create", () => {
        const lines = compare([{ urn: urn("old"), custom: true, inputs: {} }], [{ urn: urn("new"), custom: true, inputs: {} }]);
        assert.deepEqual(lines, [`- ${urn("old")}`, `+ ${urn("new")}`]);
    });

    it("a changed input is named by its path, inside JSON text too", () => {
        const before = { policy: '{"Statement":[{"Action":"s3:GetObject","Resource":"a"}]}', size: 1 };
        const after = { policy: '{"Statement":[{"Action":"s3:*","Resource":"a"}]}', size: 1 };
        assert.deepEqual(differences(before, after), ['policy.Statement[0].Action: "s3:GetObject" → "s3:*"']);
    });

    it("an added or removed input counts as a change", () => {
        assert.deepEqual(differences({ a: 1 }, { a: 1, waitForSteadyState: true }), ["waitForSteadyState: undefined → true"]);
    });
});
