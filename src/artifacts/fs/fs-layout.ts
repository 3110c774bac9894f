import { join } from "node:path";
import { digestHex, DIGEST_ALG, type Digest } from "../../core/digest.js";

/** Stored blobs are read-only, and for their owner only: nothing in runledger rewrites a blob in place. */
export const BLOB_FILE_MODE = 0o400;

/** The store's directories are their owner's only: blobs hold outputs and logs that may be private. */
export const STORE_DIR_MODE = 0o700;

const SHARD_PATTERN = /^[0-9a-f]{2}$/;
const REST_PATTERN = /^[0-9a-f]{62}$/;

/**
 * Where things live under a store's root: blobs at `<root>/sha256/<first 2 hex>/<other 62 hex>`,
 * unfinished writes in `<root>/tmp/`, so a half-written file is never at a blob's path.
 */
export interface FsLayout {
  readonly root: string;
  readonly blobsDir: string;
  readonly tempDir: string;
  shardDir(digest: Digest): string;
  blobPath(digest: Digest): string;
}

export function fsLayout(root: string): FsLayout {
  const blobsDir = join(root, DIGEST_ALG);
  return {
    root,
    blobsDir,
    tempDir: join(root, "tmp"),
    shardDir: (digest) => join(blobsDir, digestHex(digest).slice(0, 2)),
    blobPath: (digest) => join(blobsDir, digestHex(digest).slice(0, 2), digestHex(digest).slice(2)),
  };
}

/** Whether a directory name under `blobsDir` is a shard. */
export function isShardName(name: string): boolean {
  return SHARD_PATTERN.test(name);
}

/** The digest a blob file names, or undefined for anything else found in a shard. */
export function digestOfBlobName(shard: string, name: string): Digest | undefined {
  return REST_PATTERN.test(name) ? `${DIGEST_ALG}:${shard}${name}` : undefined;
}
