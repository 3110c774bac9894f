import { resolve } from "node:path";
import { RunledgerError } from "../../core/errors.js";
import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import type { CommandContext } from "../command-context.js";
import { receiptView } from "../../views/receipt.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger artifacts get <digest>`: an artifact's bytes to stdout or a file, its digest verified first. */
export async function getArtifact(ctx: CommandContext, digest: string, flags: { output?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    if (flags.output) {
      const path = resolve(ctx.io.cwd, flags.output);
      await workspace.artifacts.getToFile(digest, path);
      ctx.output.success({ artifact: { digest, path } } satisfies CommandResult<"artifacts get">, `wrote ${digest} to ${path}`);
    } else {
      if (ctx.output.json) throw new RunledgerError("ERR_USAGE", { detail: "--json needs -o FILE: stdout holds only the envelope" });
      ctx.io.stdout.write(await workspace.artifacts.get(digest));
    }
  });
}

/** `runledger receipt <attempt>`: an attempt's receipt. */
export async function showReceipt(ctx: CommandContext, attemptId: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    // The attempt, the one it reused and the outputs.json it stored: what its receipt and envelope need.
    const state = await (await readModelsOf(workspace.ledger)).stateFor({ attempts: [attemptId], outputIndexes: true });
    const view = await receiptView(state, workspace.artifacts, attemptId);
    ctx.output.success(view, JSON.stringify(view.receipt, null, 2));
  });
}
