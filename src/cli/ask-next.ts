import { createInterface } from "node:readline/promises";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import { recordNext } from "../usecases/index.js";
import type { Workspace } from "../workspace/workspace.js";
import type { CommandContext } from "./command-context.js";
import { recordDeps } from "./workspace-deps.js";

/**
 * Seed 000: every run ends with a next pointer. When a run ended without one and a person sits at
 * a terminal (stdin and stdout are TTYs, no --json), asks for it and records it as next.recorded;
 * otherwise leaves the run not counted, for `runledger next <run> "…"` later.
 */
export async function askNext(ctx: CommandContext, workspace: Workspace, runId: string): Promise<void> {
  const stdin = ctx.io.stdin;
  if (ctx.output.json || !stdin?.isTTY || !(ctx.io.stdout as { isTTY?: boolean }).isTTY) return;
  const run = await (await readModelsOf(workspace.ledger)).run(runId);
  if (!run || run.next !== null || run.finished_at_utc === null) return;
  const rl = createInterface({ input: stdin, output: ctx.io.stdout, terminal: false });
  try {
    const answer = (await rl.question("next pointer (one line: what to do next; empty to leave it for `runledger next`): ")).trim();
    if (answer === "") return;
    await recordNext(recordDeps(ctx, workspace), { run: runId, next: answer });
  } finally {
    rl.close();
  }
}
