import type { Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { Digest } from "../../core/digest.js";
import { artifactNotFoundError } from "../artifact-store.js";
import type { FileSystem } from "./file-system.js";
import type { FsLayout } from "./fs-layout.js";
import { errnoOf, storageError } from "./storage-error.js";

// What open and stat answer for a path that is not there, including under a missing shard.
const ABSENT = new Set(["ENOENT", "ENOTDIR"]);

/**
 * Opens a stored blob for reading, runs `use` on it and closes it.
 * Throws ERR_ARTIFACT_NOT_FOUND when the blob is absent, ERR_STORAGE when it cannot be opened.
 */
export async function withBlobFile<T>(fs: FileSystem, layout: FsLayout, digest: Digest, use: (handle: FileHandle, path: string) => Promise<T>): Promise<T> {
  const path = layout.blobPath(digest);
  let handle: FileHandle;
  try {
    handle = await fs.open(path, "r");
  } catch (error) {
    throw ABSENT.has(errnoOf(error) ?? "") ? artifactNotFoundError(digest) : storageError("open", path, error);
  }
  try {
    return await use(handle, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The stored blob's file stats, or undefined when absent; other failures are ERR_STORAGE. */
export async function statBlobFile(fs: FileSystem, layout: FsLayout, digest: Digest): Promise<Stats | undefined> {
  const path = layout.blobPath(digest);
  try {
    return await fs.stat(path);
  } catch (error) {
    if (ABSENT.has(errnoOf(error) ?? "")) return undefined;
    throw storageError("stat", path, error);
  }
}
