/** Prefixes in the logs bucket, one per writer (the bucket policy admits each writer to its own prefix only). */
export const LOG_PREFIXES = { s3: "s3/", alb: "alb", cloudfront: "cloudfront/" } as const;
