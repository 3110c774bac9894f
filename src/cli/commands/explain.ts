import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { diffReceipts } from "../../engine/explain-attempt.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { AttemptView, ProjectionState } from "../../ledger/projections/projection-state.js";
import type { CommandContext } from "../command-context.js";
import { findRun } from "../../views/find-run.js";
import { loadReceipt } from "../../views/receipt.js";

export function registerExplain(program: Command, context: () => CommandContext): void {
  program
    .command("explain")
    .description("say why a task ran or was reused: the receipt fields that changed since its last passed attempt")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<task>", "a task of that run")
    .action(async (runId: string, taskName: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const run = findRun(state, runId);
        const task = run.tasks[taskName];
        const attempt = state.attempts[task?.attempts.at(-1) ?? ""];
        if (!task || !attempt) throw new RunledgerError("ERR_USAGE", { detail: `task ${taskName} of run ${run.id} has no attempt${task ? ` (${task.outcome}: ${task.reason ?? "not started"})` : ""}` });
        // The attempt's effect calls: its decision trace under shadow | enforced.
        const effects = attempt.effects.map((e) => ({ call_number: e.call_number, effect: e.effect, enforcement: e.enforcement, outcome: e.outcome, payload_digest: e.payload_digest, result_digest: e.result_digest, error_code: e.error_code }));
        const trace = effects.length === 0 ? [] : [`effects: ${effects.map((e) => `${e.effect}=${e.outcome}`).join(" ")}`];
        if (attempt.status === "reused") {
          const source = state.attempts[attempt.source_attempt_id ?? ""];
          const explanation = { task: taskName, decision: "reused", attempt: attempt.attempt_id, source_attempt: attempt.source_attempt_id, source_run: source?.correlation_ids.run_id ?? null, changes: [], effects };
          ctx.output.success({ explain: explanation }, [`${taskName} was reused: attempt ${attempt.source_attempt_id} of run ${explanation.source_run} has the same cache key (operator, code, inputs, config, env, mode)`]);
          return;
        }
        const previous = previousPassed(state, run.pipeline, taskName, attempt);
        if (!previous?.receipt_digest || !attempt.receipt_digest) {
          const explanation = { task: taskName, decision: "ran", attempt: attempt.attempt_id, previous_attempt: null, changes: [], effects };
          ctx.output.success({ explain: explanation }, [`${taskName} ran: no earlier passed attempt of ${run.pipeline}.${taskName} to reuse`, ...trace]);
          return;
        }
        const changes = diffReceipts(await loadReceipt(workspace.artifacts, previous.receipt_digest), await loadReceipt(workspace.artifacts, attempt.receipt_digest));
        const explanation = { task: taskName, decision: "ran", attempt: attempt.attempt_id, previous_attempt: previous.attempt_id, previous_run: previous.correlation_ids.run_id, changes, effects };
        const lines = changes.map((c) => `  ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
        const why = changes.length > 0 ? [`${taskName} ran; changed since attempt ${previous.attempt_id}:`, ...lines] : [`${taskName} ran; nothing changed since attempt ${previous.attempt_id}: the cache was off (--no-cache or cache: false), or its outputs had left the store`];
        ctx.output.success({ explain: explanation }, [...why, ...trace]);
      });
    });
}

/** The latest passed, non-reused attempt of the same pipeline task before `attempt`. */
function previousPassed(state: ProjectionState, pipeline: string, task: string, attempt: AttemptView): AttemptView | undefined {
  return Object.values(state.attempts)
    .filter((a) => a.correlation_ids.task === task && a.status === "succeeded" && a.attempt_id !== attempt.attempt_id && a.created_at_utc <= attempt.created_at_utc)
    .filter((a) => state.runs[a.correlation_ids.run_id]?.pipeline === pipeline && a.correlation_ids.run_id !== attempt.correlation_ids.run_id)
    .at(-1);
}
