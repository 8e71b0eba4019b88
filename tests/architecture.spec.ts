import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { mockCall } from "../offline/mocks";
import { ROOT } from "../offline/run";

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

describe("architecture rules", () => {
    const components = sources("components");

    it("components never read config or the stack name (stacks differ in config/ only)", () => {
        assert.ok(components.length >= 10);
        for (const file of components) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.doesNotMatch(text, /pulumi\.Config\b|getStack\(|getProject\(|runtime\.allConfig|process\.env/, file);
        }
    });

    it("only index.ts exports stack outputs; components hold no top-level state", () => {
        for (const file of components) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.doesNotMatch(text, /^(let|var) /m, `${file} has module-level mutable state`);
        }
    });

    it("the offline mocks refuse a provider lookup they do not emulate", () => {
        assert.throws(
            () => mockCall({ token: "aws:ec2/getAmi:getAmi", inputs: {} } as pulumi.runtime.MockCallArgs),
            /unmocked invoke aws:ec2\/getAmi:getAmi/,
        );
    });
});
