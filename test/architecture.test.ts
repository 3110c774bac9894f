import { existsSync, readdirSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { describeCycle, folderCycles, folderEdges, folderOf, importsUnder, sourceFiles, type FolderEdge } from "./support/import-graph.js";

const SRC = resolve(import.meta.dirname, "../src");
const ARCHITECTURE = resolve(import.meta.dirname, "../docs/architecture.md");

/** The layer order written in docs/architecture.md's `layers` block: folder → rank, 0 the lowest. */
function layerRanks(doc: string): Map<string, number> {
  const block = /^```layers\n([\s\S]*?)^```/m.exec(doc);
  if (!block) throw new Error("docs/architecture.md has no ```layers block");
  const lines = block[1]!
    .split("\n")
    .filter((line) => line.trim() !== "")
    .reverse();
  return new Map(lines.flatMap((line, rank) => line.split("·").map((name) => [name.trim(), rank] as const)));
}

const ranks = layerRanks(readFileSync(ARCHITECTURE, "utf8"));
const imports = importsUnder(SRC);
const edges = folderEdges(imports);
const fromIn = (folder: string) => imports.filter((i) => i.from.startsWith(`${folder}/`));
// server/, scheduler/ and worker/ are planned front doors, artifacts/s3 a planned backend: the rules guard them before they exist.
const FRONT_DOORS = /^(cli|server|scheduler|worker)\//;
const BACKEND = /^(ledger\/(sqlite|postgres)|artifacts\/(fs|s3))\//;

describe("architecture: folders import downward only", () => {
  it("finds the source tree, .mjs and .d.mts files included", () => {
    expect(imports.length).toBeGreaterThan(20);
    expect(imports.some((i) => i.from.endsWith(".mjs") && i.spec === "../event-hash.mjs")).toBe(true);
    expect(imports.some((i) => i.from.endsWith(".d.mts") && i.spec === "better-sqlite3")).toBe(true);
  });

  it("places every folder under src/ in the written layer order", () => {
    expect(readdirSync(SRC).filter((name) => !ranks.has(name))).toEqual([]);
  });

  it("imports only from the same layer or a lower one", () => {
    const upward = edges.filter((e) => ranks.get(e.to)! > ranks.get(e.from)!);
    expect(upward.map(describeEdge)).toEqual([]);
  });

  it("has no cycles between folders", () => {
    expect(folderCycles(edges).map((group) => `${group.join(" ⇄ ")}\n${describeCycle(group, edges)}`)).toEqual([]);
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
    const bad = imports.filter(
      (i) => BACKEND.test(i.to) && !BACKEND.test(i.from) && !i.from.startsWith("workspace/") && !i.from.endsWith("index.ts") && i.from.includes("/"),
    );
    expect(bad).toEqual([]);
  });

  it("only front doors and the composition root import usecases and views", () => {
    const layer = /^(usecases|views)\//;
    expect(imports.filter((i) => layer.test(i.to) && !FRONT_DOORS.test(i.from) && !/^(workspace|usecases|views)\//.test(i.from))).toEqual([]);
  });

  it("nothing imports a front door or test; src never imports vitest outside conformance suites", () => {
    expect(imports.filter((i) => FRONT_DOORS.test(i.to) && folderOf(i.to) !== folderOf(i.from))).toEqual([]);
    expect(imports.filter((i) => i.to.startsWith("../test"))).toEqual([]);
    expect(imports.filter((i) => i.spec === "vitest" && !i.from.includes("/conformance/"))).toEqual([]);
  });
});

describe("architecture: the plain JavaScript files are type-checked", () => {
  const ROOT = resolve(import.meta.dirname, "..");
  const scripts = sourceFiles(SRC).filter((file) => file.endsWith(".mjs"));

  it("marks every .mjs under src/ with // @ts-check", () => {
    expect(scripts.length).toBeGreaterThan(5);
    expect(scripts.filter((file) => !readFileSync(file, "utf8").startsWith("// @ts-check\n")).map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("lists in tsconfig.json's files each .mjs that a .d.mts would hide from its include", () => {
    const listed = (JSON.parse(readFileSync(resolve(ROOT, "tsconfig.json"), "utf8")) as { files: string[] }).files;
    const hidden = scripts.filter((file) => existsSync(file.replace(/\.mjs$/, ".d.mts"))).map((file) => relative(ROOT, file));
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.filter((file) => !listed.includes(file))).toEqual([]);
  });
});

describe("architecture: the import graph", () => {
  const edge = (from: string, to: string): FolderEdge => ({ from, to, imports: [{ from: `${from}/a.ts`, spec: `../${to}/b.js`, to: `${to}/b.js` }] });

  it("finds a cycle through three folders and names the files behind it", () => {
    const graph = [edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "d")];
    expect(folderCycles(graph)).toEqual([["a", "b", "c"]]);
    expect(describeCycle(["a", "b", "c"], graph)).toBe("a → b: a/a.ts → b/b.js\nb → c: b/a.ts → c/b.js\nc → a: c/a.ts → a/b.js");
  });

  it("finds none in a graph that only goes down", () => {
    expect(folderCycles([edge("a", "b"), edge("b", "c"), edge("a", "c")])).toEqual([]);
  });

  it("reads a layer block highest first, peers on one line", () => {
    const order = layerRanks("text\n```layers\ncli · index.ts\nengine\n\ncore\n```\n");
    expect([...order]).toEqual([
      ["core", 0],
      ["engine", 1],
      ["cli", 2],
      ["index.ts", 2],
    ]);
  });
});

function describeEdge(e: FolderEdge): string {
  return `${e.from} (layer ${ranks.get(e.from)}) → ${e.to} (layer ${ranks.get(e.to)}): ${e.imports.map((i) => `${i.from} → ${i.to}`).join(", ")}`;
}
