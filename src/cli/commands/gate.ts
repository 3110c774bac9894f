import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { decideGate } from "../../engine/run-pipeline.js";
import type { GateView, ProjectionState } from "../../ledger/projections/projection-state.js";
import { Projector } from "../../ledger/projections/projector.js";
import { loadPipelineSource } from "../../pipelines/load-pipeline-source.js";
import type { CommandContext } from "../command-context.js";
import { findRun } from "../run-view.js";
import { cliEngineDeps, reportRun } from "./run.js";

/** The decision of `gate` in `run`, or the only one awaiting approval when no run is named. */
function findGate(state: ProjectionState, gate: string, run: string | undefined): GateView {
  if (run !== undefined) {
    const found = state.gates[`${findRun(state, run).id}/${gate}`];
    if (!found) throw new RunledgerError("ERR_GATE_NOT_FOUND", { detail: `run ${run} has no evaluated gate ${gate}` });
    return found;
  }
  const awaiting = Object.values(state.gates).filter((g) => g.gate === gate && g.status === "awaiting_approval");
  if (awaiting.length === 1) return awaiting[0] as GateView;
  const detail = awaiting.length === 0 ? `no run awaits approval of gate ${gate}` : `${awaiting.length} runs await gate ${gate}; name one with --run (${awaiting.map((g) => g.run_id).join(", ")})`;
  throw new RunledgerError("ERR_GATE_NOT_FOUND", { detail });
}

/** `runledger gate status|approve|reject`: gates over chosen outputs; approval is a recorded decision with actor and reason. */
export function registerGate(program: Command, context: () => CommandContext): void {
  const gate = program.command("gate").description("gates: checks over chosen outputs, optional human approval, watermark advance");
  gate
    .command("status")
    .description("the gate decisions, newest first: checks, status, who decided and why")
    .argument("[gate]", "only this gate")
    .option("--run <id>", "only this run's gates")
    .action(async (name: string | undefined, flags: { run?: string }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const runId = flags.run === undefined ? undefined : findRun(state, flags.run).id;
        const gates = Object.values(state.gates)
          .filter((g) => (name === undefined || g.gate === name) && (runId === undefined || g.run_id === runId))
          .sort((a, b) => (a.evaluated_at_utc < b.evaluated_at_utc ? 1 : -1));
        const lines = gates.map((g) => {
          const checks = g.checks.map((c) => `${c.name}=${c.result}`).join(" ");
          const who = g.decided_by ? `  by ${g.decided_by.kind}:${g.decided_by.id}: ${g.reason ?? ""}` : "";
          const advance = g.advances ? `  → ${g.advances.watermark} ${g.advances.value}` : "";
          return `${g.gate.padEnd(16)} ${g.status.padEnd(17)} run ${g.run_id}${advance}  [${checks}]${who}`;
        });
        ctx.output.success({ gates }, lines.length > 0 ? lines : "no gate decisions yet");
      });
    });
  const decide = (verb: "approve" | "reject") =>
    gate
      .command(verb)
      .description(verb === "approve" ? "approve a gate awaiting approval (its checks passed); advances its watermark and continues the run" : "reject a gate awaiting approval; what depends on it is skipped")
      .argument("<gate>")
      .option("--run <id>", "the run (default: the only run awaiting this gate)")
      .option("--reason <text>", "why (required, audited)")
      .action(async (name: string, flags: { run?: string; reason?: string }) => {
        const ctx = context();
        await ctx.withWorkspace(async (workspace) => {
          const state = await new Projector(workspace.ledger).catchUp();
          const found = findGate(state, name, flags.run);
          const view = state.runs[found.run_id];
          if (!view?.source) throw new RunledgerError("ERR_USAGE", { detail: `run ${found.run_id} was not started from a pipeline file; decide its gate from code with decideGate()` });
          const pipeline = await loadPipelineSource(view.source);
          await decideGate(pipeline, cliEngineDeps(ctx, workspace), view.id, { gate: name, approve: verb === "approve", reason: flags.reason }, { project: view.project, modes: workspace.modes });
          await reportRun(ctx, workspace, view.project, view.id);
        });
      });
  decide("approve");
  decide("reject");
}
