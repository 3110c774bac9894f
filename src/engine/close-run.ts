import { canonicalJson } from "../core/canonical-json.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { assessEvidence, type PassedTaskFacts } from "../modes/assess-evidence.js";
import type { WorkMode } from "../modes/work-mode.js";
import { runEvent, type EngineDeps, type RunContext } from "./attempt-context.js";
import type { Verdict } from "../contracts/verdict.js";

/** A passed task's stored outputs, for the manifest. */
export interface ClosingTask extends PassedTaskFacts {
  readonly outputs: readonly { readonly path: string; readonly digest: string; readonly size_bytes: number }[];
}

/** What the end of a run knows. */
export interface RunClosing {
  readonly mode: WorkMode;
  /** halted: an operator's violation stopped the run. */
  readonly status: "succeeded" | "degraded" | "failed" | "halted";
  readonly result: Verdict;
  readonly taskCount: number;
  readonly passed: readonly ClosingTask[];
  readonly skipped: number;
  /** Tasks whose last attempt ran past its timebox and was stopped. */
  readonly timedOut: readonly string[];
  readonly next: string | null;
}

/**
 * Ends a run as seed 000 asks: writes the run manifest (counts, and every passed output with its
 * digest) to the artifact store, assesses the evidence of the run's mode, fires the stop rules
 * that apply (the universal timebox rule per task stopped at its timebox, and the mode's rules
 * whose evidence is missing), and records run.finished with the next pointer, all in one append.
 */
export async function closeRun(deps: EngineDeps, run: RunContext, closing: RunClosing): Promise<void> {
  const outputs = closing.passed.flatMap((t) => t.outputs.map((o) => ({ task: t.task, path: o.path, digest: o.digest, size_bytes: o.size_bytes })));
  const manifest = {
    schema: "runledger.manifest.v1",
    run_id: run.id,
    project: run.project,
    as_of: run.asOf.toISOString(),
    work_mode: closing.mode.name,
    counts: {
      tasks: closing.taskCount,
      passed: closing.passed.length,
      skipped: closing.skipped,
      failed: closing.taskCount - closing.passed.length - closing.skipped,
      outputs: outputs.length,
      bytes: outputs.reduce((sum, o) => sum + o.size_bytes, 0),
    },
    outputs,
  };
  const stored = await deps.artifacts.put(canonicalJson(manifest), { mediaType: "application/json" });
  const evidence = assessEvidence(closing.mode, closing.passed);
  const event = (e: Omit<NewEvent, "project" | "actor">) => runEvent(deps, run, e);
  const events: NewEvent[] = [
    event({ type: "artifact.stored", data: { digest: stored.digest, media_type: "application/json", name: "manifest.json", size_bytes: stored.size_bytes } }),
  ];
  for (const task of closing.timedOut) events.push(timeboxExceeded(deps, run, task));
  for (const rule of closing.mode.stopRules) {
    if (evidence.find((e) => e.item === rule.whenMissing)?.met === false) {
      events.push(
        event({ type: "stoprule.fired", data: { detail: rule.detail, mode: closing.mode.name, rule: rule.id, run_id: run.id, subject: rule.whenMissing } }),
      );
    }
  }
  events.push(
    event({
      type: "run.finished",
      data: { evidence, manifest_digest: stored.digest, next: closing.next, result: closing.result, run_id: run.id, status: closing.status },
    }),
  );
  await deps.ledger.append(events);
}

/** The universal stop rule of seed 000 for a task stopped at its timebox: `timebox-exceeded`. */
export function timeboxExceeded(deps: Pick<EngineDeps, "actor">, run: RunContext, task: string): NewEvent {
  const detail = `task ${task} exceeded its timebox and was stopped: write a next pointer, then schedule or re-scope`;
  return runEvent(deps, run, { type: "stoprule.fired", data: { detail, mode: run.workMode.name, rule: "timebox-exceeded", run_id: run.id, subject: task } });
}
