import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { gatesView } from "../../views/gates.js";
import type { CommandContext } from "../command-context.js";
import { limitFlag } from "../limit-flag.js";
import type { CommandResult } from "../../views/command-result.js";

const DEFAULT_LIMIT = 50;

/** `runledger gate status [gate]`: the gate decisions last evaluated or decided, newest first. */
export async function gateStatus(ctx: CommandContext, name: string | undefined, flags: { run?: string; limit?: string }): Promise<void> {
  const limit = limitFlag(flags.limit) ?? DEFAULT_LIMIT;
  await ctx.withWorkspace(async (workspace) => {
    const { gates, more } = await gatesView(await readModelsOf(workspace.ledger), { gate: name, run: flags.run, limit });
    const lines = gates.map((g) => {
      const checks = g.checks.map((c) => `${c.name}=${c.result}`).join(" ");
      const who = g.decided_by ? `  by ${g.decided_by.kind}:${g.decided_by.id}: ${g.reason ?? ""}` : "";
      const advance = g.advances ? `  → ${g.advances.watermark} ${g.advances.value}` : "";
      return `${g.gate.padEnd(16)} ${g.status.padEnd(17)} run ${g.run_id}${advance}  [${checks}]${who}`;
    });
    if (more) lines.push(`older gate decisions: runledger gate status --limit ${limit * 2}`);
    ctx.output.success({ gates } satisfies CommandResult<"gate status">, lines.length > 0 ? lines : "no gate decisions yet");
  });
}
