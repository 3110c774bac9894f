import { constants } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { RunledgerError } from "../../core/errors.js";
import { fileKind } from "../../core/file-kind.js";
import { outputSymlinkError } from "../artifact-store.js";
import type { FileSystem } from "./file-system.js";
import { errnoOf, withStorageError } from "./storage-error.js";

/**
 * Never follows a last-component link (a link swapped in after a check is still refused), and never
 * waits on a fifo: opened for reading without O_NONBLOCK, a fifo blocks until a writer comes.
 */
const READ_REGULAR_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens `path` for reading if it is a regular file, with its size at opening. A symbolic link is
 * ERR_OUTPUT_SYMLINK; a fifo, socket, device or directory is ERR_STORAGE with errno EINVAL; other
 * failures are ERR_STORAGE with their errno.
 */
export async function openRegularFile(fs: FileSystem, path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, READ_REGULAR_FLAGS);
  } catch (error) {
    // O_NOFOLLOW on a link fails with ELOOP.
    if (errnoOf(error) === "ELOOP") throw outputSymlinkError(path);
    return withStorageError("open", path, () => Promise.reject(error));
  }
  try {
    const stats = await withStorageError("stat", path, () => handle.stat());
    if (!stats.isFile()) {
      throw new RunledgerError("ERR_STORAGE", {
        detail: `open ${path}: ${fileKind(stats)}, not a regular file`,
        context: { operation: "open", path, errno: "EINVAL" },
      });
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
