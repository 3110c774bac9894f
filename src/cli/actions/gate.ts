import { decideGate } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { engineUseCaseDeps } from "../workspace-deps.js";
import { reportRun } from "./run.js";

/** `runledger gate approve|reject <gate>`: a recorded decision on a gate awaiting approval; the run continues. */
export async function decideGateCommand(ctx: CommandContext, approve: boolean, name: string, flags: { run?: string; reason?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const run = await decideGate(engineUseCaseDeps(ctx, workspace), { gate: name, run: flags.run, approve, reason: flags.reason });
    await reportRun(ctx, workspace, run.id);
  });
}
