/**
 * VPC CIDR rules. AWS accepts /16 to /28 for a VPC; we require /16 to /20 so awsx can carve a public
 * and a private subnet in each of up to six AZs, an RFC 1918 range, and no host bits set (AWS would
 * otherwise quietly use a different network than the one the stack file shows).
 */

const PRIVATE_RANGES: ReadonlyArray<[string, number]> = [
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
];

export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 20;

function toInt(ip: string): number | undefined {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function fromInt(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function maskOf(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Returns why `cidr` is not a usable VPC block, or undefined when it is. */
export function vpcCidrProblem(cidr: string): string | undefined {
    const [ip, prefixText] = cidr.split("/");
    const address = toInt(ip ?? "");
    const prefix = Number(prefixText);
    if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
        return "is not an IPv4 CIDR block";
    }
    if (prefix < VPC_PREFIX_MIN || prefix > VPC_PREFIX_MAX) {
        return `has prefix /${prefix}; a VPC here needs /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX}`;
    }
    const network = (address & maskOf(prefix)) >>> 0;
    if (network !== address) {
        return `has host bits set; the network address is ${fromInt(network)}/${prefix}`;
    }
    const isPrivate = PRIVATE_RANGES.some(([base, bits]) => ((address & maskOf(bits)) >>> 0) === toInt(base));
    if (!isPrivate) return "is not in a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
    return undefined;
}
