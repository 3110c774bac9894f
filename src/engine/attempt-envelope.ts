import { artifactRef, type ArtifactStore } from "../artifacts/artifact-store.js";
import type { Envelope } from "../contracts/envelope.js";
import { ReceiptSchema } from "../contracts/receipt.js";
import type { Digest } from "../core/digest.js";
import { ERROR_CANON, type ErrorCode } from "../core/errors.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";

/**
 * Seed 002's canonical envelope of a settled attempt, built from its receipt: success with every
 * output as an artifact reference, `index_path` naming its `outputs.json`, and meta (env
 * fingerprint, code digest as image digest); or error with the attempt's `ERR_*` code and the
 * canon's message. Returns undefined while the attempt has no receipt.
 */
export async function attemptEnvelope(state: ProjectionState, artifacts: ArtifactStore, attemptId: string): Promise<Envelope | undefined> {
  const attempt = state.attempts[attemptId];
  if (!attempt?.receipt_digest) return undefined;
  const receipt = ReceiptSchema.parse(JSON.parse(Buffer.from(await artifacts.get(attempt.receipt_digest)).toString("utf8")));
  if (attempt.result === null) {
    const code = (attempt.error_code ?? "ERR_INTERNAL") as ErrorCode;
    const message = `${ERROR_CANON[code].fragment}${attempt.reason ? `: ${attempt.reason}` : ""}`;
    return { status: "error", execution_id: attempt.attempt_id, error: { code, message }, meta: { env_fingerprint: receipt.env_fingerprint } };
  }
  const source = attempt.source_attempt_id ?? attempt.attempt_id;
  const index = Object.values(state.artifacts).find((a) => a.names.includes("outputs.json") && a.attempts.includes(source));
  return {
    status: "success",
    execution_id: attempt.attempt_id,
    outputs: attempt.outputs.map((o) => ({ path: artifactRef(o.digest as Digest) })),
    index_path: index ? artifactRef(index.digest as Digest) : "",
    meta: { env_fingerprint: receipt.env_fingerprint, image_digest: receipt.code_digest },
  };
}
