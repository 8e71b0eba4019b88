import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { mockCall } from "../offline/mocks";
import { ROOT } from "../offline/run";
import { physicalNames } from "../config/naming";
import * as naming from "../components/naming";
import { RecordedOptions, recordResourceOptions } from "./helpers";

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

    it("only the naming module concatenates project and stack into a name", () => {
        for (const file of components.filter((f) => f !== path.join("components", "naming.ts"))) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.doesNotMatch(text, /\$\{[\w.]*project\}-\$\{[\w.]*stack\}/, `${file} builds a <project>-<stack> name itself: use components/naming.ts`);
        }
    });

    it("config's worst-case name table and the naming module produce the same fixed names", () => {
        const scope = { project: "platform", stack: "staging" };
        const prefix = naming.namePrefix(scope);
        const fixed = new Set(physicalNames(scope.project, scope.stack, ["api"]).filter((n) => !n.autoNamed).map((n) => n.name));
        for (const name of [
            naming.databaseIdentifier(prefix, 5),
            naming.kmsAliasName(prefix, "data"),
            naming.loadBalancerName(scope),
            naming.rotationFunctionName(prefix),
            naming.repositoryName(scope, "api"),
            naming.serviceLogGroupName(scope, "api"),
            naming.taskFamily(scope, "api", "-migrate"),
        ]) {
            assert.ok(fixed.has(name), `config/naming.ts physicalNames() does not check "${name}"`);
        }
    });

    describe("in a program run", () => {
        let recorded: RecordedOptions[];
        before(async () => {
            recorded = await recordResourceOptions("prod");
        });

        it("every child's logical name starts with its parent component's name", () => {
            const children = recorded.filter((r) => r.opts.parent !== undefined);
            assert.ok(children.length > 50, `only ${children.length} children recorded`);
            for (const child of children) {
                const parent = recorded.find((r) => r.resource === child.opts.parent);
                assert.ok(parent, `${child.type} ${child.name}: parent not recorded`);
                assert.ok(child.name.startsWith(`${parent.name}-`), `${child.type} ${child.name} is not named <${parent.name}>-<role>`);
            }
        });

        it("every component is a platform:<area>:<Component> with the AWS resources as its children", () => {
            const components = recorded.filter((r) => r.type.startsWith("platform:"));
            assert.deepEqual(components.map((c) => c.type), ["platform:network:Network", "platform:data:Data", "platform:releases:Releases", "platform:workers:Queues", "platform:compute:Compute", "platform:workers:Workers", "platform:edge:Edge", "platform:monitoring:Monitoring"]);
            for (const r of recorded.filter((x) => x.type.startsWith("aws:") && x.type !== "pulumi:providers:aws")) {
                assert.ok(components.some((c) => c.resource === r.opts.parent), `${r.type} ${r.name} sits outside every component`);
            }
        });
    });

    it("every component registers exactly what it exposes (its handle), nothing more or less", async () => {
        const proto = pulumi.ComponentResource.prototype as unknown as { registerOutputs(outputs?: Record<string, unknown>): void };
        const original = proto.registerOutputs;
        const registered = new Map<object, Record<string, unknown>>();
        proto.registerOutputs = function (this: object, outputs?: Record<string, unknown>) {
            // Pulumi itself calls registerOutputs({}) later for components without initialize(): keep the component's own call.
            if (!registered.has(this)) registered.set(this, outputs ?? {});
            return original.call(this, outputs);
        };
        let platform: Record<string, object>;
        try {
            platform = await programComponents();
        } finally {
            proto.registerOutputs = original;
        }
        for (const [area, component] of Object.entries(platform)) {
            const outputs = registered.get(component);
            assert.ok(outputs, `${area} never called registerOutputs`);
            const exposed = Object.keys(component).filter((k) => !k.startsWith("__") && k !== "urn");
            assert.deepEqual(Object.keys(outputs).sort(), exposed.sort(), `${area}: registered outputs vs. public fields`);
            for (const k of exposed) assert.equal(outputs[k], (component as Record<string, unknown>)[k], `${area}.${k}`);
        }
    });
});

/** Builds the platform for the dev stack under mocks and returns its components. */
async function programComponents(): Promise<Record<string, object>> {
    const { installMocks } = await import("../offline/mocks");
    const { stackConfig, settle } = await import("../offline/run");
    const { loadSettings } = await import("../config");
    const { createPlatform } = await import("../components/platform");
    const { config, secretKeys } = stackConfig("dev");
    const recorded = installMocks("platform", "dev", "us-east-1");
    pulumi.runtime.setAllConfig(config, secretKeys);
    const platform = createPlatform(loadSettings());
    await settle(recorded);
    return { ...platform };
}
