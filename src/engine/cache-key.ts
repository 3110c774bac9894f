import { digestOf, type Digest } from "../core/digest.js";

/** Names the layout of the inputs hash; bump it if the layout changes. */
export const INPUTS_HASH_SCHEMA = "runledger.inputs.v1";

/** One input file of an attempt: the upstream task, its output path, and the digest of its bytes. */
export interface InputRef {
  readonly task: string;
  readonly path: string;
  readonly digest: string;
}

/** The inputs hash of seed 002's receipt: the params and every upstream output digest, canonicalized. */
export function inputsHash(params: unknown, inputs: readonly InputRef[]): Digest {
  // Keys in sorted order: canonical JSON's fast path; the digest is the same either way.
  const sorted = [...inputs]
    .sort((a, b) => (a.task === b.task ? (a.path < b.path ? -1 : 1) : a.task < b.task ? -1 : 1))
    .map((i) => ({ digest: i.digest, path: i.path, task: i.task }));
  return digestOf({ inputs: sorted, params, schema: INPUTS_HASH_SCHEMA });
}

/** Sorted `k=v;` pairs of the declared environment: the receipt's env fingerprint. */
export function envFingerprint(env: Readonly<Record<string, string>>): string {
  return Object.keys(env)
    .sort()
    .map((key) => `${key}=${env[key]};`)
    .join("");
}

/**
 * What makes two attempts interchangeable: the operator and its code, the inputs hash (upstream
 * digests included), the config versions, the declared environment, the run mode, and shadow
 * enforcement where the operator has effects. A passed attempt with the
 * same key is reused instead of run again.
 */
export function cacheKey(parts: {
  readonly operatorRef: string;
  readonly codeDigest: string;
  readonly inputsHash: string;
  readonly configVersions: readonly unknown[];
  readonly envFingerprint: string;
  readonly runMode: string;
  /** Set only for a shadow attempt of an operator with effects, so enforced keys stay as they were. */
  readonly enforcement?: "shadow";
}): Digest {
  return digestOf({
    codeDigest: parts.codeDigest,
    configVersions: parts.configVersions,
    enforcement: parts.enforcement,
    envFingerprint: parts.envFingerprint,
    inputsHash: parts.inputsHash,
    operatorRef: parts.operatorRef,
    runMode: parts.runMode,
    schema: "runledger.cache.v1",
  });
}
