/**
 * The deploy/ program's configuration: one validated DeploySettings from the `platform-deploy:*` keys
 * of deploy/Pulumi.<account>.yaml plus what the repository says about the platform stacks (their
 * stack files and tiers). Every problem is reported at once, in the same format as the platform's
 * config (config/errors.ts), before any resource is registered.
 */
import { ConfigError, ConfigIssue } from "../config/errors";
import {
    Access,
    DEFAULT_DEPLOY_SESSION_HOURS,
    DEPLOYMENT_OPERATIONS,
    GITHUB_ISSUER_HOST,
    Operation,
    PULUMI_ISSUER_HOST,
    READ_SESSION_SECONDS,
    SESSION_HOURS_MAX,
    SESSION_HOURS_MIN,
} from "./trust";

export const DEPLOY_PROJECT = "platform-deploy";

/** The oldest Pulumi CLI the platform runs on (object-typed config; README "Using it with the Pulumi CLI"). */
export const MIN_CLI_VERSION = "3.187.0";
/**
 * The executor image: Pulumi's Node image for the Node.js LTS CI uses (`-24`; the unsuffixed image follows
 * Pulumi's default Node, 26 since pulumi-docker-containers#703), tagged with the exact CLI version.
 */
export const DEFAULT_EXECUTOR_IMAGE = "pulumi/pulumi-nodejs-24:3.248.0";
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
    /** Each stack's region (`platform:region` of its stack file; absent: the project default us-east-1). */
    regions?: Record<string, string>;
}

/** Create the IAM OIDC provider, or reference one the account already has (IAM allows one per issuer URL). */
export type OidcProviderChoice = { create: true } | { arn: string };

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
    /** The stack's region: where its secrets and keys live (the drift role's scope). */
    region: string;
    /**
     * Pull-request previews in Pulumi Deployments. Only for a stack whose Deployments role is the
     * read-only preview role (no push-to-deploy, no drift detection): a PR preview runs unreviewed code
     * with that role. Default false: previews run in .github/workflows/preview.yml with `<stack>-preview`.
     */
    previewPullRequests: boolean;
    roles: Record<Access, string>;
    /**
     * Which role Pulumi Deployments gets (one role per stack for every operation): the deploy role for a
     * push-to-deploy stack, the preview role for a stack with Deployments PR previews, else the drift role.
     */
    deploymentsAccess: Access;
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
    /** Session length per role (seconds): the deploy role's is `sessionHours`, the others an hour. */
    sessionSeconds: Record<Access, number>;
    /** This account's IAM OIDC providers: created here, or existing ones referenced by ARN. */
    oidcProviders: { pulumi: OidcProviderChoice; github: OidcProviderChoice };
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

