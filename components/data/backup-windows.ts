/**
 * The daily AWS Backup job may start up to 1 h late and run up to 6 h (components/data/backup.ts).
 * No imports: the restore drill (scripts/drill.ts) derives its freshness bound from it without loading
 * the AWS SDK.
 */
export const BACKUP_WINDOWS_MINUTES = { start: 60, completion: 360 } as const;
