import { RunledgerError } from "../core/errors.js";
import { adminEvent } from "../governance/admin-event.js";
import { applyEvent } from "../ledger/projections/apply-event.js";
import type { GateView, ProjectionState } from "../ledger/projections/projection-state.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { runEvent, type EngineDeps } from "./attempt-context.js";
import { movesForward } from "./gate-attempt.js";
import { finishedRun, resumeClaimed, withOpenRun, type OpenRun } from "./open-run.js";
import type { ResumeOptions } from "./run-options.js";

/** A decision on a gate awaiting approval, with the reason recorded for it. */
export interface GateDecision {
  readonly gate: string;
  readonly approve: boolean;
  readonly reason: string | undefined;
}

/**
 * Approves or rejects a gate of a run that awaits approval, as `deps.actor` with a reason (an
 * admin event), and continues the run as `resumeRun` does. Approval advances the gate's watermark
 * in the same append. A gate whose checks failed, or that was already decided, cannot be
 * (ERR_GATE_NOT_APPROVABLE); a watermark moved past the value since is ERR_WATERMARK_REGRESSION.
 */
export async function decideGate(spec: PipelineDefinition, deps: EngineDeps, runId: string, decision: GateDecision, options: ResumeOptions): Promise<string> {
  const work = async (opened: OpenRun): Promise<string> => {
    const refused = refusal(opened.past, runId, decision.gate);
    if (refused) throw refused;
    await recordDecision(opened, decision);
    return resumeClaimed(opened, options);
  };
  // A finished run's gate says why it cannot be decided (failed, or decided already) first.
  return withOpenRun({ spec, deps, runId, options }, work, (view, past) => refusal(past, runId, decision.gate) ?? finishedRun(runId, view));
}

/** Why the gate cannot be decided, or undefined when it awaits approval. */
function refusal(past: ProjectionState, runId: string, name: string): RunledgerError | undefined {
  const gate = past.gates[`${runId}/${name}`];
  if (!gate) return new RunledgerError("ERR_GATE_NOT_FOUND", { detail: `run ${runId} has no evaluated gate ${name}` });
  if (gate.status === "awaiting_approval") return undefined;
  const why =
    gate.status === "failed"
      ? `its checks failed (${gate.checks
          .filter((c) => c.result === "FAIL")
          .map((c) => c.name)
          .join(", ")})`
      : `it is already ${gate.status}`;
  return new RunledgerError("ERR_GATE_NOT_APPROVABLE", { detail: `gate ${name} of run ${runId}: ${why}` });
}

/** Appends the decision (and an approval's watermark move), and applies it to the state the run goes on from. */
async function recordDecision(opened: OpenRun, decision: GateDecision): Promise<void> {
  const { deps, runId, view, past, models } = opened;
  const gate = past.gates[`${runId}/${decision.gate}`] as GateView;
  const advance = decision.approve ? gate.advances : null;
  const mark = advance ? (await models.watermarks()).find((m) => m.name === advance.watermark) : undefined;
  if (
    advance &&
    !movesForward(mark, { watermark: advance.watermark, value: advance.value, ...(advance.definition ? { definition: advance.definition } : {}) })
  ) {
    throw new RunledgerError("ERR_WATERMARK_REGRESSION", {
      detail: `${advance.watermark} moved to ${mark?.value ?? "?"} since the gate was evaluated; ${advance.value} is not later`,
    });
  }
  const status = decision.approve ? "approved" : "rejected";
  const run = { project: view.project };
  const appended = await deps.ledger.append([
    adminEvent(view.project, deps.actor, {
      action_type: decision.approve ? "gate_approve" : "gate_reject",
      reason: decision.reason,
      targets: [
        { kind: "gate", id: decision.gate },
        { kind: "run", id: runId },
      ],
      before: { status: gate.status, checks: gate.checks },
      after: { status, ...(advance ? { advances: advance } : {}) },
      result: "applied",
    }),
    ...(advance
      ? [
          runEvent(deps, run, {
            type: "watermark.advanced",
            data: {
              ...(advance.definition ? { definition: advance.definition } : {}),
              gate: decision.gate,
              run_id: runId,
              value: advance.value,
              watermark: advance.watermark,
            },
          }),
        ]
      : []),
  ]);
  // The run goes on from the state just read, with the decision applied.
  for (const event of appended) applyEvent(past, event);
}
