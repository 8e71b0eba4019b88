import * as assert from "node:assert/strict";
import * as Mocha from "mocha";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { showOnce } = require("./support/summary-reporter.js") as { showOnce: (err: unknown) => void };

/** The AssertionError an assertion throws, as mocha receives it. */
function failure(fn: () => void): assert.AssertionError {
    try {
        fn();
    } catch (err) {
        return err as assert.AssertionError;
    }
    throw new Error("the assertion did not fail");
}

/** Whether mocha's base reporter prints its own `+ expected - actual` diff for an error (untyped API). */
const mochaShowsDiff = (err: unknown) => (Mocha.reporters.Base as unknown as { showDiff(e: unknown): boolean }).showDiff(err);

describe("test output: each failure is printed once", () => {
    it("a deepEqual failure keeps its message (stack and setting) and only mocha's diff", () => {
        const err = failure(() => assert.deepEqual({ multiAz: false }, { multiAz: true }, "prod: database.multiAz"));
        showOnce(err);
        assert.equal(err.message, "prod: database.multiAz");
        assert.equal(err.stack!.split("+ actual - expected").length, 1, `node's diff left in the stack:\n${err.stack}`);
        assert.equal(err.stack!.split("prod: database.multiAz").length, 2, "the message appears once in the stack");
        assert.equal(mochaShowsDiff(err), true, "mocha still shows its diff");
    });

    it("an equal failure with a message drops node's `1 !== 2` line", () => {
        const err = failure(() => assert.equal(1, 2, "dev: database.readReplicas"));
        showOnce(err);
        assert.equal(err.message, "dev: database.readReplicas");
    });

    it("a multi-line message is kept whole", () => {
        const err = failure(() => assert.equal(1, 0, "npm run plan -- prod exit code; stderr:\nboom"));
        showOnce(err);
        assert.equal(err.message, "npm run plan -- prod exit code; stderr:\nboom");
    });

    it("assert.ok shows its message without a -false +true diff", () => {
        const err = failure(() => assert.ok(false, "staging: forceDestroy must be off"));
        showOnce(err);
        assert.equal(err.message, "staging: forceDestroy must be off");
        assert.equal(mochaShowsDiff(err), false);
    });
});
