/**
 * The Pulumi SDK records `new Error().stack` for every promise it creates (leak diagnostics), and
 * ts-node's source-map support rewrites every one of those stacks: about half of an offline run's
 * time. Offline runs (tests, plan) drop the rewriting; error positions then refer to the transpiled
 * code, which transpile-only emit keeps on the same lines for nearly all statements.
 */
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

/*
 * Even without the rewriting, two diagnostics the SDK computes for every promise and every resource were
 * about two thirds of what is left of a synthesis's CPU time (measured with --cpu-prof on prod), and
 * offline nothing reads them:
 * - each debuggable promise's creation stack, kept for the leak report printed at exit: capturing it is
 *   skipped (Error.stackTraceLimit 0 while the SDK wraps the promise); leaks are still detected and
 *   reported with their context, only without that stack;
 * - each resource's source position and call stack (`Resource.callsites`, unlimited depth), which the SDK
 *   sends with the registration: the engine shows it, the mock monitor ignores it.
 * Both are SDK internals of the pinned @pulumi/pulumi (package.json); if a release renames them, this
 * patches nothing and offline runs are merely slower. Errors thrown by the program or a test keep their
 * full stacks.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise?: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
const sdkResource = require("@pulumi/pulumi/resource").Resource as { callsites?: () => unknown[] };
/* eslint-enable @typescript-eslint/no-require-imports */
const debuggablePromise = debuggable.debuggablePromise;
if (typeof debuggablePromise === "function") {
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return debuggablePromise(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
if (typeof sdkResource.callsites === "function") sdkResource.callsites = () => [];
