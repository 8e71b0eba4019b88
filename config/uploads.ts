/**
 * Uploads through CloudFront (`edge.uploads.path`): the path pattern viewers use, and what it means in
 * the uploads bucket. CloudFront forwards the whole request path to an S3 origin, so `/uploads/*`
 * serves the objects whose keys start with `uploads/` — and only those: the bucket policy lets the
 * distribution read that key prefix alone, so everything else in the bucket stays private.
 */

/** One or more path segments and a trailing `/*`, e.g. `/uploads/*`, `/media/images/*` (CloudFront path patterns are at most 255 characters). */
export const UPLOADS_PATH = /^\/(?:[A-Za-z0-9_.~-]+\/){1,8}\*$/;
export const UPLOADS_PATH_ALLOWED = "a path prefix of one or more segments ending in /*, e.g. /uploads/* (letters, digits, _ . ~ -)";

/** The object-key prefix a viewer path pattern serves: `/uploads/*` → `uploads/`. */
export function uploadsKeyPrefix(path: string): string {
    return path.slice(1, -1);
}

/** A CloudFront path pattern as a regular expression: `*` any characters (also none), `?` exactly one. */
function globRegExp(pattern: string): RegExp {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${body}$`);
}

const hasWildcard = (p: string) => /[*?]/.test(p);
const literalPrefix = (p: string) => p.replace(/[*?].*$/, "");

/**
 * Whether some request path matches both patterns (then the order of the cache behaviours would decide
 * who serves it). An exact path is tested against the other pattern; two wildcard patterns can share a
 * path only when one's literal prefix starts the other's (conservative: it may refuse a pair that
 * shares none, never accept one that does).
 */
export function pathPatternsOverlap(a: string, b: string): boolean {
    if (!hasWildcard(a)) return globRegExp(b).test(a);
    if (!hasWildcard(b)) return globRegExp(a).test(b);
    const [la, lb] = [literalPrefix(a), literalPrefix(b)];
    return la.startsWith(lb) || lb.startsWith(la);
}
