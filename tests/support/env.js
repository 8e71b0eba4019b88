// Loaded first by .mocharc.json, before anything imports @pulumi/pulumi (which reads this variable once,
// at import). With it, `${output}` in a template throws instead of silently printing a warning text, so
// `npx mocha tests/data.spec.ts` behaves exactly like `npm test`.
process.env.PULUMI_ERROR_OUTPUT_STRING = "true";
