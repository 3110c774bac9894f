import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One import of one source file: `to` is a path under the source root for a relative import, else the package name. */
export interface SourceImport {
  from: string;
  spec: string;
  to: string;
}

/** A folder-level edge and the imports that make it. */
export interface FolderEdge {
  from: string;
  to: string;
  imports: SourceImport[];
}

/** Every .ts, .mts (.d.mts included) and .mjs file under `root`. */
export function sourceFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) ? [path] : [];
  });
}

// Static imports and re-exports, dynamic import(), and files started by URL (workers, forked processes).
const SPECIFIERS = [
  /^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm,
  /^\s*import\s+"([^"]+)"/gm,
  /\bimport\(\s*"([^"]+)"\s*\)/g,
  /\bnew URL\(\s*"(\.{1,2}\/[^"]+)",\s*import\.meta\.url\s*\)/g,
];

/** Every import of every source file under `root`, relative ones resolved to paths under it. */
export function importsUnder(root: string): SourceImport[] {
  return sourceFiles(root).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const from = relative(root, file);
    return SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)]).map((m) => {
      const spec = m[1]!;
      return { from, spec, to: spec.startsWith(".") ? relative(root, resolve(dirname(file), spec)) : spec };
    });
  });
}

/** The top-level folder of a path under the source root; a file at the root (index.ts) stands for itself. */
export function folderOf(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? path : path.slice(0, slash);
}

/** Edges between distinct top-level folders, from relative imports of files under the root only. */
export function folderEdges(imports: SourceImport[]): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const i of imports) {
    if (!i.spec.startsWith(".") || i.to.startsWith("..")) continue;
    const from = folderOf(i.from);
    const to = folderOf(i.to);
    if (from === to) continue;
    const key = `${from}→${to}`;
    const edge = edges.get(key) ?? { from, to, imports: [] };
    edge.imports.push(i);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

/** Groups of folders that reach each other (strongly connected components of more than one folder), by Tarjan's algorithm. */
export function folderCycles(edges: FolderEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** The imports behind every edge inside a group of folders that reach each other, for a readable failure. */
export function describeCycle(group: string[], edges: FolderEdge[]): string {
  return edges
    .filter((e) => group.includes(e.from) && group.includes(e.to))
    .map((e) => `${e.from} → ${e.to}: ${[...new Set(e.imports.map((i) => `${i.from} → ${i.to}`))].join(", ")}`)
    .join("\n");
}
