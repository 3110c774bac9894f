import type { FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { systemClock, type Clock } from "../../core/clock.js";
import { parseDigest, sha256, type Digest } from "../../core/digest.js";
import { isRunledgerError, RunledgerError } from "../../core/errors.js";
import {
  artifactCorruptError,
  artifactNotFoundError,
  assertWithinMaxBytes,
  storedArtifact,
  type ArtifactSource,
  type ArtifactStat,
  type ArtifactStore,
  type PutOptions,
  type StoredArtifact,
  type VerifyAllReport,
} from "../artifact-store.js";
import { statBlobFile, withBlobFile } from "./blob-file.js";
import { readChunks, sha256OfChunks, toByteChunks, withinMaxBytes } from "./byte-chunks.js";
import { commitBlob } from "./commit-blob.js";
import { copyBlobToFile } from "./copy-blob-to-file.js";
import { nodeFileSystem, type FileSystem } from "./file-system.js";
import { openRegularFile } from "./open-regular-file.js";
import { BLOB_FILE_MODE, fsLayout, STORE_DIR_MODE, type FsLayout } from "./fs-layout.js";
import { writeHashedTempFile } from "./hashed-temp-file.js";
import { listBlobDigests } from "./list-blob-digests.js";
import { withStorageError } from "./storage-error.js";
import { sweepStaleTempFiles, tempFileName } from "./temp-files.js";

export interface FsArtifactStoreOptions {
  /** The file operations to use; tests pass a wrapper that injects failures. */
  readonly fileSystem?: FileSystem;
  /** Decides which temp files are stale at open. */
  readonly clock?: Clock;
  /** Temp files older than this at open are crash leftovers and are deleted; default one minute. */
  readonly staleTempAfterMs?: number;
}

const STALE_TEMP_AFTER_MS = 60_000;

/** Files up to this size are read whole and hashed before anything is written (see put). */
const SMALL_FILE_BYTES = 64 * 1024;

/**
 * Opens a filesystem artifact store at `root`, creating the directory and its layout if missing,
 * and deletes the temp files crashed writers left more than `staleTempAfterMs` ago.
 */
export async function openFsArtifactStore(root: string, options: FsArtifactStoreOptions = {}): Promise<FsArtifactStore> {
  const fs = options.fileSystem ?? nodeFileSystem;
  const layout = fsLayout(resolve(root));
  for (const dir of [layout.blobsDir, layout.tempDir]) {
    await withStorageError("create directory", dir, () => fs.mkdir(dir, STORE_DIR_MODE));
  }
  const cutoff = (options.clock ?? systemClock).now().getTime() - (options.staleTempAfterMs ?? STALE_TEMP_AFTER_MS);
  await sweepStaleTempFiles(fs, layout.tempDir, cutoff);
  return new FsArtifactStore(layout, fs);
}

/**
 * The ArtifactStore on a local directory (see FsLayout). A blob is written to a read-only temp
 * file, fsynced and renamed into place, then its directory fsynced: a crash leaves either the
 * whole blob or nothing under its digest. Several processes may share one root.
 */
export class FsArtifactStore implements ArtifactStore {
  readonly capabilities = { name: "fs", localPaths: true } as const;
  readonly layout: FsLayout;
  readonly #fs: FileSystem;
  #closed = false;

  /** Prefer openFsArtifactStore(), which creates the layout and sweeps stale temp files. */
  constructor(layout: FsLayout, fileSystem: FileSystem = nodeFileSystem) {
    this.layout = layout;
    this.#fs = fileSystem;
  }

  async put(data: Uint8Array | string, options?: PutOptions): Promise<StoredArtifact> {
    this.#assertOpen();
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    assertWithinMaxBytes("the bytes", bytes.byteLength, options);
    // Bytes in hand are hashed first: a blob already stored (an empty log, a repeated output) costs a stat, not a write and two fsyncs.
    const digest = sha256(bytes);
    if ((await statBlobFile(this.#fs, this.layout, digest))?.size === bytes.byteLength) return storedArtifact(digest, bytes.byteLength, options);
    return this.#ingest(toByteChunks([bytes]), options);
  }

  async putFile(path: string, options?: PutOptions): Promise<StoredArtifact> {
    this.#assertOpen();
    const { handle, size } = await openRegularFile(this.#fs, path);
    try {
      // Refused by its size before a byte is read: a sparse 2 GB file costs a stat.
      assertWithinMaxBytes(path, size, options);
      if (size <= SMALL_FILE_BYTES) {
        // Read whole only while it stays small: a file that grew after the stat streams on from there.
        const head = await readUpTo(handle, path, SMALL_FILE_BYTES + 1);
        if (head.byteLength <= SMALL_FILE_BYTES) {
          assertWithinMaxBytes(path, head.byteLength, options, head.byteLength !== size);
          return await this.put(head, options);
        }
        return await this.#ingest(withinMaxBytes(prepend(head, readChunks(handle, path)), path, options), options);
      }
      return await this.#ingest(withinMaxBytes(readChunks(handle, path), path, options), options);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async putStream(source: ArtifactSource, options?: PutOptions): Promise<StoredArtifact> {
    this.#assertOpen();
    return this.#ingest(withinMaxBytes(toByteChunks(source), "the stream", options), options);
  }

  async get(digest: string): Promise<Uint8Array> {
    const checked = this.#digestArg(digest);
    const bytes = await withBlobFile(this.#fs, this.layout, checked, (handle, path) => withStorageError("read", path, () => handle.readFile()));
    const actual = sha256(bytes);
    if (actual !== checked) throw artifactCorruptError(checked, actual);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async getToFile(digest: string, destPath: string): Promise<void> {
    await copyBlobToFile(this.#fs, this.layout, this.#digestArg(digest), resolve(destPath));
  }

  async localPath(digest: string): Promise<string> {
    const checked = this.#digestArg(digest);
    if ((await statBlobFile(this.#fs, this.layout, checked)) === undefined) throw artifactNotFoundError(checked);
    return this.layout.blobPath(checked);
  }

  async has(digest: string): Promise<boolean> {
    return (await statBlobFile(this.#fs, this.layout, this.#digestArg(digest))) !== undefined;
  }

  async stat(digest: string): Promise<ArtifactStat | undefined> {
    const stats = await statBlobFile(this.#fs, this.layout, this.#digestArg(digest));
    return stats === undefined ? undefined : { size_bytes: stats.size };
  }

  async *list(): AsyncGenerator<Digest> {
    this.#assertOpen();
    yield* listBlobDigests(this.#fs, this.layout);
  }

  async verify(digest: string): Promise<void> {
    const checked = this.#digestArg(digest);
    const actual = await withBlobFile(this.#fs, this.layout, checked, (handle, path) => sha256OfChunks(readChunks(handle, path)));
    if (actual !== checked) throw artifactCorruptError(checked, actual);
  }

  async verifyAll(): Promise<VerifyAllReport> {
    let checked = 0;
    const corrupt: Digest[] = [];
    for await (const digest of this.list()) {
      try {
        await this.verify(digest);
      } catch (error) {
        if (!isRunledgerError(error) || error.code !== "ERR_ARTIFACT_CORRUPT") throw error;
        corrupt.push(digest);
      }
      checked += 1;
    }
    return { checked, corrupt };
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async #ingest(chunks: AsyncIterable<Uint8Array>, options: PutOptions | undefined): Promise<StoredArtifact> {
    const temp = await writeHashedTempFile(this.#fs, this.layout.tempDir, tempFileName(), chunks, BLOB_FILE_MODE);
    await commitBlob(this.#fs, this.layout, temp);
    return storedArtifact(temp.digest, temp.size, options);
  }

  #digestArg(digest: string): Digest {
    this.#assertOpen();
    return parseDigest(digest);
  }

  #assertOpen(): void {
    if (this.#closed) throw new RunledgerError("ERR_STORAGE", { detail: `artifact store ${this.layout.root} is closed` });
  }
}

/** Up to `limit` bytes from the handle's current position. */
async function readUpTo(handle: FileHandle, path: string, limit: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await withStorageError("read", path, () => handle.read(buffer, filled, limit - filled, null));
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

async function* prepend(head: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}
