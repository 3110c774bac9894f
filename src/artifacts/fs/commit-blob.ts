import type { FileSystem } from "./file-system.js";
import { STORE_DIR_MODE, type FsLayout } from "./fs-layout.js";
import { statBlobFile } from "./blob-file.js";
import type { HashedTempFile } from "./hashed-temp-file.js";
import { withStorageError } from "./storage-error.js";
import { syncDirectory } from "./sync-directory.js";
import { removeQuietly } from "./temp-files.js";

/**
 * Makes a finished temp file (already fsynced and read-only) the blob of its digest: renames it
 * into its shard and fsyncs the directories the rename changed. When the blob is already stored,
 * the temp file is dropped instead (dedup). Either way the temp file is gone afterwards.
 */
export async function commitBlob(fs: FileSystem, layout: FsLayout, temp: HashedTempFile): Promise<void> {
  let renamed = false;
  try {
    const existing = await statBlobFile(fs, layout, temp.digest);
    // A different size can only be a damaged copy, so it is replaced rather than kept.
    if (existing?.size === temp.size) return;
    const shard = layout.shardDir(temp.digest);
    const created = await withStorageError("create directory", shard, () => fs.mkdir(shard, STORE_DIR_MODE));
    if (created !== undefined) await syncDirectory(fs, layout.blobsDir);
    const target = layout.blobPath(temp.digest);
    await withStorageError("rename", target, () => fs.rename(temp.path, target));
    renamed = true;
    await syncDirectory(fs, shard);
  } finally {
    if (!renamed) await removeQuietly(fs, temp.path);
  }
}
