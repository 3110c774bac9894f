import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { artifactCorruptError } from "../artifacts/artifact-store.js";
import { DIGEST_ALG, parseDigest, type Digest } from "../core/digest.js";

/**
 * Re-hashes a file placed from the artifact store and throws ERR_ARTIFACT_CORRUPT when its bytes
 * are not the ones `digest` names: a consumer never runs on a blob that changed after it was stored.
 */
export async function assertFileDigest(path: string, digest: string): Promise<void> {
  const expected = parseDigest(digest);
  const hash = createHash(DIGEST_ALG);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const actual: Digest = `${DIGEST_ALG}:${hash.digest("hex")}`;
  if (actual !== expected) throw artifactCorruptError(expected, actual);
}
