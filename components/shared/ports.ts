/** The ports the platform's tiers talk on: one place, so security groups, listeners and clients agree. */
export const PORTS = {
    http: 80,
    https: 443,
    postgres: 5432,
    redis: 6379,
} as const;
