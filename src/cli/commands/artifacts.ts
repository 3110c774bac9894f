import { resolve } from "node:path";
import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { CommandContext } from "../command-context.js";
import { receiptView } from "../../views/receipt.js";
import type { CommandResult } from "../../views/command-result.js";

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
          ctx.output.success({ artifact: { digest, path } } satisfies CommandResult<"artifacts get">, `wrote ${digest} to ${path}`);
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
        const view = await receiptView(state, workspace.artifacts, attemptId);
        ctx.output.success(view, JSON.stringify(view.receipt, null, 2));
      });
    });
}
