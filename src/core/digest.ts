import { hash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import { RunledgerError } from "./errors.js";

/** A content digest written `sha256:<64 lowercase hex>`. */
export type Digest = `sha256:${string}`;

export const DIGEST_ALG = "sha256";
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === "string" && DIGEST_PATTERN.test(value);
}

/** Returns the value as a Digest, or throws ERR_DIGEST_INVALID. */
export function parseDigest(value: string): Digest {
  if (!isDigest(value)) throw new RunledgerError("ERR_DIGEST_INVALID", { detail: JSON.stringify(value) });
  return value;
}

/** The hex part of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice(DIGEST_ALG.length + 1);
}

/** sha256 of raw bytes or of a string's UTF-8 bytes. */
export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${hash("sha256", data, "hex")}`;
}

/** sha256 of a value's canonical JSON: the same value gives the same digest on every machine. */
export function digestOf(value: unknown): Digest {
  return sha256(canonicalJson(value));
}
