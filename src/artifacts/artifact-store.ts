import { digestHex, DIGEST_ALG, type Digest } from "../core/digest.js";
import { RunledgerError } from "../core/errors.js";

/** Named differences between backends; callers branch on these, never on a backend's kind. */
export interface ArtifactStoreCapabilities {
  /** The backend's name for logs and diagnostics (`"fs"`, `"s3"`); never a branch condition. */
  readonly name: string;
  /**
   * Blobs are files on this machine: `localPath()` returns a path a child process can read
   * without a copy. When false, `localPath()` resolves to undefined and callers use `getToFile()`.
   */
  readonly localPaths: boolean;
}

/** What a caller may say about the bytes it stores; the store keeps bytes only. */
export interface PutOptions {
  /** Echoed into the returned record (for its ArtifactRef); not persisted by the store. */
  readonly mediaType?: string;
  /**
   * The most bytes to store: more is ERR_OUTPUT_TOO_LARGE and nothing is stored. A file is refused
   * by its size before it is read, and any source is counted while it streams (a file that grows).
   */
  readonly maxBytes?: number;
}

/**
 * Bytes to store as a sequence of chunks: a Node readable stream, an async generator, or an array.
 * String chunks are UTF-8. The store consumes one chunk at a time and never holds on to one.
 */
export type ArtifactSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | NodeJS.ReadableStream;

/** The record of a stored blob, ready to be written into receipts and ledger events. */
export interface StoredArtifact {
  /** `artifact://sha256/<64 hex>`, see artifactRef(). */
  readonly ref: string;
  readonly digest: Digest;
  readonly digest_alg: typeof DIGEST_ALG;
  readonly schema_version: "1";
  readonly size_bytes: number;
  readonly media_type?: string;
}

export interface ArtifactStat {
  readonly size_bytes: number;
}

/** The outcome of re-hashing every blob in a store. */
export interface VerifyAllReport {
  /** How many blobs were re-hashed. */
  readonly checked: number;
  /** The digests whose stored bytes no longer hash to them, in list() order. */
  readonly corrupt: readonly Digest[];
}

/**
 * The content-addressed blob store port. Blobs are immutable and named by the sha256 of their
 * bytes; every implementation passes runArtifactStoreConformance().
 *
 * Contract shared by all methods:
 * - a `digest` argument is `sha256:<64 lowercase hex>`; anything else throws ERR_DIGEST_INVALID;
 * - reads of an absent blob throw ERR_ARTIFACT_NOT_FOUND;
 * - every read re-hashes the bytes and throws ERR_ARTIFACT_CORRUPT (context `{ digest, actual }`)
 *   on a mismatch, before the caller can use them;
 * - I/O failures throw ERR_STORAGE with the system error code in `context.errno`;
 * - a blob is visible under its digest only once all its bytes are durably stored;
 * - storing content already present stores nothing new (deduplication);
 * - after close(), every method throws ERR_STORAGE.
 */
export interface ArtifactStore {
  readonly capabilities: ArtifactStoreCapabilities;

  /** Stores bytes, or a string's UTF-8 bytes; `data` must not change until the promise settles. */
  put(data: Uint8Array | string, options?: PutOptions): Promise<StoredArtifact>;
  /**
   * Stores a local regular file, streaming it in constant memory; hashing happens while copying.
   * The file is opened without following a link (ERR_OUTPUT_SYMLINK) and without blocking, and
   * anything but a regular file (a fifo, a socket, a device) is ERR_STORAGE with errno EINVAL.
   */
  putFile(path: string, options?: PutOptions): Promise<StoredArtifact>;
  /** Stores a stream, in constant memory. Errors thrown by the source propagate unchanged. */
  putStream(source: ArtifactSource, options?: PutOptions): Promise<StoredArtifact>;

