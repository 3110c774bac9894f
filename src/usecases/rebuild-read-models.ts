import type { ReadModelRebuild } from "../contracts/admin-control.js";
import { RunledgerError } from "../core/errors.js";
import { adminEvent, requireReason } from "../governance/admin-event.js";
import type { Ledger } from "../ledger/ledger.js";
import type { RecordDeps } from "./deps.js";

export interface RebuildReadModelsDeps extends RecordDeps {
  readonly ledger: Pick<Ledger, "append" | "readModels" | "rebuildReadModels">;
  /** The workspace's name: the target of the admin event. */
  readonly workspaceName: string;
  /** Milliseconds from some fixed point: how long the rebuild took. */
  readonly now: () => number;
}

export interface RebuildReadModelsInput {
  readonly reason: string | undefined;
  /** Told how far the rebuild has come (event seq, head seq). */
  readonly onProgress?: ((seq: number, head: number) => void) | undefined;
}

/**
 * Clears the read models and derives them again from every event, then records a
 * read_models_rebuild admin event with their version and seq before and after. A ledger that keeps
 * no read models refuses with ERR_CONFIG, a blank reason with ERR_REASON_REQUIRED, before anything changes.
 */
export async function rebuildReadModels(deps: RebuildReadModelsDeps, input: RebuildReadModelsInput): Promise<ReadModelRebuild> {
  requireReason("read_models_rebuild", input.reason);
  const models = deps.ledger.readModels;
  if (!models) throw new RunledgerError("ERR_CONFIG", { detail: "this ledger keeps no read models: every read replays the events" });
  const before = await models.status();
  const started = deps.now();
  await deps.ledger.rebuildReadModels(input.onProgress);
  const durationMs = Math.max(0, deps.now() - started);
  const after = await models.status();
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: "read_models_rebuild",
      reason: input.reason,
      targets: [{ kind: "workspace", id: deps.workspaceName }],
      before: { version: before.version, seq: before.seq },
      after: { version: after.version, seq: after.seq },
      result: "applied",
    }),
  ]);
  return { before: { ...before }, after: { ...after }, events: after.seq, duration_ms: Math.round(durationMs) };
}
