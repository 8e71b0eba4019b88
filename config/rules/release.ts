/** Release rules: every pinned image is one the stack runs. */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import type { RuleContext } from "./context";

/** A release for an image no service or worker runs (only when the services themselves could be read). */
export function releaseRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    if (ctx.invalid.includes("services") || ctx.invalid.includes("workers")) return [];
    const images = [...s.services.map((svc) => svc.name), ...s.workers.map((w) => w.name)];
    return Object.keys(s.release)
        .filter((image) => !images.includes(image))
        .map((image) => ({
            key: `release.${image}`,
            value: s.release[image],
            allowed: `an image this stack runs: ${images.join(", ") || "(no services configured)"}`,
            fix: `add the service under platform:services (or the worker under platform:workers), or remove the release (pulumi config rm --path 'release.${image}' --stack ${ctx.stack})`,
        }));
}