/** The ARN IAM gives an OIDC provider: fixed by account and issuer host (one provider per URL and account). */
export function oidcProviderArn(accountId: string, host: string): string {
    return `arn:aws:iam::${accountId}:oidc-provider/${host}`;
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
            problem(key, value, "an object: {account, writers, readers?, pushToDeploy?, previewPullRequests?, trust?, driftCron?, paths?}", set(`${key}.account`, "nonprod"));
            continue;
        }
        const allowedFields = ["account", "writers", "readers", "pushToDeploy", "previewPullRequests", "trust", "driftCron", "paths"];
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

        // One role per stack in Deployments: PR previews (unreviewed code) only with the preview role, which
        // can neither deploy (push-to-deploy) nor read the secrets a refresh reads (drift detection).
        const previewPullRequests = value.previewPullRequests ?? false;
        if (typeof previewPullRequests !== "boolean") problem(`${key}.previewPullRequests`, previewPullRequests, "true or false", set(`${key}.previewPullRequests`, "false"));
        else if (previewPullRequests && (pushToDeploy === true || driftCron !== undefined)) {
            const why = pushToDeploy === true ? "push-to-deploy gives its Deployments runs the deploy role" : "drift detection gives its Deployments runs the drift role";
            problem(`${key}.previewPullRequests`, previewPullRequests, `false for this stack: ${why}, which can read secrets, and a pull-request preview runs unreviewed code with the same role (pull requests are previewed by .github/workflows/preview.yml with the read-only <stack>-preview role)`, `pulumi config rm --path '${key}.previewPullRequests' --stack ${account} (in deploy/)`);
        }

        const paths = value.paths ?? defaultPaths(name);
        if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== "string" || p.length === 0)) {
            problem(`${key}.paths`, paths, "a non-empty list of path globs (a `!` prefix excludes)", `pulumi config rm --path '${key}.paths' --stack ${account} (in deploy/) to use the defaults`);
        } else if (!paths.includes(`Pulumi.${name}.yaml`)) {
            problem(`${key}.paths`, paths, `a list that includes Pulumi.${name}.yaml (a promotion changes only that file)`, set(`${key}.paths[${paths.length}]`, `Pulumi.${name}.yaml`));
        }

        const roles: Record<Access, string> = { write: `${repo.project}-${name}-deploy`, drift: `${repo.project}-${name}-drift`, read: `${repo.project}-${name}-preview` };
        for (const [access, roleName] of Object.entries(roles)) {
            if (roleName.length > ROLE_NAME_MAX) problem(key, name, `a stack name short enough for the ${access} role name ${roleName} (IAM: at most ${ROLE_NAME_MAX} characters)`, "use a shorter stack name");
        }
        const sessionName = `pulumi-deployments-${name}`;
        if (!SESSION_NAME.test(sessionName)) problem(key, name, `a stack name that makes a valid STS session name (${sessionName}: 2-64 of letters, digits, +=,.@_-)`, "use a shorter stack name");

        if (typeof acct === "string" && accounts[acct] && typeof writers === "string" && typeof pushToDeploy === "boolean" && typeof previewPullRequests === "boolean" && Array.isArray(trust) && Array.isArray(readers) && Array.isArray(paths)) {
            const deploymentsAccess: Access = pushToDeploy ? "write" : previewPullRequests ? "read" : "drift";
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
                region: repo.regions?.[name] ?? "us-east-1",
                previewPullRequests,
                roles,
                deploymentsAccess,
                // Deployments has one role per stack for every operation it runs (settings at @pulumi/pulumiservice
                // 1.3.0); the role's trust admits only the operations that role is for (trust.ts DEPLOYMENT_OPERATIONS).
                deploymentOperations: DEPLOYMENT_OPERATIONS[deploymentsAccess],
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

    const sessionHours = raw.sessionHours ?? DEFAULT_DEPLOY_SESSION_HOURS;
    if (typeof sessionHours !== "number" || !Number.isInteger(sessionHours) || sessionHours < SESSION_HOURS_MIN || sessionHours > SESSION_HOURS_MAX) {
        problem("sessionHours", sessionHours, `a whole number of hours, ${SESSION_HOURS_MIN}-${SESSION_HOURS_MAX} (IAM MaxSessionDuration: 1-12 h): how long a deploy role's session lasts; a first prod deploy can take more than an hour`, set("sessionHours", String(DEFAULT_DEPLOY_SESSION_HOURS)));
    }

    // oidcProviders: { pulumi?, github? }: "create" (default), "existing" or the provider's ARN in this account.
    const oidcProviders = { pulumi: { create: true }, github: { create: true } } as DeploySettings["oidcProviders"];
    const rawProviders = raw.oidcProviders ?? {};
    if (!isObject(rawProviders)) problem("oidcProviders", rawProviders, "an object {pulumi?, github?}, each \"create\", \"existing\" or the provider's ARN", set("oidcProviders.github", "existing"));
    else {
        const hosts = { pulumi: PULUMI_ISSUER_HOST, github: GITHUB_ISSUER_HOST } as const;
        for (const f of Object.keys(rawProviders)) if (!(f in hosts)) problem(`oidcProviders.${f}`, rawProviders[f], "one of the fields pulumi, github", `pulumi config rm --path 'oidcProviders.${f}' --stack ${account} (in deploy/)`);
        for (const [issuer, host] of Object.entries(hosts) as Array<[keyof typeof hosts, string]>) {
            const v = rawProviders[issuer] ?? "create";
            const expected = accounts[account] ? oidcProviderArn(accounts[account], host) : undefined;
            if (v === "create") continue;
            if (v === "existing" && expected) oidcProviders[issuer] = { arn: expected };
            else if (typeof v === "string" && v === expected) oidcProviders[issuer] = { arn: v };
            else if (v !== "existing") {
                problem(`oidcProviders.${issuer}`, v, `"create" (deploy/ creates the provider), "existing" (the account already has it: deploy/ references ${expected ?? `arn:aws:iam::<account>:oidc-provider/${host}`} and never changes or deletes it) or exactly that ARN`, set(`oidcProviders.${issuer}`, "existing"));
            }
        }
    }

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
        sessionSeconds: { write: (sessionHours as number) * 3600, drift: READ_SESSION_SECONDS, read: READ_SESSION_SECONDS },
        oidcProviders,
        chat,
        policy,
        githubIssuer: githubIssuer === true ? { stacks: stacks.map((s) => ({ name: s.name, writers: s.writers, previewTeam: s.previewTeam })) } : undefined,
    };
}
