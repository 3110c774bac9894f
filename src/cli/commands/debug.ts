import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

const load = () => import("../actions/debug.js");

/** `runledger debug …`: DebugPackets (seed 000) on failed runs. */
export function registerDebug(program: Command, context: () => CommandContext): void {
  const debug = program
    .command("debug")
    .description("DebugPackets: symptom, context, minimal repro, hypotheses, experiments, decision and next for a failed run");
  debug
    .command("new")
    .description("open a DebugPacket on a failed run; symptom, context and minimal repro are filled in from the ledger and receipts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--symptom <text>", "the observable symptom (default: the failed tasks and their reasons)")
    .action(deferredAction(context, async () => (await load()).newPacket));
  debug
    .command("hypothesis")
    .description("add a hypothesis to an open packet (at most 3; a 4th is refused, and fires a stop rule on a CONTRACT run)")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .argument("<text>", "the hypothesis")
    .action(deferredAction(context, async () => (await load()).hypothesize));
  debug
    .command("experiment")
    .description("record an experiment: the change made, its result, and evidence files stored as artifacts")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .option("--change <text>", "the change made")
    .option("--result <text>", "what happened")
    .option("--evidence <file...>", "evidence files (logs, diffs, notes); at least one")
    .action(deferredAction(context, async () => (await load()).experiment));
  registerClosing(debug, context);
}

/** The packet's close and the commands that read packets. */
function registerClosing(debug: Command, context: () => CommandContext): void {
  debug
    .command("close")
    .description("close a packet with its decision and next pointer (also the run's, if it has none), regression guard and time spent")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .option("--decision <text>", "what you conclude now (required)")
    .option("--next <line>", "the fix applied or the next experiment: one line (required)")
    .option("--guard <text>", "the regression guard that prevents recurrence (test, gate or check)")
    .option("--minutes <n>", "minutes spent (default: since the packet was opened)")
    .action(deferredAction(context, async () => (await load()).closePacket));
  debug
    .command("show")
    .description("show one DebugPacket")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .action(deferredAction(context, async () => (await load()).showPacket));
  debug
    .command("list")
    .description("list the DebugPackets, oldest first")
    .option("--open", "only open packets")
    .action(deferredAction(context, async () => (await load()).listPackets));
  debug
    .command("missing")
    .description("flag failed CONTRACT runs without a DebugPacket or its minimal repro; exit 1 when any")
    .action(deferredAction(context, async () => (await load()).missingPackets));
}
