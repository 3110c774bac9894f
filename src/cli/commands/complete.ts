import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/**
 * `runledger complete <run> <task> --evidence <file>… --result PASS|WARN|FAIL`: records the outcome
 * of a waiting manual task with its evidence and continues the run (actions/complete.ts).
 */
export function registerComplete(program: Command, context: () => CommandContext): void {
  program
    .command("complete")
    .description("record the outcome of a waiting manual task with its evidence files, then continue the run")
    .argument("<run>", "a run id, or a unique prefix of one")
    .argument("<task>", "the waiting manual task")
    .option("--evidence <files...>", "the evidence files, one per declared output, matched by file name")
    .option("--result <PASS|WARN|FAIL>", "the outcome as you state it; a failing check makes it FAIL")
    .option("--note <text>", "a note recorded with the outcome")
    .option("--next <line>", "the next pointer: one line saying what to do next")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .action(deferredAction(context, async () => (await import("../actions/complete.js")).completeCommand));
}
