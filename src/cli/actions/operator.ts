import type { LifecycleAction } from "../../governance/operator-lifecycle.js";
import { changeOperatorLifecycle } from "../../usecases/index.js";
import { operatorTransition } from "../../views/operators.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger operator register|activate|deprecate|remove <ref>`: one audited lifecycle step. */
export async function stepOperator(ctx: CommandContext, action: LifecycleAction, ref: string, flags: { reason?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const { from, to } = await changeOperatorLifecycle(recordDeps(ctx, workspace), { ref, action, reason: flags.reason });
    ctx.output.success({ operator: operatorTransition(ref, to) } satisfies CommandResult<"operator register">, [`${ref}: ${from ?? "unregistered"} → ${to}`]);
  });
}
