import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { Explanation } from "../contracts/explanation.js";
import { RunledgerError } from "../core/errors.js";
import { diffReceipts } from "../engine/explain-attempt.js";
import type { AttemptView, RunView } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";
import { loadReceipt } from "./receipt.js";

/**
 * Why a task of a run ran or was reused, from its latest attempt: reused from an attempt with the
 * same cache key; ran with no earlier passed attempt to reuse; or ran, with the stable receipt
 * fields that changed since the latest passed attempt of the same pipeline task in another run.
 * ERR_USAGE for a task without an attempt.
 */
export async function explanationView(models: ReadModels, artifacts: Pick<ArtifactStore, "get">, run: RunView, taskName: string): Promise<Explanation> {
  const task = run.tasks[taskName];
  const [attempt] = await models.attempts(task?.attempts.slice(-1) ?? []);
  if (!task || !attempt)
    throw new RunledgerError("ERR_USAGE", {
      detail: `task ${taskName} of run ${run.id} has no attempt${task ? ` (${task.outcome}: ${task.reason ?? "not started"})` : ""}`,
    });
  // The attempt's effect calls: its decision trace under shadow | enforced.
  const effects = attempt.effects.map((e) => ({
    call_number: e.call_number,
    effect: e.effect,
    enforcement: e.enforcement,
    outcome: e.outcome,
    payload_digest: e.payload_digest,
    result_digest: e.result_digest,
    error_code: e.error_code,
  }));
  if (attempt.status === "reused") {
    const [source] = await models.attempts(attempt.source_attempt_id === null ? [] : [attempt.source_attempt_id]);
    return {
      task: taskName,
      decision: "reused",
      attempt: attempt.attempt_id,
      source_attempt: attempt.source_attempt_id,
      source_run: source?.correlation_ids.run_id ?? null,
      changes: [],
      effects,
    };
  }
  const previous = previousPassed(await models.attemptsOfPipelineTask(run.pipeline, taskName), attempt);
  if (!previous?.receipt_digest || !attempt.receipt_digest)
    return { task: taskName, decision: "ran", attempt: attempt.attempt_id, previous_attempt: null, changes: [], effects };
  const changes = diffReceipts(await loadReceipt(artifacts, previous.receipt_digest), await loadReceipt(artifacts, attempt.receipt_digest));
  return {
    task: taskName,
    decision: "ran",
    attempt: attempt.attempt_id,
    previous_attempt: previous.attempt_id,
    previous_run: previous.correlation_ids.run_id,
    changes,
    effects,
  };
}

/** Of the attempts of the same pipeline task (in the order they were made), the latest passed, non-reused one before `attempt`, in another run. */
function previousPassed(attemptsOfTask: readonly AttemptView[], attempt: AttemptView): AttemptView | undefined {
  return attemptsOfTask
    .filter((a) => a.status === "succeeded" && a.attempt_id !== attempt.attempt_id && a.created_at_utc <= attempt.created_at_utc)
    .filter((a) => a.correlation_ids.run_id !== attempt.correlation_ids.run_id)
    .at(-1);
}
