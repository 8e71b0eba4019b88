/**
 * The Pulumi SDK records `new Error().stack` for every promise it creates (leak diagnostics), and
 * ts-node's source-map support rewrites every one of those stacks: about half of an offline run's
 * time. Offline runs (tests, plan) drop the rewriting; error positions then refer to the transpiled
 * code, which transpile-only emit keeps on the same lines for nearly all statements.
 */
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
