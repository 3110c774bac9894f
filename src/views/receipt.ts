import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { ReceiptSchema, type Receipt } from "../contracts/receipt.js";
import { RunledgerError } from "../core/errors.js";
import { attemptEnvelope } from "../engine/attempt-envelope.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import type { CommandResult } from "./command-result.js";

/** Reads a receipt from the artifact store; its digest is verified on the way. */
export async function loadReceipt(artifacts: Pick<ArtifactStore, "get">, digest: string): Promise<Receipt> {
  return ReceiptSchema.parse(JSON.parse(Buffer.from(await artifacts.get(digest)).toString("utf8")));
}

/** An attempt's receipt, its digest and the attempt's envelope; ERR_USAGE for an attempt without one. */
export async function receiptView(state: ProjectionState, artifacts: ArtifactStore, attemptId: string): Promise<CommandResult<"receipt">> {
  const attempt = state.attempts[attemptId];
  if (!attempt?.receipt_digest)
    throw new RunledgerError("ERR_USAGE", { detail: `attempt ${attemptId} ${attempt ? "has no receipt yet" : "is not in the ledger"}` });
  const receipt = await loadReceipt(artifacts, attempt.receipt_digest);
  const envelope = await attemptEnvelope(state, artifacts, attemptId);
  // Only an attempt without a receipt has no envelope, refused above; the check keeps the contract's type honest.
  if (envelope === undefined) throw new RunledgerError("ERR_USAGE", { detail: `attempt ${attemptId} has no receipt yet` });
  return { receipt, receipt_digest: attempt.receipt_digest, envelope };
}
