import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/** `runledger monitor run`: the read-only monitors; their only output is [SUGGESTION] entries, recorded once each. */
export function registerMonitor(program: Command, context: () => CommandContext): void {
  const monitor = program.command("monitor").description("read-only monitors that may only suggest (seed 001 §5)");
  monitor
    .command("run")
    .description("run every monitor; new suggestions are recorded once, so running it 100 times leaves the state of running it once")
    .action(deferredAction(context, async () => (await import("../actions/monitor.js")).runMonitorsCommand));
}
