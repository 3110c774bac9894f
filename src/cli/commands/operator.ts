import type { Command } from "commander";
import type { LifecycleAction } from "../../governance/operator-lifecycle.js";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/** `runledger operator list|show|register|activate|deprecate|remove`: the governed operator registry (seed 001 §8). */
export function registerOperator(program: Command, context: () => CommandContext): void {
  const operator = program
    .command("operator")
    .description("the operator registry: lifecycle REGISTERED → ACTIVE → DEPRECATED → REMOVED, quarantine on violations");
  operator
    .command("list")
    .description("every operator the ledger knows, with its status, use and violations")
    .action(deferredAction(context, async () => (await import("../actions/operator-read.js")).listOperators));
  operator
    .command("show")
    .description("one operator: status, lifecycle history, violations")
    .argument("<ref>", "id@version")
    .action(deferredAction(context, async () => (await import("../actions/operator-read.js")).showOperator));
  const step = (name: string, action: LifecycleAction, description: string) =>
    operator
      .command(name)
      .description(description)
      .argument("<ref>", "id@version (a YAML task's operator is <pipeline>.<task>@0)")
      .option("--reason <text>", "why (required, audited: the decision record of the transition)")
      .action(
        deferredAction(context, async () => {
          const { stepOperator } = await import("../actions/operator.js");
          return (ctx, ref: string, flags: { reason?: string }) => stepOperator(ctx, action, ref, flags);
        }),
      );
  step("register", "operator_register", "put an operator under governance (REGISTERED; it runs once activated)");
  step("activate", "operator_activate", "let a registered, deprecated or reviewed quarantined operator run");
  step("deprecate", "operator_deprecate", "flag an active operator for removal; it still runs, with a warning");
  step("remove", "operator_remove", "never run the operator again");
}
