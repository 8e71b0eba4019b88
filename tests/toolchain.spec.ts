import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { projectFile, ROOT } from "../offline/run";

/**
 * What a deploy machine needs to compile the program: the Pulumi CLI runs index.ts through the
 * project's own ts-node/typescript (else a bundled TypeScript 3.8 that cannot compile this code),
 * type-checking with tsconfig.json. The README ("Using it with the Pulumi CLI") documents the install
 * as `npm ci`, and `npm ci --omit=dev` must work too.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    main: string;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
};

/** tsconfig.json as the CLI's ts-node and `tsc -p` read it: options and the files it covers. */
function parsedTsconfig(file: string): ts.ParsedCommandLine {
    const configPath = path.join(ROOT, file);
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    assert.equal(read.error, undefined, `${file} does not parse`);
    return ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath);
}

/** Non-relative modules a source file imports (import … from "x", import("x"), require("x")). */
function importedPackages(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)"([^"./][^"]*)"/g)].map((m) => m[1]);
    return specs
        .filter((s) => !s.startsWith("node:"))
        .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]));
}

describe("toolchain: what a deploy machine needs to compile the program", () => {
    const program = parsedTsconfig("tsconfig.json");
    const programFiles = program.fileNames.map((f) => path.relative(ROOT, f));

    it("tsconfig.json (what `pulumi up` type-checks with) loads only the node types, no test-only types", () => {
        assert.deepEqual(program.options.types, ["node"], "tsconfig.json compilerOptions.types");
    });

    it("tsconfig.json covers the program (index.ts, config/, components/) and no tests, offline harness or scripts", () => {
        assert.ok(programFiles.includes("index.ts"), "tsconfig.json must include index.ts");
        assert.ok(programFiles.some((f) => f.startsWith("config/")), "tsconfig.json must include config/");
        assert.ok(programFiles.some((f) => f.startsWith("components/")), "tsconfig.json must include components/");
        const stray = programFiles.filter((f) => !(f === "index.ts" || f.startsWith("config/") || f.startsWith("components/")));
        assert.deepEqual(stray, [], "tsconfig.json includes files that are not the program");
    });

    it("tsconfig.test.json (npm run typecheck) extends tsconfig.json and adds the tests, offline harness and scripts", () => {
        const test = parsedTsconfig("tsconfig.test.json");
        const files = test.fileNames.map((f) => path.relative(ROOT, f));
        for (const dir of ["tests/", "offline/", "scripts/", "components/", "config/"]) {
            assert.ok(files.some((f) => f.startsWith(dir)), `tsconfig.test.json must include ${dir}`);
        }
        assert.equal(test.options.strict, true, "tsconfig.test.json strict (inherited from tsconfig.json)");
        assert.match(pkg.scripts.typecheck, /-p tsconfig\.test\.json\b/, "npm run typecheck must check with tsconfig.test.json");
    });

    it("package.json puts typescript, ts-node and @types/node in dependencies, so `npm ci --omit=dev` can compile", () => {
        for (const name of ["typescript", "ts-node", "@types/node"]) {
            assert.ok(name in pkg.dependencies, `${name} must be in dependencies (the Pulumi CLI compiles with it)`);
            assert.ok(!(name in (pkg.devDependencies ?? {})), `${name} must not also be in devDependencies`);
        }
    });

    it("typescript stays on 5.x (TypeScript 7 has no JS API: ts-node, and so the Pulumi CLI, cannot use it)", () => {
        assert.match(pkg.dependencies.typescript, /^~5\.\d+/, "package.json typescript range");
        assert.equal(ts.version.split(".")[0], "5", `installed typescript ${ts.version}`);
    });

    it("every package the program imports is in dependencies (nothing the deploy needs is dev-only)", () => {
        const sources = [...programFiles.map((f) => path.join(ROOT, f))];
        const missing = new Set<string>();
        for (const file of sources) {
            for (const name of importedPackages(file)) if (!(name in pkg.dependencies)) missing.add(`${name} (${path.relative(ROOT, file)})`);
        }
        assert.deepEqual([...missing], [], "imported by the program but not in dependencies");
        assert.equal(pkg.main, "index.ts", "package.json main is the program entry the CLI runs");
    });

    it("Pulumi.yaml requires a CLI of at least 3.187.0 (object-typed config) and compiles with TypeScript", () => {
        const project = projectFile() as unknown as { requiredPulumiVersion?: string; runtime: { name: string; options?: Record<string, unknown> } };
        assert.equal(project.requiredPulumiVersion, ">=3.187.0", "Pulumi.yaml requiredPulumiVersion");
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options?.typescript, true, "Pulumi.yaml runtime.options.typescript");
    });
});
