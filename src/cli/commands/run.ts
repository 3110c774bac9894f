import type { Command } from "commander";
import { ISO_TIME_FORM } from "../../core/iso-time.js";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerRun(program: Command, context: () => CommandContext): void {
  program
    .command("run")
    .description("run a pipeline file; exit 0 when the result is PASS or WARN, 1 when it is FAIL")
    .argument("<file>", "a pipeline file: YAML, or an ES module (.js, .mjs) exporting definePipeline(…) as default")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .option("--as-of <time>", `the run's event time, ISO-8601: ${ISO_TIME_FORM} (default: now, recorded once)`)
    .option("--project <name>", "the project (default: the workspace's)")
    .option("--param <k=v>", "a run parameter; overrides a declared env value of the same name (repeatable)", (v: string, all: string[]) => [...all, v], [])
    .option("--no-cache", "run every task even when a passed attempt with the same cache key exists")
    .option("--mode <name>", "the run's work mode (default: classified from --title, else the pipeline's mode)")
    .option("--title <text>", "what this run is for; classifies the work mode by seed 000's keyword table")
    .option("--next <line>", "the next pointer: one line saying what to do next")
    .option("--run-mode <mock|real>", "mock uses mock providers and reads no secrets (default: the pipeline's runMode, else real)")
    .option(
      "--enforcement <shadow|enforced>",
      "shadow routes every effect call to a recorded sink; enforced performs them (default: the pipeline's enforcement, else enforced)",
    )
    .action(deferredAction(context, async () => (await import("../actions/run.js")).runCommand));
}

export function registerResume(program: Command, context: () => CommandContext): void {
  program
    .command("resume")
    .description("finish a run whose engine stopped, without re-running what passed")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--concurrency <n>", "run at most n attempts at once (default: the number of cores)")
    .option("--next <line>", "the next pointer: one line saying what to do next")
    .action(deferredAction(context, async () => (await import("../actions/run.js")).resumeCommand));
}