  /** The verified bytes of a blob, whole in memory: prefer getToFile() for large blobs. */
  get(digest: string): Promise<Uint8Array>;
  /**
   * Streams a blob into `destPath` (creating its directory, replacing a file there), verifying it
   * on the way: the destination appears only after the bytes verified, and never on a mismatch.
   */
  getToFile(digest: string, destPath: string): Promise<void>;
  /**
   * The path of the stored blob on this machine, to be read and never written; not re-verified.
   * Undefined when `capabilities.localPaths` is false.
   */
  localPath(digest: string): Promise<string | undefined>;

  has(digest: string): Promise<boolean>;
  /** The blob's size, or undefined when absent; does not read the bytes. */
  stat(digest: string): Promise<ArtifactStat | undefined>;
  /** Every stored digest once, in ascending order; unfinished writes are never listed. */
  list(): AsyncIterable<Digest>;

  /** Re-hashes a stored blob; throws ERR_ARTIFACT_CORRUPT or ERR_ARTIFACT_NOT_FOUND. */
  verify(digest: string): Promise<void>;
  /** Re-hashes every listed blob and reports the corrupt ones instead of throwing on them. */
  verifyAll(): Promise<VerifyAllReport>;

  /** Releases the backend's resources; idempotent. */
  close(): Promise<void>;
}

/** The scheme and algorithm prefix of artifact references. */
export const ARTIFACT_REF_PREFIX = `artifact://${DIGEST_ALG}/`;

/** The stable reference of a blob: `artifact://sha256/<64 hex>`. */
export function artifactRef(digest: Digest): string {
  return `${ARTIFACT_REF_PREFIX}${digestHex(digest)}`;
}

/** Builds the record every backend returns from a put; `media_type` only when given. */
export function storedArtifact(digest: Digest, sizeBytes: number, options: PutOptions = {}): StoredArtifact {
  const record: StoredArtifact = {
    ref: artifactRef(digest),
    digest,
    digest_alg: DIGEST_ALG,
    schema_version: "1",
    size_bytes: sizeBytes,
  };
  return options.mediaType === undefined ? record : { ...record, media_type: options.mediaType };
}

/** ERR_ARTIFACT_CORRUPT for a blob whose stored bytes hash to `actual` instead of `digest`. */
export function artifactCorruptError(digest: Digest, actual: Digest): RunledgerError {
  return new RunledgerError("ERR_ARTIFACT_CORRUPT", {
    detail: `${digest} (stored bytes hash to ${actual})`,
    context: { digest, actual },
  });
}

/** ERR_OUTPUT_TOO_LARGE for `what`, of `size` bytes (or grown to them while it streamed), over `limit`. */
export function outputTooLargeError(what: string, size: number, limit: number, grew = false): RunledgerError {
  return new RunledgerError("ERR_OUTPUT_TOO_LARGE", {
    detail: `${what} ${grew ? "grew to" : "is"} ${size.toLocaleString("en-US")} bytes${grew ? " while it was stored" : ""}, over the limit of ${limit.toLocaleString("en-US")}`,
    context: { path: what, size_bytes: size, limit_bytes: limit },
  });
}

/** ERR_OUTPUT_SYMLINK for `what`, a symbolic link that is never followed. */
export function outputSymlinkError(what: string): RunledgerError {
  return new RunledgerError("ERR_OUTPUT_SYMLINK", { detail: `${what} is a symbolic link; it is not followed`, context: { path: what } });
}

/** Throws ERR_OUTPUT_TOO_LARGE when `size` is over `options.maxBytes`. */
export function assertWithinMaxBytes(what: string, size: number, options: PutOptions | undefined, grew = false): void {
  if (options?.maxBytes !== undefined && size > options.maxBytes) throw outputTooLargeError(what, size, options.maxBytes, grew);
}

/** ERR_ARTIFACT_NOT_FOUND for a digest the store does not hold. */
export function artifactNotFoundError(digest: Digest): RunledgerError {
  return new RunledgerError("ERR_ARTIFACT_NOT_FOUND", { detail: digest, context: { digest } });
}
