/**
 * npm run bench [-- --runs 3] [--only plan,review,typecheck,test]
 *
 * Wall-clock timings of the commands a developer waits for, each run several times as a separate
 * process, reported as median (min-max), with the median CPU time (user + system, all processes). Timings are not asserted anywhere in the test suite (they
 * depend on the machine and its load); this is where they are measured, and the README quotes them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Job {
    group: string;
    label: string;
    args: string[];
}

const JOBS: Job[] = [
    ...["dev", "staging", "prod"].map((stack) => ({ group: "plan", label: `npm run plan -- ${stack}`, args: ["run", "--silent", "plan", "--", stack] })),
    // Review tooling (README "Review tooling"): each mode per stack; --against runs HEAD in a temporary worktree beside this tree.
    ...["dev", "staging", "prod"].flatMap((stack) =>
        [["--cost"], ["--diagram"], ["--cost", "--json"], ["--against", "HEAD"], ["--against-stack", stack === "prod" ? "staging" : "prod"]].map((mode) => ({
            group: "review",
            label: `plan -- ${stack} ${mode.join(" ")}`,
            args: ["run", "--silent", "plan", "--", stack, ...mode],
        })),
    ),
    { group: "typecheck", label: "npm run typecheck (tsc alone)", args: ["run", "--silent", "typecheck"] },
    { group: "test", label: "npm test (mocha, type check alongside)", args: ["test", "--silent"] },
];

function option(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * CPU seconds (user + system) of this process's finished children, all their descendants included
 * (Linux: /proc/self/stat cutime + cstime, in clock ticks of 1/100 s); undefined elsewhere. The wall
 * time of a run on a shared machine mostly measures the others' load; its CPU time does not.
 */
function childrenCpuSeconds(): number | undefined {
    try {
        const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
        return (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
        return undefined;
    }
}

function main(): number {
    const runs = Number(option("runs") ?? 3);
    const only = option("only")?.split(",");
    if (!Number.isInteger(runs) || runs < 1) {
        process.stderr.write("usage: npm run bench -- [--runs N] [--only plan,review,typecheck,test]\n");
        return 2;
    }
    const jobs = JOBS.filter((j) => !only || only.includes(j.group));
    const [load1] = os.loadavg();
    process.stdout.write(
        `bench: node ${process.version}, ${os.cpus().length} CPUs, load ${load1.toFixed(2)} at start, ${runs} run(s) each\n\n`,
    );
    for (const job of jobs) {
        const seconds: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < runs; i++) {
            const started = process.hrtime.bigint();
            const cpuBefore = childrenCpuSeconds();
            const r = spawnSync("npm", job.args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            const s = Number(process.hrtime.bigint() - started) / 1e9;
            const cpuAfter = childrenCpuSeconds();
            if (cpuBefore !== undefined && cpuAfter !== undefined) cpu.push(cpuAfter - cpuBefore);
            if (r.status !== 0) {
                process.stderr.write(`${job.label} failed (exit ${r.status}):\n${r.stderr}${r.stdout.slice(-2000)}\n`);
                return 1;
            }
            seconds.push(s);
        }
        const cpuText = cpu.length === seconds.length ? `, CPU ${median(cpu).toFixed(1)} s` : "";
        const row = `${job.label.padEnd(46)} median ${median(seconds).toFixed(1).padStart(5)} s  (min ${Math.min(...seconds).toFixed(1)}, max ${Math.max(...seconds).toFixed(1)})${cpuText}`;
        process.stdout.write(`${row}\n`);
    }
    return 0;
}

process.exitCode = main();
