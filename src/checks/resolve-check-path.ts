import { constants, createReadStream, openSync, type ReadStream } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";

/** A check's file, found inside the check directory, or the FAIL evidence saying why not. */
export type ResolvedCheckPath =
  { readonly ok: true; readonly file: string; readonly bytes: number } | { readonly ok: false; readonly evidence: Record<string, unknown> };

/**
 * How checks open the file they were given: never through a link swapped in after it was resolved,
 * and never waiting on a fifo swapped in.
 */
export const CHECK_READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A stream of a resolved check file, opened with CHECK_READ_FLAGS. */
export function openCheckStream(file: string, signal: AbortSignal): ReadStream {
  return createReadStream(file, { fd: openSync(file, CHECK_READ_FLAGS), signal });
}

/**
 * Resolves `relpath` against `dir` without ever leaving it or following a link: absolute paths,
 * `..` segments, NUL bytes and links whose target lies outside `dir` give
 * `{ reason: "path escapes dir" }`; a link inside it gives `{ reason: "symlink" }` (checks read the
 * files the task wrote, never what a link points at); a path that does not exist gives
 * `{ reason: "missing" }`; a directory or a special file gives `{ reason: "not a file" }`. Never
 * throws for these; other I/O errors (e.g. EACCES) reject. Open the file with CHECK_READ_FLAGS.
 */
export async function resolveCheckPath(dir: string, relpath: string): Promise<ResolvedCheckPath> {
  const path = relpath;
  const segments = relpath.split(/[\\/]/);
  if (isAbsolute(relpath) || relpath.includes("\0") || segments.includes("..")) {
    return { ok: false, evidence: { reason: "path escapes dir", path } };
  }
  const parts = segments.filter((segment) => segment !== "" && segment !== ".");
  if (parts.length === 0) return { ok: false, evidence: { reason: "path escapes dir", path } };
  try {
    const realDir = await realpath(dir);
    let file = realDir;
    // Component by component with lstat: a link anywhere on the way is refused, not resolved.
    for (const [i, part] of parts.entries()) {
      file = join(file, part);
      const info = await lstat(file);
      if (info.isSymbolicLink()) {
        const target = await realpath(file).catch(() => undefined);
        return { ok: false, evidence: { reason: target !== undefined && isInside(realDir, target) ? "symlink" : "path escapes dir", path } };
      }
      if (i === parts.length - 1) return info.isFile() ? { ok: true, file, bytes: info.size } : { ok: false, evidence: { reason: "not a file", path } };
      if (!info.isDirectory()) return { ok: false, evidence: { reason: "missing", path } };
    }
    return { ok: false, evidence: { reason: "missing", path } };
  } catch (error) {
    if (isNotFound(error)) return { ok: false, evidence: { reason: "missing", path } };
    throw error;
  }
}

function isInside(dir: string, file: string): boolean {
  const inside = relative(dir, file);
  return inside !== "" && inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
