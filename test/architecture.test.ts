import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import of every source file, as a path under src/. */
const imports = sourceFiles(SRC).flatMap((file) => {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => ({
    from: relative(SRC, file),
    spec: m[1] as string,
    to: m[1]!.startsWith(".") ? relative(SRC, resolve(dirname(file), m[1]!)) : m[1]!,
  }));
});

const fromIn = (folder: string) => imports.filter((i) => i.from.startsWith(`${folder}/`));

describe("architecture: arrows point inward", () => {
  it("finds the source tree", () => {
    expect(imports.length).toBeGreaterThan(20);
  });
  it("core imports nothing of ours but core", () => {
    const bad = fromIn("core").filter((i) => i.spec.startsWith(".") && !i.to.startsWith("core/"));
    expect(bad).toEqual([]);
  });
  it("only the sqlite backend imports the SQLite driver, only the postgres backend imports pg", () => {
    expect(imports.filter((i) => i.spec === "better-sqlite3" && !i.from.startsWith("ledger/sqlite/"))).toEqual([]);
    expect(imports.filter((i) => i.spec === "pg" && !i.from.startsWith("ledger/postgres/"))).toEqual([]);
  });
  it("only the workspace (the composition root), index files and the package's entry points (src/*.ts) name backends", () => {
    const backend = /^(ledger\/(sqlite|postgres)|artifacts\/(fs|s3))\//;
    const bad = imports.filter((i) => backend.test(i.to) && !backend.test(i.from) && !i.from.startsWith("workspace/") && !i.from.endsWith("index.ts") && i.from.includes("/"));
    expect(bad).toEqual([]);
  });
  it("only front doors (cli, server) import usecases and views; views never import usecases", () => {
    const layer = /^(usecases|views)\//;
    expect(imports.filter((i) => layer.test(i.to) && !/^(cli|server|usecases|views)\//.test(i.from))).toEqual([]);
    expect(imports.filter((i) => i.to.startsWith("usecases/") && i.from.startsWith("views/"))).toEqual([]);
  });
  it("nothing imports cli, server or test; src never imports vitest outside conformance suites", () => {
    expect(imports.filter((i) => /^(cli|server)\//.test(i.to) && !/^(cli|server)\//.test(i.from))).toEqual([]);
    expect(imports.filter((i) => i.to.startsWith("../test"))).toEqual([]);
    expect(imports.filter((i) => i.spec === "vitest" && !i.from.includes("/conformance/"))).toEqual([]);
  });
});
