import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { gatesView } from "../../views/gates.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger gate status [gate]`: the gate decisions, newest first. */
export async function gateStatus(ctx: CommandContext, name: string | undefined, flags: { run?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const gates = await gatesView(await readModelsOf(workspace.ledger), { gate: name, run: flags.run });
    const lines = gates.map((g) => {
      const checks = g.checks.map((c) => `${c.name}=${c.result}`).join(" ");
      const who = g.decided_by ? `  by ${g.decided_by.kind}:${g.decided_by.id}: ${g.reason ?? ""}` : "";
      const advance = g.advances ? `  → ${g.advances.watermark} ${g.advances.value}` : "";
      return `${g.gate.padEnd(16)} ${g.status.padEnd(17)} run ${g.run_id}${advance}  [${checks}]${who}`;
    });
    ctx.output.success({ gates } satisfies CommandResult<"gate status">, lines.length > 0 ? lines : "no gate decisions yet");
  });
}
