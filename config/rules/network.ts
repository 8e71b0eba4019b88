/** Network rules for every tier (prod's own refusal of anything but `perAz` is in prod.ts). */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { anyInvalid, fixCommand, RuleContext } from "./context";

/**
 * `network.natInstanceType` sizes the NAT instance, which exists only with `natGateways: instance`: set
 * with a NAT gateway it would be silently ignored, so it is refused (style.md: conflicting settings are
 * refused, never ranked). The fix switches to the instance, except in prod, which must keep `perAz`.
 */
export function networkRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const type = ctx.raw.network?.natInstanceType;
    if (type === undefined || s.network.natGateways === "instance" || anyInvalid(ctx, "network.natGateways", "network.natInstanceType")) return [];
    const remove = `remove network.natInstanceType from Pulumi.${ctx.stack}.yaml`;
    return [
        {
            key: "network.natInstanceType",
            value: type,
            allowed: `only with network.natGateways: instance (this stack's natGateways is ${s.network.natGateways}: NAT gateways have no instance type)`,
            fix: s.tier === "prod" ? remove : `${fixCommand(ctx.stack, "network.natGateways", "instance")}, or ${remove}`,
        },
    ];
}
