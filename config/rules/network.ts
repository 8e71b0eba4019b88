/** Network rules for every tier (prod's own refusal of anything but `perAz` is in prod.ts). */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { anyInvalid, fixCommand, RuleContext } from "./context";

/**
 * `network.natInstanceType` sizes the NAT instance, which exists only with `natGateways: instance`: set
 * with a NAT gateway it would be silently ignored, so the combination is refused (style.md: conflicting
 * settings are refused, never ranked). The issue names `natGateways`, the setting that contradicts the
 * type: the type's own fix example (`t4g.nano`) must stay a valid value for the field in every tier
 * (tests/config.spec.ts "following a suggested fix works"). The fix switches to the instance, except in
 * prod, which must keep `perAz`: there it is removing the type.
 */
export function networkRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const type = ctx.raw.network?.natInstanceType;
    if (type === undefined || s.network.natGateways === "instance" || anyInvalid(ctx, "network.natGateways", "network.natInstanceType")) return [];
    const remove = `remove network.natInstanceType from Pulumi.${ctx.stack}.yaml`;
    return [
        {
            key: "network.natGateways",
            value: s.network.natGateways,
            allowed: `instance while network.natInstanceType is set (${type} sizes a NAT instance; NAT gateways have no instance type)${s.tier === "prod" ? ", which prod refuses (perAz only)" : ""}`,
            fix: s.tier === "prod" ? remove : `${fixCommand(ctx.stack, "network.natGateways", "instance")}, or ${remove}`,
        },
    ];
}
