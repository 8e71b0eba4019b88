// Mocha's spec reporter, with each assertion failure shown once, plus one closing line in the plain
// form CI reads: "N passed, N failed".
//
// node:assert appends its own diff to the message (even to a custom message such as
// "prod: database.multiAz"), and mocha then prints its diff of the same values below it: every diff
// appeared twice, in opposite +/- conventions. Here the message keeps its text (what was checked, on
// which stack) and mocha's diff stays; `assert.ok(false, msg)` shows only the message (a -false +true
// diff says nothing).
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

/** Where node:assert's appended diff starts in a message, or -1. */
function nodeDiffStart(message) {
    const table = message.indexOf("\n+ actual - expected");
    if (table !== -1) return table;
    const inline = /\n\n[^\n]* !== [^\n]*\n*$/.exec(message); // "<msg>\n\n1 !== 2\n"
    return inline ? inline.index : -1;
}

function showOnce(err) {
    if (!err || err.code !== "ERR_ASSERTION" || typeof err.message !== "string") return;
    if (err.operator === "==" && typeof err.actual === "boolean") {
        err.showDiff = false; // assert.ok: the message says it all
        return;
    }
    if (!Mocha.reporters.Base.showDiff(err)) return; // mocha prints no diff: keep node's
    const cut = nodeDiffStart(err.message);
    if (cut === -1) return;
    const original = err.message;
    err.message = original.slice(0, cut).trimEnd();
    if (typeof err.stack === "string") err.stack = err.stack.replace(original, err.message);
}

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        runner.prependListener(EVENT_TEST_FAIL, (_test, err) => showOnce(err));
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats;
            process.stdout.write(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}\n`);
        });
    }
}

module.exports = SpecWithSummary;
module.exports.showOnce = showOnce;
