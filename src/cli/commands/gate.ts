import type { Command } from "commander";
import { Projector } from "../../ledger/projections/projector.js";
import { decideGate } from "../../usecases/index.js";
import { gatesView } from "../../views/gates.js";
import type { CommandContext } from "../command-context.js";
import { engineUseCaseDeps } from "../workspace-deps.js";
import { reportRun } from "./run.js";
import type { CommandResult } from "../../views/command-result.js";

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
        const gates = gatesView(await new Projector(workspace.ledger).catchUp(), { gate: name, run: flags.run });
        const lines = gates.map((g) => {
          const checks = g.checks.map((c) => `${c.name}=${c.result}`).join(" ");
          const who = g.decided_by ? `  by ${g.decided_by.kind}:${g.decided_by.id}: ${g.reason ?? ""}` : "";
          const advance = g.advances ? `  → ${g.advances.watermark} ${g.advances.value}` : "";
          return `${g.gate.padEnd(16)} ${g.status.padEnd(17)} run ${g.run_id}${advance}  [${checks}]${who}`;
        });
        ctx.output.success({ gates } satisfies CommandResult<"gate status">, lines.length > 0 ? lines : "no gate decisions yet");
      });
    });
  const decide = (verb: "approve" | "reject") =>
    gate
      .command(verb)
      .description(
        verb === "approve"
          ? "approve a gate awaiting approval (its checks passed); advances its watermark and continues the run"
          : "reject a gate awaiting approval; what depends on it is skipped",
      )
      .argument("<gate>")
      .option("--run <id>", "the run (default: the only run awaiting this gate)")
      .option("--reason <text>", "why (required, audited)")
      .action(async (name: string, flags: { run?: string; reason?: string }) => {
        const ctx = context();
        await ctx.withWorkspace(async (workspace) => {
          const run = await decideGate(engineUseCaseDeps(ctx, workspace), { gate: name, run: flags.run, approve: verb === "approve", reason: flags.reason });
          await reportRun(ctx, workspace, run.project, run.id);
        });
      });
  decide("approve");
  decide("reject");
}
