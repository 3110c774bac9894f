import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { FileSystem } from "./file-system.js";
import { errnoOf, storageError, withStorageError } from "./storage-error.js";

/** A fresh, collision-free temp file name, `<prefix><uuid>.tmp`. */
export function tempFileName(prefix = ""): string {
  return `${prefix}${randomUUID()}.tmp`;
}

/** Deletes a file if it is there; never throws, since it only runs while handling another failure. */
export async function removeQuietly(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // A temp file that cannot be removed now is swept by the next open.
  }
}

/**
 * Removes the files in `dir` last modified before `cutoffMs` (epoch ms): what crashed writers left.
 * Younger files may belong to a writer still running in another process, so they stay.
 * Resolves to the number of files removed.
 */
export async function sweepStaleTempFiles(fs: FileSystem, dir: string, cutoffMs: number): Promise<number> {
  const names = await withStorageError("list", dir, () => fs.readdir(dir));
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    let stats;
    try {
      stats = await fs.stat(path);
    } catch (error) {
      if (errnoOf(error) === "ENOENT") continue;
      throw storageError("stat", path, error);
    }
    if (stats.isFile() && stats.mtimeMs < cutoffMs) {
      await removeQuietly(fs, path);
      removed += 1;
    }
  }
  return removed;
}
