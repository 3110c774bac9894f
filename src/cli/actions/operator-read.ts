import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { operatorView, operatorViews, type OperatorFacts } from "../../views/operators.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger operator list`: every operator the ledger knows. */
export async function listOperators(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const views = operatorViews(await operatorFacts(workspace));
    const text = views.map(
      (v) => `${v.status.padEnd(11)} ${v.ref}  attempts=${v.attempts}${v.violations.length > 0 ? `  violations=${v.violations.length}` : ""}`,
    );
    ctx.output.success({ operators: views } satisfies CommandResult<"operator list">, text.length > 0 ? text : "no operators yet");
  });
}

/** `runledger operator show <ref>`: one operator, its lifecycle history and violations. */
export async function showOperator(ctx: CommandContext, ref: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const view = operatorView(await operatorFacts(workspace), ref);
    const lines = [
      `${view.ref}  ${view.status}  attempts=${view.attempts}`,
      ...view.history.map((h) => `  ${h.at_utc}  ${h.status}  by ${h.by}: ${h.reason}`),
      ...view.violations.map((v) => `  violation ${v.kind} in run ${v.run_id} task ${v.task}: ${v.detail}`),
    ];
    ctx.output.success({ operator: view } satisfies CommandResult<"operator show">, lines);
  });
}

/** The admin events, violations and attempts; the attempts are all read, for how often each operator ran. */
async function operatorFacts(workspace: Workspace): Promise<OperatorFacts> {
  const models = await readModelsOf(workspace.ledger);
  const [adminEvents, violations, attempts] = await Promise.all([models.adminEvents(), models.violations(), models.allAttempts()]);
  return { adminEvents, violations, attempts };
}
