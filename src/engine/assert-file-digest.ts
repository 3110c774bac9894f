import { createHash, hash as hashOnce } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { artifactCorruptError } from "../artifacts/artifact-store.js";
import { DIGEST_ALG, parseDigest, type Digest } from "../core/digest.js";

/**
 * Re-hashes a file placed from the artifact store and throws ERR_ARTIFACT_CORRUPT when its bytes
 * are not the ones `digest` names: a consumer never runs on a blob that changed after it was stored.
 */
export async function assertFileDigest(path: string, digest: string): Promise<void> {
  const expected = parseDigest(digest);
  let hex: string;
  if ((await stat(path)).size <= 1 << 20) hex = hashOnce(DIGEST_ALG, await readFile(path), "hex");
  else {
    const hash = createHash(DIGEST_ALG);
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    hex = hash.digest("hex");
  }
  const actual: Digest = `${DIGEST_ALG}:${hex}`;
  if (actual !== expected) throw artifactCorruptError(expected, actual);
}
