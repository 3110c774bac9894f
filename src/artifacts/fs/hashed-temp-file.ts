import { createHash } from "node:crypto";
import { join } from "node:path";
import { DIGEST_ALG, type Digest } from "../../core/digest.js";
import { writeChunk } from "./byte-chunks.js";
import type { FileSystem } from "./file-system.js";
import { withStorageError } from "./storage-error.js";
import { removeQuietly } from "./temp-files.js";

/** A complete, fsynced, closed temp file and the sha256 of what was written to it. */
export interface HashedTempFile {
  readonly path: string;
  readonly digest: Digest;
  readonly size: number;
}

/**
 * Writes `chunks` to a new file `dir/name` (created exclusively with `mode`), hashing them on
 * the way, then fsyncs and closes it. Memory stays at one chunk whatever the size.
 * On any failure the file is removed: write failures are ERR_STORAGE, errors of `chunks` propagate.
 */
export async function writeHashedTempFile(fs: FileSystem, dir: string, name: string, chunks: AsyncIterable<Uint8Array>, mode: number): Promise<HashedTempFile> {
  const path = join(dir, name);
  const handle = await withStorageError("create", path, () => fs.open(path, "wx", mode));
  let open = true;
  try {
    const hash = createHash(DIGEST_ALG);
    let size = 0;
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.byteLength;
      await withStorageError("write", path, () => writeChunk(handle, chunk));
    }
    await withStorageError("fsync", path, () => handle.sync());
    open = false;
    await withStorageError("close", path, () => handle.close());
    return { path, digest: `${DIGEST_ALG}:${hash.digest("hex")}`, size };
  } catch (error) {
    if (open) await handle.close().catch(() => undefined);
    await removeQuietly(fs, path);
    throw error;
  }
}
