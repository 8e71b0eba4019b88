/**
 * npm run mutate [-- --only <id>,<id>] [--list]
 *
 * A small mutation test of the suite: each mutation is a realistic one-line regression of a safety
 * property, applied alone to a temporary copy of the repository (node_modules symlinked), followed by
 * the spec files that should catch it. A mutation that leaves those specs green "survived": the suite
 * would not notice that regression. Exits 1 if any survived, 2 if a mutation no longer applies (its
 * search text is gone: update the mutation, so this script cannot rot silently).
 *
 * Not part of `npm test` (it runs the relevant specs once per mutation: minutes, not seconds).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Mutation {
    id: string;
    /** The regression, in words. */
    what: string;
    file: string;
    /** Exact text in the file (must occur exactly once) and what replaces it. */
    search: string;
    replace: string;
    /** Spec files expected to fail. */
    specs: string[];
}

export const MUTATIONS: Mutation[] = [
    {
        id: "prod-multiaz-invariant",
        what: "prod no longer refuses a single-AZ database",
        file: "config/rules/prod.ts",
        search: `holds: (s) => s.database.multiAz,`,
        replace: `holds: () => true,`,
        specs: ["tests/config.spec.ts"],
    },
    {
        id: "prod-backup-bound-29",
        what: "prod accepts 29-day AWS Backup retention (bound 30 → 29)",
        file: "config/rules/prod.ts",
        search: `holds: (s) => s.backup.retentionDays >= 30,`,
        replace: `holds: (s) => s.backup.retentionDays >= 29,`,
        specs: ["tests/config.spec.ts"],
    },
    {
        id: "prod-log-retention",
        what: "prod log retention default 365 → 400 days (still passes the prod invariant)",
        file: "config/tiers.ts",
        search: `logs: { retentionDays: 365 },`,
        replace: `logs: { retentionDays: 400 },`,
        specs: ["tests/matrix.spec.ts", "tests/tiers.spec.ts"],
    },
    {
        id: "bucket-tls-only-dropped",
        what: "buckets lose the TLS-only (aws:SecureTransport) deny statement",
        file: "components/data/buckets.ts",
        search: `Statement: [tlsOnlyStatement(guarded.bucket.arn), `,
        replace: `Statement: [`,
        specs: ["tests/data.spec.ts"],
    },
    {
        id: "db-publicly-accessible",
        what: "the database becomes publicly accessible",
        file: "components/data/database.ts",
        search: `publiclyAccessible: false,`,
        replace: `publiclyAccessible: true,`,
        specs: ["tests/data.spec.ts"],
    },
    {
        id: "db-deletion-protection-off",
        what: "deletion protection is off on the database whatever the tier says",
        file: "components/data/database.ts",
        search: `deletionProtection: s.deletionProtection,`,
        replace: `deletionProtection: false,`,
        specs: ["tests/data.spec.ts", "tests/matrix.spec.ts"],
    },
    {
        id: "protect-dropped",
        what: "prod's stateful resources lose Pulumi `protect` (retainOnDelete kept)",
        file: "components/shared/protection.ts",
        search: `return protectData ? { protect: true, retainOnDelete: true } : {};`,
        replace: `return protectData ? { retainOnDelete: true } : {};`,
        specs: ["tests/data.spec.ts", "tests/tiers.spec.ts"],
    },
    {
        id: "task-public-ip",
        what: "ECS tasks get public IPs",
        file: "components/compute/service.ts",
        search: `assignPublicIp: false }`,
        replace: `assignPublicIp: true }`,
        specs: ["tests/compute.spec.ts"],
    },
    {
        id: "image-by-tag",
        what: "tasks run the image by tag (mutable) instead of by digest",
        file: "components/releases/index.ts",
        search: "return pulumi.interpolate`${repositoryUrl}@${release.digest}`;",
        replace: "return pulumi.interpolate`${repositoryUrl}:${release.tag}`;",
        specs: ["tests/compute.spec.ts"],
    },
    {
        id: "rollout-wait-off",
        what: "`pulumi up` no longer waits for service rollouts (a failed deploy reports success)",
        file: "components/compute/service.ts",
        search: `waitForSteadyState: ctx.waitForSteadyState,`,
        replace: `waitForSteadyState: false,`,
        specs: ["tests/compute.spec.ts", "tests/tiers.spec.ts"],
    },
    {
        id: "output-renamed",
        what: "a stack output CI reads is renamed (dbSecretArn → dbSecret)",
        file: "index.ts",
        search: `export const dbSecretArn =`,
        replace: `export const dbSecret =`,
        specs: ["tests/outputs.spec.ts"],
    },
    {
        id: "lb-extra-port",
        what: "the load balancer security group also accepts 8080 from the internet",
        file: "components/network.ts",
        search: `return ingress.from === "internet" ? [PORTS.http, PORTS.https] : [PORTS.https];`,
        replace: `return ingress.from === "internet" ? [PORTS.http, PORTS.https, 8080] : [PORTS.https];`,
        specs: ["tests/network.spec.ts"],
    },
    {
        id: "alarm-no-ok",
        what: "alarms stop notifying when they recover (no OK action)",
        file: "components/monitoring/alarms.ts",
        search: `okActions: [topicArn],`,
        replace: `okActions: [],`,
        specs: ["tests/monitoring.spec.ts"],
    },
    {
        id: "deploy-no-rollback",
        what: "deployment alarms stop a bad deployment but no longer roll it back",
        file: "components/compute/service.ts",
        search: `{ alarmNames: ctx.deploymentAlarmNames, enable: true, rollback: true }`,
        replace: `{ alarmNames: ctx.deploymentAlarmNames, enable: true, rollback: false }`,
        specs: ["tests/monitoring.spec.ts"],
    },
];

