/** Release rules: every pinned image is one the stack runs. */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import type { RuleContext } from "./context";

/** A release for an image no service runs (only when the services themselves could be read). */
export function releaseRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    if (ctx.invalid.includes("services")) return [];
    return Object.keys(s.release)
        .filter((image) => !s.services.some((svc) => svc.name === image))
        .map((image) => ({
            key: `release.${image}`,
            value: s.release[image],
            allowed: `an image this stack runs: ${s.services.map((svc) => svc.name).join(", ") || "(no services configured)"}`,
            fix: `add the service under platform:services, or remove the release (pulumi config rm --path 'release.${image}' --stack ${ctx.stack})`,
        }));
}
