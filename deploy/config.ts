/**
 * The deploy/ program's configuration: one validated DeploySettings from the `platform-deploy:*` keys
 * of deploy/Pulumi.<account>.yaml plus what the repository says about the platform stacks (their
 * stack files and tiers). Every problem is reported at once, in the same format as the platform's
 * config (config/errors.ts), before any resource is registered.
 */
import { ConfigError, ConfigIssue } from "../config/errors";
import { Operation, OPERATIONS, READ_OPERATIONS } from "./trust";

export const DEPLOY_PROJECT = "platform-deploy";

/** The oldest Pulumi CLI the platform runs on (object-typed config; README "Using it with the Pulumi CLI"). */
export const MIN_CLI_VERSION = "3.187.0";
export const DEFAULT_EXECUTOR_IMAGE = "pulumi/pulumi-nodejs:3.248.0";
export const DEFAULT_TEST_COMMAND = "npm test";
export const DEFAULT_DRIFT_CRON = "0 6 * * *";
export const POLICY_PACK = "platform-policy";
export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];
export const PERMISSIONS = { read: 101, edit: 102, admin: 103 } as const; // pulumiservice TeamStackPermissionScope
export const CHAT_FORMATS = ["slack", "ms_teams"] as const;
export const POLICY_MODES = ["preventative", "audit"] as const;
/** IAM role names: 64 characters (IAM quotas); AssumeRole session names: 2-64 of [\w+=,.@-]. */
const ROLE_NAME_MAX = 64;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** What the repository holds, read by index.ts from the files (tests pass their own). */
export interface RepoFacts {
    /** The platform's Pulumi project name (root Pulumi.yaml). */
    project: string;
    /** Platform stacks that have a Pulumi.<stack>.yaml, with the tier the file names. */
    stacks: Record<string, string | undefined>;
}

export interface StackDelivery {
    name: string;
    tier: Tier;
    accountId: string;
    /** `pulumi up` on every push to the branch (Pulumi Deployments); dev only. */
    pushToDeploy: boolean;
    /** Stacks whose runs may assume this stack's roles (itself; never another for prod). */
    trust: string[];
    /** Pulumi team that may write the stack (and approves its deployments); others only read. */
    writers: string;
    readers: string[];
    /**
     * Pulumi team whose token previews on the workflow path use (Stack Read allows previews): the first
     * reader; a non-prod stack without readers falls back to its writers, prod must have a reader.
     */
    previewTeam: string;
    /** Drift detection schedule (cron, UTC); prod always has one. */
    driftCron?: string;
    /** Changed paths that start a deployment or preview of this stack. */
    paths: string[];
    roles: { write: string; read: string };
    /** Which of the two roles Pulumi Deployments gets (it has one role per stack for every operation). */
    deploymentsAccess: "write" | "read";
    /** The operations Deployments runs with that role, which are exactly what the role's trust admits. */
    deploymentOperations: readonly Operation[];
    sessionName: string;
}

export interface DeploySettings {
    /** This stack of deploy/: one per AWS account (its name is the account's key in `accounts`). */
    account: string;
    accountId: string;
    region: string;
    organization: string;
    project: string;
    repository: string;
    branch: string;
    executorImage: string;
    cliVersion: string;
    preRunCommands: string[];
    /** The platform stacks whose AWS side lives in this account. */
    stacks: StackDelivery[];
    chat?: { url: string; format: (typeof CHAT_FORMATS)[number] };
    policy?: { pack: string; versionTag?: string; mode: (typeof POLICY_MODES)[number] };
    /**
     * Register GitHub Actions as an OIDC issuer of the Pulumi organization (one deploy stack per
     * organization owns it), with its policies for every platform stack: environment `<stack>` gets a
     * token of the team that writes the stack, `<stack>-preview` one of its preview (read) team.
     */
    githubIssuer?: { stacks: Array<{ name: string; writers: string; previewTeam: string }> };
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);

