import { resolve } from "node:path";
import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { CommandContext } from "../command-context.js";
import { attemptEnvelope } from "../../engine/attempt-envelope.js";
import { loadReceipt } from "./explain.js";

export function registerArtifacts(program: Command, context: () => CommandContext): void {
  const artifacts = program.command("artifacts").description("read content-addressed artifacts");
  artifacts
    .command("get")
    .description("write an artifact's bytes to stdout or a file; its digest is verified first")
    .argument("<digest>", "sha256:<hex>")
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(async (digest: string, flags: { output?: string }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        if (flags.output) {
          const path = resolve(ctx.io.cwd, flags.output);
          await workspace.artifacts.getToFile(digest, path);
          ctx.output.success({ artifact: { digest, path } }, `wrote ${digest} to ${path}`);
        } else {
          if (ctx.output.json) throw new RunledgerError("ERR_USAGE", { detail: "--json needs -o FILE: stdout holds only the envelope" });
          ctx.io.stdout.write(await workspace.artifacts.get(digest));
        }
      });
    });
}

export function registerReceipt(program: Command, context: () => CommandContext): void {
  program
    .command("receipt")
    .description("show the receipt of an attempt")
    .argument("<attempt>", "an attempt id")
    .action(async (attemptId: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const attempt = state.attempts[attemptId];
        if (!attempt?.receipt_digest) throw new RunledgerError("ERR_USAGE", { detail: `attempt ${attemptId} ${attempt ? "has no receipt yet" : "is not in the ledger"}` });
        const receipt = await loadReceipt(workspace.artifacts, attempt.receipt_digest);
        const envelope = await attemptEnvelope(state, workspace.artifacts, attemptId);
        ctx.output.success({ receipt, receipt_digest: attempt.receipt_digest, envelope }, JSON.stringify(receipt, null, 2));
      });
    });
}
