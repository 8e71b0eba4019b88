/** Bucket lifecycle rules for every tier (prod's own refusals are in prod.ts). */
import type { ConfigIssue } from "../errors";
import type { Settings } from "../settings";
import { check, RuleContext } from "./context";

/**
 * Glacier Flexible Retrieval bills 90 days minimum, so an object that moves there stays at least 90
 * days before it expires; 0 means no transition.
 */
export function storageRules(s: Settings, ctx: RuleContext): ConfigIssue[] {
    const lifecycles: Array<[string, number, string, number]> = [
        ["storage.uploads.noncurrentExpireDays", s.storage.uploads.noncurrentExpireDays, "storage.uploads.noncurrentToGlacierDays", s.storage.uploads.noncurrentToGlacierDays],
        ["storage.logs.expireDays", s.storage.logs.expireDays, "storage.logs.toGlacierDays", s.storage.logs.toGlacierDays],
    ];
    return lifecycles.flatMap(([key, expire, glacierKey, glacier]) =>
        check(
            ctx,
            glacier === 0 || expire >= glacier + 90,
            key,
            expire,
            `at least ${glacier + 90}: ${glacierKey} (${glacier}) + 90 days, Glacier Flexible Retrieval's minimum storage; or set ${glacierKey} to 0`,
            String(glacier + 90),
            [key, glacierKey],
        ),
    );
}
