import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerArtifacts(program: Command, context: () => CommandContext): void {
  const artifacts = program.command("artifacts").description("read content-addressed artifacts");
  artifacts
    .command("get")
    .description("write an artifact's bytes to stdout or a file; its digest is verified first")
    .argument("<digest>", "sha256:<hex>")
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(deferredAction(context, async () => (await import("../actions/artifacts.js")).getArtifact));
}

export function registerReceipt(program: Command, context: () => CommandContext): void {
  program
    .command("receipt")
    .description("show the receipt of an attempt")
    .argument("<attempt>", "an attempt id")
    .action(deferredAction(context, async () => (await import("../actions/artifacts.js")).showReceipt));
}
