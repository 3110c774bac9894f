import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { ReceiptSchema, type Receipt } from "../contracts/receipt.js";
import { diffReceipts, type ReceiptChange } from "../engine/explain-attempt.js";
import type { AttemptView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";

/** The summary of a context with nothing to compare the failed run with. */
export const NO_PASSING_RUN = "no passing run to compare with";

/** What changed between the last passing run of a pipeline and a failed run of it. */
export interface DebugContext {
  readonly summary: string;
  /** The passing run compared with; null when the pipeline has none before the failed run. */
  readonly compared_with: { readonly run_id: string; readonly result: string; readonly finished_at_utc: string | null } | null;
  readonly pipeline_digest: { readonly before: string | null; readonly after: string | null } | null;
  readonly params: readonly { readonly name: string; readonly before: string | null; readonly after: string | null }[];
  /** Per task, the receipt fields that differ: operator (processor_ref, code_digest), config_versions, env, inputs. */
  readonly tasks: readonly { readonly task: string; readonly changes: readonly ReceiptChange[] }[];
}

/** The last run of the same project and pipeline that passed (PASS or WARN) and was requested before `run`. */
export function lastPassingRun(state: ProjectionState, run: RunView): RunView | undefined {
  const runs = Object.values(state.runs);
  return runs
    .slice(0, runs.indexOf(run))
    .filter((r) => r.project === run.project && r.pipeline === run.pipeline && (r.result === "PASS" || r.result === "WARN"))
    .at(-1);
}

/** The last attempt of a task of a run that left a receipt. */
export function lastReceiptAttempt(state: ProjectionState, run: RunView, task: string): AttemptView | undefined {
  return (run.tasks[task]?.attempts ?? [])
    .map((id) => state.attempts[id])
    .filter((a): a is AttemptView => a?.receipt_digest !== null && a !== undefined)
    .at(-1);
}

/** Reads and validates a receipt from the artifact store. */
export async function readReceipt(artifacts: ArtifactStore, digest: string): Promise<Receipt> {
  return ReceiptSchema.parse(JSON.parse(Buffer.from(await artifacts.get(digest)).toString("utf8")));
}

/**
 * The context of a DebugPacket (seed 000: what changed recently): the failed run against the last
 * passing run of its pipeline, from the ledger and the receipts: params, pipeline digest, and per
 * task the operator version and code digest, config versions, env fingerprint and input digests.
 */
export async function debugContext(state: ProjectionState, artifacts: ArtifactStore, run: RunView): Promise<DebugContext> {
  const passing = lastPassingRun(state, run);
  if (!passing) return { summary: NO_PASSING_RUN, compared_with: null, pipeline_digest: null, params: [], tasks: [] };
  const params = [...new Set([...Object.keys(passing.params), ...Object.keys(run.params)])]
    .filter((name) => passing.params[name] !== run.params[name])
    .sort()
    .map((name) => ({ name, before: passing.params[name] ?? null, after: run.params[name] ?? null }));
  const tasks: { task: string; changes: ReceiptChange[] }[] = [];
  for (const task of Object.keys(run.tasks)) {
    const now = lastReceiptAttempt(state, run, task);
    if (!now?.receipt_digest) continue;
    const before = lastReceiptAttempt(state, passing, task);
    if (!before?.receipt_digest) {
      tasks.push({ task, changes: [{ field: "task", before: null, after: "not run by the passing run" }] });
      continue;
    }
    const changes = diffReceipts(await readReceipt(artifacts, before.receipt_digest), await readReceipt(artifacts, now.receipt_digest));
    if (changes.length > 0) tasks.push({ task, changes });
  }
  const pipelineDigest = passing.pipeline_digest === run.pipeline_digest ? null : { before: passing.pipeline_digest, after: run.pipeline_digest };
  const parts = [
    ...(pipelineDigest ? ["pipeline definition"] : []),
    ...params.map((p) => `param ${p.name}`),
    ...tasks.map((t) => `${t.task}: ${t.changes.map((c) => c.field).join(", ")}`),
  ];
  const summary = `compared with run ${passing.id} (${passing.result ?? "-"}): ${parts.length > 0 ? `changed ${parts.join("; ")}` : "nothing recorded changed (the cause is outside the receipts: environment, data read directly, time)"}`;
  return {
    summary,
    compared_with: { run_id: passing.id, result: passing.result ?? "-", finished_at_utc: passing.finished_at_utc },
    pipeline_digest: pipelineDigest,
    params,
    tasks,
  };
}
