import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { DIGEST_ALG, type Digest } from "../../core/digest.js";
import { assertWithinMaxBytes, type ArtifactSource, type PutOptions } from "../artifact-store.js";
import { withStorageError } from "./storage-error.js";

/** Read size for streaming blobs: large enough for throughput, small enough to keep memory flat. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a file handle from its current position to the end, one fresh chunk of at most
 * CHUNK_BYTES at a time; read failures are ERR_STORAGE naming `path`.
 */
export async function* readChunks(handle: FileHandle, path: string): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await withStorageError("read", path, () => handle.read(buffer, 0, CHUNK_BYTES, null));
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Writes all of `chunk` at the handle's current position; raw errors propagate. */
export async function writeChunk(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    // A regular file that accepts zero bytes would otherwise spin here forever.
    if (bytesWritten === 0) throw Object.assign(new Error("write made no progress"), { code: "EIO" });
    offset += bytesWritten;
  }
}

/** A source's chunks as bytes, strings encoded as UTF-8; errors of the source propagate unchanged. */
export async function* toByteChunks(source: ArtifactSource): AsyncGenerator<Uint8Array> {
  for await (const chunk of source as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  }
}

/** The sha256 of all chunks, consumed one at a time. */
export async function sha256OfChunks(chunks: AsyncIterable<Uint8Array>): Promise<Digest> {
  const hash = createHash(DIGEST_ALG);
  for await (const chunk of chunks) hash.update(chunk);
  return `${DIGEST_ALG}:${hash.digest("hex")}`;
}

/** The chunks unchanged while their total stays within `options.maxBytes`; past it, ERR_OUTPUT_TOO_LARGE naming `what`. */
export async function* withinMaxBytes(chunks: AsyncIterable<Uint8Array>, what: string, options: PutOptions | undefined): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    assertWithinMaxBytes(what, total, options, true);
    yield chunk;
  }
}
