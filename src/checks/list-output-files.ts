import type { Dirent } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import { RunledgerError } from "../core/errors.js";
import { fileKind } from "../core/file-kind.js";
import { SomeNames } from "../core/list-some.js";

/** What lies under `<dir>/outputs`, found without following a single link. Paths are relative to `dir` with `/` separators (`outputs/a/b.csv`). */
export interface OutputScan {
  /** The regular files `keep` accepted, by relative path, to their absolute paths. */
  readonly files: Map<string, string>;
  /** The regular files `keep` refused: counted, the first few named. */
  readonly others: SomeNames;
  /** Symbolic links, anywhere under outputs/. */
  readonly links: SomeNames;
  /** Fifos, sockets and devices `keep` refused, each named with its kind. */
  readonly special: SomeNames;
}

/**
 * Walks `<dir>/outputs` with lstat semantics: `outputs/` itself must be a directory (a link there is
 * ERR_OUTPUT_SYMLINK, anything else ERR_ADAPTER_INVOCATION), entries are read one at a time, and
 * a link is recorded, never entered. Holds only the kept files and the first few other names, so
 * an outputs/ of 100,000 files costs their count. A missing `outputs/` gives an empty scan.
 */
export async function scanOutputs(dir: string, keep: (path: string) => boolean): Promise<OutputScan> {
  const scan: OutputScan = { files: new Map(), others: new SomeNames(), links: new SomeNames(), special: new SomeNames() };
  const root = join(dir, "outputs");
  const info = await lstat(root).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (info === undefined) return scan;
  if (info.isSymbolicLink())
    throw new RunledgerError("ERR_OUTPUT_SYMLINK", {
      detail: "outputs/ itself was replaced by a symbolic link; nothing under it was read",
      context: { path: "outputs" },
    });
  if (!info.isDirectory())
    throw new RunledgerError("ERR_ADAPTER_INVOCATION", { detail: `outputs/ was replaced by ${fileKind(info)}; it must stay a directory` });
  const pending = ["outputs"];
  for (let relDir = pending.pop(); relDir !== undefined; relDir = pending.pop()) {
    for await (const entry of await opendir(join(dir, relDir))) {
      const path = `${relDir}/${entry.name}`;
      const kind = await entryKind(entry, join(dir, path));
      if (kind === "directory") pending.push(path);
      else if (kind === "link") scan.links.add(path);
      else if (!keep(path)) (kind === "file" ? scan.others : scan.special).add(kind === "file" ? path : `${path} (${kind})`);
      else if (kind === "file") scan.files.set(path, join(dir, path));
    }
  }
  return scan;
}

/**
 * Every regular file under `<dir>/outputs`, keyed by its path relative to `dir` (`outputs/a/b.csv`),
 * mapped to its absolute path. Links are never followed, so nothing listed lies outside `dir`; an
 * `outputs/` that is itself a link is ERR_OUTPUT_SYMLINK. A missing `outputs/` gives an empty map.
 */
export async function listOutputFiles(dir: string): Promise<Record<string, string>> {
  return Object.fromEntries((await scanOutputs(dir, () => true)).files);
}

async function entryKind(entry: Dirent, path: string): Promise<string> {
  // Some filesystems do not report a type in their listing; lstat does, and never follows the link.
  const known =
    entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
  const stats = known ? entry : await lstat(path);
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "directory";
  if (stats.isSymbolicLink()) return "link";
  return fileKind(stats).replace(/^an? /, "");
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
