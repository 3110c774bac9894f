import { RunledgerError } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import type { DebugDeps } from "./debug-deps.js";
import { debugContext } from "./debug-context.js";
import { minimalRepro } from "./minimal-repro.js";

/** What `debug new` may say beyond the run. */
export interface OpenDebugPacketOptions {
  /** The observable symptom; default: the failed tasks and their reasons. */
  readonly symptom?: string;
}

/**
 * Opens a DebugPacket on a failed run (result FAIL, else ERR_RUN_NOT_FAILED; a run with an open
 * packet already is ERR_USAGE): symptom, context and minimal repro are filled in from the ledger
 * and the receipts and recorded as one debug.opened event. Resolves to the packet id.
 */
export async function openDebugPacket(deps: DebugDeps, state: ProjectionState, run: RunView, options: OpenDebugPacketOptions = {}): Promise<string> {
  if (run.result !== "FAIL") {
    throw new RunledgerError("ERR_RUN_NOT_FAILED", {
      detail: `run ${run.id} ${run.result === null ? `is ${run.status}, not finished` : `ended ${run.result}`}`,
    });
  }
  const open = Object.values(state.debugPackets).find((p) => p.run_id === run.id && p.status === "open");
  if (open) throw new RunledgerError("ERR_USAGE", { detail: `run ${run.id} already has the open DebugPacket ${open.id}; add to it, or close it first` });
  const symptom = options.symptom?.trim() || defaultSymptom(run);
  const context = await debugContext(state, deps.artifacts, run);
  const repro = await minimalRepro({ state, ledger: deps.ledger, artifacts: deps.artifacts, workRoot: deps.workRoot }, run);
  const id = (deps.ids ?? randomIds).next();
  await deps.ledger.append([
    {
      type: "debug.opened",
      project: run.project,
      actor: deps.actor,
      data: { context: { ...context }, debug_packet_id: id, minimal_repro: repro, run_id: run.id, symptom, work_mode: run.work_mode },
    },
  ]);
  return id;
}

/** The symptom a failed run shows: each failed task with its reason. */
export function defaultSymptom(run: RunView): string {
  const failed = Object.values(run.tasks).filter((t) => t.outcome === "FAILED");
  const what = failed.map((t) => `${t.name}: ${t.reason ?? "failed"}`).join("; ");
  return `run ${run.id} of ${run.pipeline} ended ${run.result ?? run.status}${what ? ` (${what})` : ""}`;
}
