/**
 * Secrets must never sit in plain stack config (it is committed, shown in previews and copied into
 * task definitions). Names that say "secret" are refused, and so are values that look like one:
 * credentials inside a URL and the well-known key formats. Release tags (hex SHAs) and image digests
 * (sha256:<hex>) are hex only and match none of these.
 */
import type { ConfigIssue } from "./errors";

/** Names that say "secret": such values belong in Secrets Manager (FSBP ECS.8). */
export const SECRET_LIKE_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** Well-known credential formats, each with the name it is reported under. */
const SECRET_VALUE_PATTERNS: ReadonlyArray<[string, RegExp]> = [
    // scheme://user:password@host (postgres://, redis://, https://, amqp://, ...)
    ["credentials inside a URL", /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i],
    // AWS access key ids: AKIA (long-term), ASIA (temporary), ABIA/ACCA (other principals)
    ["an AWS access key id", /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/],
    ["a PEM private key", /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/],
    ["a GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/],
    ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
    ["a Stripe live key", /\b[sr]k_live_[A-Za-z0-9]{10,}/],
    // header.payload.signature, base64url, header and payload both JSON objects ("{" → eyJ)
    ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];

/** What kind of secret `value` looks like, or undefined. */
export function secretLikeValue(value: string): string | undefined {
    return SECRET_VALUE_PATTERNS.find(([, re]) => re.test(value))?.[0];
}

/** An error message is printed and logged: a value that looks like a secret (or sits under a secret-like name) is not shown. */
export function hideSecrets(issue: ConfigIssue): ConfigIssue {
    const name = issue.key.split(/[.[\]"]+/).filter(Boolean).pop() ?? "";
    const text = typeof issue.value === "string" ? issue.value : JSON.stringify(issue.value ?? "");
    return SECRET_LIKE_NAME.test(name) || secretLikeValue(text) ? { ...issue, value: "(hidden)" } : issue;
}
