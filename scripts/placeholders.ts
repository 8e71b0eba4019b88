/**
 * Placeholder values in a stack file: the committed stack files carry examples (a documentation
 * zone id, example.com domains, synthetic digests) so the program can be planned and tested offline.
 * A real `pulumi up` with them fails late (no such zone, no such image) or, worse, half-succeeds.
 * `npm run plan` prints every one as a WARNING; README "First deploy" says what replaces them.
 */

export interface Placeholder {
    /** Where: the config key and path, e.g. `platform:domain.hostedZoneId`. */
    key: string;
    value: string;
    why: string;
}

/** Rules on string values: first match wins. */
const RULES: Array<{ test: (v: string) => boolean; why: string }> = [
    {
        // AWS documentation marks example identifiers with EXAMPLE (Z0123456789EXAMPLE0, AKIAIOSFODNN7EXAMPLE).
        test: (v) => v.includes("EXAMPLE"),
        why: "an example identifier (AWS documentation style), not one of yours",
    },
    {
        // RFC 2606 / RFC 6761 reserve example.com/.net/.org and the .example, .test and .invalid TLDs.
        test: (v) => /^(?:[a-z0-9*-]+\.)*(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid))$/i.test(v),
        why: "a reserved example domain (RFC 2606), not one you own",
    },
    {
        // A real digest is a hash: a short pattern repeated over all 64 hex characters is made up.
        test: (v) => /^sha256:([0-9a-f]{1,32})\1+$/.test(v),
        why: "a synthetic digest (a repeated pattern), not a pushed image's",
    },
    {
        test: (v) => /(^|[^0-9])123456789012([^0-9]|$)/.test(v),
        why: "the AWS documentation example account id",
    },
];

/** Every placeholder in a stack file's `config:` mapping (as parsed), in file order. `secure:` values are skipped. */
export function findPlaceholders(config: Record<string, unknown> | undefined): Placeholder[] {
    const found: Placeholder[] = [];
    const walk = (value: unknown, key: string): void => {
        if (typeof value === "string") {
            const rule = RULES.find((r) => r.test(value));
            if (rule) found.push({ key, value, why: rule.why });
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${key}[${i}]`));
        } else if (value !== null && typeof value === "object" && !("secure" in value)) {
            for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`);
        }
    };
    for (const [key, value] of Object.entries(config ?? {})) walk(value, key);
    return found;
}

/** The plan's warning block, or no lines when the stack file holds no placeholders. */
export function placeholderWarning(stack: string, found: Placeholder[]): string[] {
    if (found.length === 0) return [];
    return [
        `WARNING: Pulumi.${stack}.yaml holds ${found.length} placeholder value${found.length === 1 ? "" : "s"}; replace ${found.length === 1 ? "it" : "them"} before a real pulumi up (README "First deploy"):`,
        ...found.map((p) => `  - ${p.key} = ${p.value}: ${p.why}`),
    ];
}
