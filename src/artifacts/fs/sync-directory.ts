import type { FileSystem } from "./file-system.js";
import { errnoOf, storageError } from "./storage-error.js";

// Platforms and filesystems that cannot open or fsync a directory answer with one of these.
const UNSUPPORTED = new Set(["EISDIR", "EINVAL", "EPERM"]);

/**
 * Fsyncs a directory so a rename or create inside it survives a power loss. Where the platform
 * cannot fsync directories, this is a no-op; other failures are ERR_STORAGE.
 */
export async function syncDirectory(fs: FileSystem, dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (UNSUPPORTED.has(errnoOf(error) ?? "")) return;
    throw storageError("fsync", dir, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
