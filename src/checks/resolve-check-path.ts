import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** A check's file, found inside the check directory, or the FAIL evidence saying why not. */
export type ResolvedCheckPath =
  | { readonly ok: true; readonly file: string; readonly bytes: number }
  | { readonly ok: false; readonly evidence: Record<string, unknown> };

/**
 * Resolves `relpath` against `dir` without ever leaving it: absolute paths, `..` segments, NUL bytes
 * and symlinks whose target lies outside `dir` give `{ reason: "path escapes dir" }`; a path that does
 * not exist gives `{ reason: "missing" }`; a directory gives `{ reason: "not a file" }`. Never throws
 * for these; other I/O errors (e.g. EACCES) reject.
 */
export async function resolveCheckPath(dir: string, relpath: string): Promise<ResolvedCheckPath> {
  const path = relpath;
  const segments = relpath.split(/[\\/]/);
  if (isAbsolute(relpath) || relpath.includes("\0") || segments.includes("..")) {
    return { ok: false, evidence: { reason: "path escapes dir", path } };
  }
  let realDir: string;
  let realFile: string;
  try {
    realDir = await realpath(dir);
    realFile = await realpath(resolve(realDir, relpath));
  } catch (error) {
    if (isNotFound(error)) return { ok: false, evidence: { reason: "missing", path } };
    throw error;
  }
  // A symlink under outputs/ may point anywhere; only its real target counts.
  const inside = relative(realDir, realFile);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { ok: false, evidence: { reason: "path escapes dir", path } };
  }
  const info = await stat(realFile);
  if (!info.isFile()) return { ok: false, evidence: { reason: "not a file", path } };
  return { ok: true, file: realFile, bytes: info.size };
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
