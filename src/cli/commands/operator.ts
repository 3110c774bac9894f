import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import type { LifecycleAction } from "../../governance/operator-lifecycle.js";
import { Projector } from "../../ledger/projections/projector.js";
import { changeOperatorLifecycle } from "../../usecases/index.js";
import { operatorViews } from "../../views/operators.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";

/** `runledger operator list|show|register|activate|deprecate|remove`: the governed operator registry (seed 001 §8). */
export function registerOperator(program: Command, context: () => CommandContext): void {
  const operator = program.command("operator").description("the operator registry: lifecycle REGISTERED → ACTIVE → DEPRECATED → REMOVED, quarantine on violations");
  operator
    .command("list")
    .description("every operator the ledger knows, with its status, use and violations")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const views = operatorViews(await new Projector(workspace.ledger).catchUp());
        const text = views.map((v) => `${v.status.padEnd(11)} ${v.ref}  attempts=${v.attempts}${v.violations.length > 0 ? `  violations=${v.violations.length}` : ""}`);
        ctx.output.success({ operators: views }, text.length > 0 ? text : "no operators yet");
      });
    });
  operator
    .command("show")
    .description("one operator: status, lifecycle history, violations")
    .argument("<ref>", "id@version")
    .action(async (ref: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const view = operatorViews(await new Projector(workspace.ledger).catchUp()).find((v) => v.ref === ref);
        if (!view) throw new RunledgerError("ERR_UNKNOWN_OPERATOR", { detail: `${ref}: not in this workspace's ledger; \`runledger operator list\` shows the known ones` });
        const lines = [`${view.ref}  ${view.status}  attempts=${view.attempts}`, ...view.history.map((h) => `  ${h.at_utc}  ${h.status}  by ${h.by}: ${h.reason}`), ...view.violations.map((v) => `  violation ${v.kind} in run ${v.run_id} task ${v.task}: ${v.detail}`)];
        ctx.output.success({ operator: view }, lines);
      });
    });
  const step = (name: string, action: LifecycleAction, description: string) =>
    operator
      .command(name)
      .description(description)
      .argument("<ref>", "id@version (a YAML task's operator is <pipeline>.<task>@0)")
      .option("--reason <text>", "why (required, audited: the decision record of the transition)")
      .action(async (ref: string, flags: { reason?: string }) => {
        const ctx = context();
        await ctx.withWorkspace(async (workspace) => {
          const { from, to } = await changeOperatorLifecycle(recordDeps(ctx, workspace), { ref, action, reason: flags.reason });
          ctx.output.success({ operator: { ref, status: to } }, [`${ref}: ${from ?? "unregistered"} → ${to}`]);
        });
      });
  step("register", "operator_register", "put an operator under governance (REGISTERED; it runs once activated)");
  step("activate", "operator_activate", "let a registered, deprecated or reviewed quarantined operator run");
  step("deprecate", "operator_deprecate", "flag an active operator for removal; it still runs, with a warning");
  step("remove", "operator_remove", "never run the operator again");
}