function option(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
}

/** A copy of the repository without node_modules and .git; node_modules is a symlink to ours. */
function copyRepository(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-mutate-"));
    fs.cpSync(ROOT, dir, {
        recursive: true,
        filter: (src) => {
            const rel = path.relative(ROOT, src);
            return !(rel === "node_modules" || rel === ".git" || rel.startsWith(`node_modules${path.sep}`) || rel.startsWith(`.git${path.sep}`));
        },
    });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

function occurrences(text: string, search: string): number {
    return text.split(search).length - 1;
}

function main(): number {
    const only = option("only")?.split(",");
    const mutations = MUTATIONS.filter((m) => !only || only.includes(m.id));
    if (process.argv.includes("--list")) {
        for (const m of MUTATIONS) process.stdout.write(`${m.id.padEnd(28)} ${m.what}  [${m.specs.join(" ")}]\n`);
        return 0;
    }
    if (only && mutations.length !== only.length) {
        process.stderr.write(`unknown mutation id in --only; ids: ${MUTATIONS.map((m) => m.id).join(", ")}\n`);
        return 2;
    }

    // Every mutation must still apply to the current source before anything runs.
    const stale = mutations.filter((m) => occurrences(fs.readFileSync(path.join(ROOT, m.file), "utf8"), m.search) !== 1);
    if (stale.length > 0) {
        for (const m of stale) {
            const n = occurrences(fs.readFileSync(path.join(ROOT, m.file), "utf8"), m.search);
            process.stderr.write(`mutation ${m.id}: search text found ${n} times in ${m.file} (must be exactly once): ${JSON.stringify(m.search)}\n`);
        }
        process.stderr.write("update these mutations in scripts/mutate.ts to the current code\n");
        return 2;
    }

    const dir = copyRepository();
    const mocha = (specs: string[]) =>
        spawnSync(path.join(dir, "node_modules", ".bin", "mocha"), specs, {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, PULUMI_ERROR_OUTPUT_STRING: "true" },
            maxBuffer: 64 * 1024 * 1024,
        });
    const survived: Mutation[] = [];
    try {
        // A mutation counts as caught only if its specs pass without it.
        const specs = [...new Set(mutations.flatMap((m) => m.specs))].sort();
        process.stdout.write(`baseline: ${specs.join(" ")} on an unmutated copy (${dir})\n`);
        const baseline = mocha(specs);
        if (baseline.status !== 0) {
            process.stderr.write(`the specs fail without any mutation; fix them first:\n${baseline.stdout.slice(-3000)}${baseline.stderr.slice(-1500)}\n`);
            return 2;
        }
        process.stdout.write(`baseline green; ${mutations.length} mutations, one at a time:\n\n`);
        for (const m of mutations) {
            const file = path.join(dir, m.file);
            const original = fs.readFileSync(file, "utf8");
            fs.writeFileSync(file, original.replace(m.search, m.replace));
            const started = Date.now();
            const r = mocha(m.specs);
            fs.writeFileSync(file, original);
            const seconds = ((Date.now() - started) / 1000).toFixed(0);
            const summary = /(\d+) passed, (\d+) failed/.exec(r.stdout ?? "")?.[0] ?? `exit ${r.status}`;
            const killed = r.status !== 0;
            if (!killed) survived.push(m);
            process.stdout.write(`${killed ? "killed  " : "SURVIVED"} ${m.id.padEnd(28)} ${summary.padEnd(22)} ${seconds.padStart(3)} s  ${m.what}\n`);
            if (killed && !/failed/.test(summary)) process.stdout.write(`         (no test summary: the specs did not run cleanly)\n${(r.stderr ?? "").slice(-1500)}\n`);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }

    process.stdout.write(`\n${mutations.length - survived.length} of ${mutations.length} mutations killed`);
    process.stdout.write(survived.length ? `; survived: ${survived.map((m) => m.id).join(", ")}\n` : "\n");
    return survived.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
