import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../offline/run";
import { TIER_STACKS } from "./helpers";

/** Runs `npm run plan -- <args>` the way a person would (a separate process). */
function plan(...args: string[]) {
    const r = spawnSync("npm", ["run", "--silent", "plan", "--", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run plan", function () {
    this.timeout(60_000);

    for (const stack of TIER_STACKS) {
        it(`prints the ${stack} resource tree and outputs under an offline header and exits 0`, () => {
            const r = plan(stack);
            assert.equal(r.code, 0, `npm run plan -- ${stack} exit code; stderr:\n${r.stderr}`);
            assert.match(r.stdout, new RegExp(`^OFFLINE PLAN  stack=${stack}  tier=${stack}`, "m"));
            assert.match(r.stdout, /Providers are mocked: no AWS account/);
            assert.match(r.stdout, new RegExp(`${stack}-network  \\(platform:network:Network\\)`));
            assert.match(r.stdout, /[├└]─ .*\(awsx:ec2:Vpc\)  cidr=10\.\d+\.0\.0\/16/);
            assert.match(r.stdout, /^Outputs:\n  tier: "/m);
            assert.match(r.stdout, /vpcId: "vpc-/);
            // Services show their image digests and scaling bounds; release is among the outputs.
            assert.match(r.stdout, /\(aws:ecs\/taskDefinition:TaskDefinition\)  cpu=512 memory=1024 arch=ARM64 image=\S+\/platform\/\w+\/api@sha256:[0-9a-f]{64}/);
            assert.match(r.stdout, /\(aws:appautoscaling\/target:Target\)  tasks=\d+-\d+/);
            assert.match(r.stdout, /^  release: \{/m);
            assert.equal(/plain HTTP only/.test(r.stdout), stack === "dev", `${stack}: only dev serves HTTP without a domain, and the plan says so`);
        });
    }

    it("refuses an unknown stack with the list of stacks, exit 2 and no stack trace", () => {
        const r = plan("qa");
        assert.equal(r.code, 2);
        assert.match(r.stderr, /unknown stack "qa"/);
        assert.match(r.stderr, /stacks: dev, prod, staging/);
        assert.doesNotMatch(r.stderr + r.stdout, /\s+at .+:\d+:\d+/);
    });

    it("refuses a missing stack argument with usage, exit 2", () => {
        const r = plan();
        assert.equal(r.code, 2);
        assert.match(r.stderr, /usage: npm run plan -- <stack>/);
    });

    describe("with an invalid stack file", () => {
        const file = path.join(ROOT, "Pulumi.plantest.yaml");
        before(() => fs.writeFileSync(file, "config:\n  platform:tier: prod\n  platform:network:\n    natGateways: single\n    azCount: 12\n"));
        after(() => fs.rmSync(file, { force: true }));

        it("prints every config problem, exit 1 and no stack trace", () => {
            const r = plan("plantest");
            assert.equal(r.code, 1);
            assert.match(r.stderr, /Invalid configuration for stack "plantest" \(2 problems\)/);
            assert.match(r.stderr, /network\.azCount = 12/);
            assert.match(r.stderr, /network\.natGateways = "single"/);
            assert.doesNotMatch(r.stderr + r.stdout, /\s+at .+:\d+:\d+/);
            assert.equal(r.stdout, "");
        });
    });
});
