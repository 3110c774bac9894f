import { join } from "node:path";
import type { Digest } from "../../core/digest.js";
import type { FileSystem } from "./file-system.js";
import { digestOfBlobName, isShardName, type FsLayout } from "./fs-layout.js";
import { errnoOf, storageError } from "./storage-error.js";

/**
 * Every blob under `layout.blobsDir`, in ascending digest order, reading one shard directory at
 * a time. Names that are not blob names are skipped; temp files live elsewhere and never appear.
 */
export async function* listBlobDigests(fs: FileSystem, layout: FsLayout): AsyncGenerator<Digest> {
  for (const shard of (await readNames(fs, layout.blobsDir)).filter(isShardName)) {
    for (const name of await readNames(fs, join(layout.blobsDir, shard))) {
      const digest = digestOfBlobName(shard, name);
      if (digest !== undefined) yield digest;
    }
  }
}

async function readNames(fs: FileSystem, dir: string): Promise<string[]> {
  try {
    // Code-unit order of lowercase hex names is digest order.
    return (await fs.readdir(dir)).sort();
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return [];
    throw storageError("list", dir, error);
  }
}
