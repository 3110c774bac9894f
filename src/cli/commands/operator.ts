import type { Command } from "commander";
import type { LifecycleAction } from "../../governance/operator-lifecycle.js";
import { Projector } from "../../ledger/projections/projector.js";
import { changeOperatorLifecycle } from "../../usecases/index.js";
import { operatorTransition, operatorView, operatorViews } from "../../views/operators.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger operator list|show|register|activate|deprecate|remove`: the governed operator registry (seed 001 §8). */
export function registerOperator(program: Command, context: () => CommandContext): void {
  const operator = program
    .command("operator")
    .description("the operator registry: lifecycle REGISTERED → ACTIVE → DEPRECATED → REMOVED, quarantine on violations");
  operator
    .command("list")
    .description("every operator the ledger knows, with its status, use and violations")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const views = operatorViews(await new Projector(workspace.ledger).catchUp());
        const text = views.map(
          (v) => `${v.status.padEnd(11)} ${v.ref}  attempts=${v.attempts}${v.violations.length > 0 ? `  violations=${v.violations.length}` : ""}`,
        );
        ctx.output.success({ operators: views } satisfies CommandResult<"operator list">, text.length > 0 ? text : "no operators yet");
      });
    });
  operator
    .command("show")
    .description("one operator: status, lifecycle history, violations")
    .argument("<ref>", "id@version")
    .action(async (ref: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const view = operatorView(await new Projector(workspace.ledger).catchUp(), ref);
        const lines = [
          `${view.ref}  ${view.status}  attempts=${view.attempts}`,
          ...view.history.map((h) => `  ${h.at_utc}  ${h.status}  by ${h.by}: ${h.reason}`),
          ...view.violations.map((v) => `  violation ${v.kind} in run ${v.run_id} task ${v.task}: ${v.detail}`),
        ];
        ctx.output.success({ operator: view } satisfies CommandResult<"operator show">, lines);
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
          ctx.output.success({ operator: operatorTransition(ref, to) } satisfies CommandResult<"operator register">, [
            `${ref}: ${from ?? "unregistered"} → ${to}`,
          ]);
        });
      });
  step("register", "operator_register", "put an operator under governance (REGISTERED; it runs once activated)");
  step("activate", "operator_activate", "let a registered, deprecated or reviewed quarantined operator run");
  step("deprecate", "operator_deprecate", "flag an active operator for removal; it still runs, with a warning");
  step("remove", "operator_remove", "never run the operator again");
}