function semverAtLeast(version: string, min: string): boolean {
    const a = version.split(".").map(Number);
    const b = min.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
}

/** Paths a change to which concerns `stack`: the program, the lockfile, the policy pack and the stack's own file. */
export function defaultPaths(stack: string): string[] {
    return [
        "index.ts",
        "config/**",
        "components/**",
        "policy/**",
        "Pulumi.yaml",
        `Pulumi.${stack}.yaml`,
        "package.json",
        "package-lock.json",
        "tsconfig.json",
    ];
}

/**
 * Validates raw config (keys without the `platform-deploy:` prefix, objects parsed) for deploy stack
 * `account`. Throws ConfigError listing every problem.
 */
export function resolveDeploySettings(raw: Raw, account: string, repo: RepoFacts): DeploySettings {
    const issues: ConfigIssue[] = [];
    const set = (key: string, example: string) => `pulumi config set --path '${key}' '${example}' --stack ${account} (in deploy/)`;
    const problem = (key: string, value: unknown, allowed: string, fix: string) => issues.push({ key, value, allowed, fix });

    const str = (key: string, example: string, pattern?: RegExp, allowed = "a non-empty string"): string => {
        const v = raw[key];
        if (typeof v !== "string" || v.length === 0 || (pattern && !pattern.test(v))) {
            problem(key, v, allowed, set(key, example));
            return "";
        }
        return v;
    };
    const organization = str("organization", "acme", /^[\w.-]+$/, "the Pulumi organization's name");
    const repository = str("repository", "acme/platform", /^[\w.-]+\/[\w.-]+$/, "the GitHub repository as owner/name");
    const branch = raw.branch === undefined ? "main" : str("branch", "main");
    const region = raw.region === undefined ? "us-east-1" : str("region", "us-east-1", /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name");
    const testCommand = raw.testCommand === undefined ? DEFAULT_TEST_COMMAND : str("testCommand", DEFAULT_TEST_COMMAND);

    const executorImage = raw.executorImage === undefined ? DEFAULT_EXECUTOR_IMAGE : str("executorImage", DEFAULT_EXECUTOR_IMAGE);
    const cliVersion = /:(\d+\.\d+\.\d+)(-[\w.]+)?$/.exec(executorImage)?.[1] ?? "";
    if (executorImage && (!cliVersion || !semverAtLeast(cliVersion, MIN_CLI_VERSION))) {
        problem("executorImage", executorImage, `an image tagged with an exact Pulumi CLI version >= ${MIN_CLI_VERSION} (no "latest": the CLI must not change under a deployment)`, set("executorImage", DEFAULT_EXECUTOR_IMAGE));
    }

    // accounts: { <key>: "<12-digit id>" }
    const accounts: Record<string, string> = {};
    if (!isObject(raw.accounts) || Object.keys(raw.accounts).length === 0) {
        problem("accounts", raw.accounts, "an object of account key → 12-digit AWS account id, e.g. {nonprod: \"222222222222\", prod: \"333333333333\"}", set("accounts.prod", "333333333333"));
    } else {
        for (const [key, id] of Object.entries(raw.accounts)) {
            if (typeof id !== "string" || !/^\d{12}$/.test(id)) problem(`accounts.${key}`, id, "a 12-digit AWS account id, quoted", set(`accounts.${key}`, "333333333333"));
            else accounts[key] = id;
        }
    }
    const accountKeys = isObject(raw.accounts) ? Object.keys(raw.accounts) : [];
    if (accountKeys.length > 0 && !accountKeys.includes(account)) {
        problem("(stack name)", account, `a stack of deploy/ is named after the account it bootstraps: one of ${accountKeys.join(", ")}`, `pulumi stack init <org>/${DEPLOY_PROJECT}/<one of ${accountKeys.join(", ")}> (in deploy/), or add the account to accounts`);
    }

    // stacks: { <platform stack>: { account, writers, readers?, pushToDeploy?, trust?, driftCron?, paths? } }
    const stacks: StackDelivery[] = [];
    const known = Object.keys(repo.stacks).sort();
    const rawStacks = isObject(raw.stacks) ? raw.stacks : {};
    if (!isObject(raw.stacks) || Object.keys(raw.stacks).length === 0) {
        problem("stacks", raw.stacks, `an object with an entry per platform stack (${known.join(", ")})`, set("stacks.dev.account", "nonprod"));
    }
    const tierOf = (name: string): Tier | undefined => {
        const t = repo.stacks[name];
        return (TIERS as readonly string[]).includes(t ?? "") ? (t as Tier) : undefined;
    };
    for (const [name, value] of Object.entries(rawStacks)) {
        const key = `stacks.${name}`;
        if (!(name in repo.stacks)) {
            problem(key, name, `a platform stack with a Pulumi.<stack>.yaml in the repository root: ${known.join(", ")}`, `remove ${key}, or create the platform stack first (Pulumi.${name}.yaml)`);
            continue;
        }
        const tier = tierOf(name);
        if (!tier) {
            problem(key, repo.stacks[name], `Pulumi.${name}.yaml must set platform:tier to one of ${TIERS.join(", ")}`, `pulumi config set tier <tier> --stack ${name} (in the repository root)`);
            continue;
        }
        if (!isObject(value)) {
            problem(key, value, "an object: {account, writers, readers?, pushToDeploy?, trust?, driftCron?, paths?}", set(`${key}.account`, "nonprod"));
            continue;
        }
        const allowedFields = ["account", "writers", "readers", "pushToDeploy", "trust", "driftCron", "paths"];
        for (const f of Object.keys(value)) if (!allowedFields.includes(f)) problem(`${key}.${f}`, value[f], `one of the fields ${allowedFields.join(", ")}`, `pulumi config rm --path '${key}.${f}' --stack ${account} (in deploy/)`);

        const acct = value.account;
        if (typeof acct !== "string" || !accountKeys.includes(acct)) {
            problem(`${key}.account`, acct, `the key of the account the stack deploys into: one of ${accountKeys.join(", ") || "(no accounts configured)"}`, set(`${key}.account`, tier === "prod" ? "prod" : "nonprod"));
        }
        const writers = value.writers;
        if (typeof writers !== "string" || !/^[\w.-]+$/.test(writers)) problem(`${key}.writers`, writers, "the Pulumi team (name, not display name) that may write the stack and approves its deployments", set(`${key}.writers`, tier === "prod" ? "platform-approvers" : "developers"));
        const readers = value.readers ?? [];
        if (!Array.isArray(readers) || readers.some((r) => typeof r !== "string")) problem(`${key}.readers`, readers, "a list of Pulumi team names with read access", set(`${key}.readers[0]`, "developers"));
        else if (typeof writers === "string" && readers.includes(writers)) problem(`${key}.readers`, readers, `teams other than the writers team (${writers})`, `pulumi config rm --path '${key}.readers' --stack ${account} (in deploy/), then add the read-only teams`);

        if (tier === "prod" && Array.isArray(readers) && readers.length === 0) {
            problem(`${key}.readers`, readers, "at least one team: prod's previews run unreviewed code with the first reader team's token (read access), never the writers'", set(`${key}.readers[0]`, "developers"));
        }

        const pushToDeploy = value.pushToDeploy ?? tier === "dev";
        if (typeof pushToDeploy !== "boolean") problem(`${key}.pushToDeploy`, pushToDeploy, "true or false", set(`${key}.pushToDeploy`, "false"));
        else if (pushToDeploy && tier === "prod") {
            problem(`${key}.pushToDeploy`, pushToDeploy, "false for a prod stack: prod deploys stable tags after approval (protected GitHub environment), never on push", `pulumi config rm --path '${key}.pushToDeploy' --stack ${account} (in deploy/)`);
        }

        const trust = value.trust ?? [name];
        if (!Array.isArray(trust) || trust.length === 0 || trust.some((t) => typeof t !== "string" || !(t in repo.stacks))) {
            problem(`${key}.trust`, trust, `a non-empty list of platform stacks (${known.join(", ")}) whose deployments may assume this stack's roles`, set(`${key}.trust[0]`, name));
        } else if (tier === "prod" && (trust.length !== 1 || trust[0] !== name)) {
            problem(`${key}.trust`, trust, `exactly ["${name}"]: a prod stack's roles trust only that stack (another stack's deployment must never get prod credentials)`, `pulumi config rm --path '${key}.trust' --stack ${account} (in deploy/)`);
        } else if (tier !== "prod" && trust.some((t: string) => tierOf(t) === "prod")) {
            problem(`${key}.trust`, trust, "non-prod stacks only (a prod stack gets its credentials from the prod account)", set(`${key}.trust[0]`, name));
        }

        const driftCron = value.driftCron ?? (tier === "prod" ? DEFAULT_DRIFT_CRON : undefined);
        if (driftCron !== undefined && (typeof driftCron !== "string" || driftCron.trim().split(/\s+/).length !== 5)) {
            problem(`${key}.driftCron`, driftCron, "a five-field cron expression (UTC), e.g. \"0 6 * * *\"", set(`${key}.driftCron`, DEFAULT_DRIFT_CRON));
        } else if (driftCron === undefined && tier === "prod") {
            problem(`${key}.driftCron`, driftCron, "a schedule: prod always runs drift detection", set(`${key}.driftCron`, DEFAULT_DRIFT_CRON));
        }

        const paths = value.paths ?? defaultPaths(name);
        if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== "string" || p.length === 0)) {
            problem(`${key}.paths`, paths, "a non-empty list of path globs (a `!` prefix excludes)", `pulumi config rm --path '${key}.paths' --stack ${account} (in deploy/) to use the defaults`);
        } else if (!paths.includes(`Pulumi.${name}.yaml`)) {
            problem(`${key}.paths`, paths, `a list that includes Pulumi.${name}.yaml (a promotion changes only that file)`, set(`${key}.paths[${paths.length}]`, `Pulumi.${name}.yaml`));
        }

        const roles = { write: `${repo.project}-${name}-deploy`, read: `${repo.project}-${name}-preview` };
        for (const [access, roleName] of Object.entries(roles)) {
            if (roleName.length > ROLE_NAME_MAX) problem(key, name, `a stack name short enough for the ${access} role name ${roleName} (IAM: at most ${ROLE_NAME_MAX} characters)`, "use a shorter stack name");
        }
        const sessionName = `pulumi-deployments-${name}`;
        if (!SESSION_NAME.test(sessionName)) problem(key, name, `a stack name that makes a valid STS session name (${sessionName}: 2-64 of letters, digits, +=,.@_-)`, "use a shorter stack name");

        if (typeof acct === "string" && accounts[acct] && typeof writers === "string" && typeof pushToDeploy === "boolean" && Array.isArray(trust) && Array.isArray(readers) && Array.isArray(paths)) {
            const deploymentsAccess = pushToDeploy ? "write" : "read";
            stacks.push({
                name,
                tier,
                accountId: accounts[acct],
                pushToDeploy,
                trust: trust as string[],
                writers,
                readers: readers as string[],
                previewTeam: (readers as string[])[0] ?? writers,
                driftCron: driftCron as string | undefined,
                paths: paths as string[],
                roles,
                deploymentsAccess,
                // Deployments has one role per stack for every operation it runs (settings at @pulumi/pulumiservice
                // 1.3.0): a stack that deploys on push needs all of them on the write role; the others only preview,
                // refresh and detect drift, with the read-only role.
                deploymentOperations: deploymentsAccess === "write" ? OPERATIONS : READ_OPERATIONS,
                sessionName,
            });
        }
    }

    // Separate AWS accounts for prod and non-prod (seed 002): no account holds both.
    const byAccount = new Map<string, Set<Tier>>();
    for (const [name, value] of Object.entries(rawStacks)) {
        const tier = tierOf(name);
        if (!tier || !isObject(value) || typeof value.account !== "string") continue;
        byAccount.set(value.account, (byAccount.get(value.account) ?? new Set()).add(tier));
    }
    for (const [acct, tiers] of byAccount) {
        if (tiers.has("prod") && tiers.size > 1) {
            problem(`accounts.${acct}`, [...tiers], "an account with prod stacks only: prod and non-prod live in separate AWS accounts", "give the prod stack its own account (stacks.<prod stack>.account)");
        }
    }

    let chat: DeploySettings["chat"];
    if (raw.chat !== undefined) {
        const c = raw.chat;
        if (!isObject(c) || typeof c.url !== "string" || !/^https:\/\//.test(c.url)) {
            problem("chat.url", isObject(c) ? (c.url === undefined ? undefined : "[secret]") : c, "the chat's incoming-webhook URL (https://), set as a secret", `pulumi config set --secret --path 'chat.url' '<https://hooks...>' --stack ${account} (in deploy/)`);
        } else {
            const format = c.format ?? "slack";
            if (!(CHAT_FORMATS as readonly unknown[]).includes(format)) problem("chat.format", format, `one of ${CHAT_FORMATS.join(", ")}`, set("chat.format", "slack"));
            else chat = { url: c.url, format: format as (typeof CHAT_FORMATS)[number] };
        }
    }

    let policy: DeploySettings["policy"];
    const p = raw.policy ?? {};
    if (!isObject(p)) problem("policy", p, "an object {pack?, versionTag?, mode?, enabled?}", set("policy.mode", "preventative"));
    else {
        for (const f of Object.keys(p)) if (!["pack", "versionTag", "mode", "enabled"].includes(f)) problem(`policy.${f}`, p[f], "one of the fields pack, versionTag, mode, enabled", `pulumi config rm --path 'policy.${f}' --stack ${account} (in deploy/)`);
        const enabled = p.enabled ?? true;
        if (typeof enabled !== "boolean") problem("policy.enabled", enabled, "true or false (false: no policy group, e.g. before the pack is published)", set("policy.enabled", "true"));
        const mode = p.mode ?? "preventative";
        if (!(POLICY_MODES as readonly unknown[]).includes(mode)) problem("policy.mode", mode, `one of ${POLICY_MODES.join(", ")}`, set("policy.mode", "preventative"));
        const pack = p.pack ?? POLICY_PACK;
        if (typeof pack !== "string" || pack.length === 0) problem("policy.pack", pack, "the published policy pack's name", set("policy.pack", POLICY_PACK));
        const versionTag = p.versionTag;
        if (versionTag !== undefined && typeof versionTag !== "string") problem("policy.versionTag", versionTag, "a published version of the pack, quoted", set("policy.versionTag", "0.1.0"));
        if (enabled !== false) policy = { pack: String(pack), versionTag: versionTag as string | undefined, mode: mode as (typeof POLICY_MODES)[number] };
    }

    const githubIssuer = raw.githubIssuer ?? false;
    if (typeof githubIssuer !== "boolean") problem("githubIssuer", githubIssuer, "true in exactly one stack of deploy/ per Pulumi organization (it registers the org-wide issuer), false elsewhere", set("githubIssuer", "true"));

    if (issues.length > 0) throw new ConfigError(account, issues);
    return {
        account,
        accountId: accounts[account],
        region,
        organization,
        project: repo.project,
        repository,
        branch,
        executorImage,
        cliVersion,
        // Each line runs in its own shell in the executor (docs "Deployment settings"): install exactly the lockfile, then the offline suite.
        preRunCommands: ["npm ci --no-audit --no-fund", testCommand],
        stacks: stacks.filter((s) => s.accountId === accounts[account]),
        chat,
        policy,
        githubIssuer: githubIssuer === true ? { stacks: stacks.map((s) => ({ name: s.name, writers: s.writers, previewTeam: s.previewTeam })) } : undefined,
    };
}
