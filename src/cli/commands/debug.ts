import type { Command } from "commander";
import { addExperiment } from "../../debug/add-experiment.js";
import { addHypothesis } from "../../debug/add-hypothesis.js";
import { closeDebugPacket, type CloseInput } from "../../debug/close-debug-packet.js";
import type { DebugDeps } from "../../debug/debug-deps.js";
import { findDebugPacket } from "../../debug/find-debug-packet.js";
import { missingDebugPackets } from "../../debug/missing-debug-packets.js";
import { openDebugPacket } from "../../debug/open-debug-packet.js";
import { Projector } from "../../ledger/projections/projector.js";
import { engineDeps, type Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { readableFiles } from "../input-files.js";
import { debugPacketJson } from "../../views/debug-packet.js";
import { debugPacketsView } from "../../views/debug-packet-summary.js";
import { findRun } from "../../views/find-run.js";
import { debugPacketText } from "../debug-packet-text.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger debug …`: DebugPackets (seed 000) on failed runs. */
export function registerDebug(program: Command, context: () => CommandContext): void {
  const debug = program
    .command("debug")
    .description("DebugPackets: symptom, context, minimal repro, hypotheses, experiments, decision and next for a failed run");
  registerNew(debug, context);
  registerHypothesis(debug, context);
  registerExperiment(debug, context);
  registerClose(debug, context);
  registerShow(debug, context);
  registerList(debug, context);
  registerMissing(debug, context);
}

function registerNew(debug: Command, context: () => CommandContext): void {
  debug
    .command("new")
    .description("open a DebugPacket on a failed run; symptom, context and minimal repro are filled in from the ledger and receipts")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--symptom <text>", "the observable symptom (default: the failed tasks and their reasons)")
    .action(async (runId: string, flags: { symptom?: string }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const id = await openDebugPacket(deps(ctx, workspace), state, findRun(state, runId), flags.symptom === undefined ? {} : { symptom: flags.symptom });
        await show(ctx, workspace, id);
      });
    });
}

function registerHypothesis(debug: Command, context: () => CommandContext): void {
  debug
    .command("hypothesis")
    .description("add a hypothesis to an open packet (at most 3; a 4th is refused, and fires a stop rule on a CONTRACT run)")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .argument("<text>", "the hypothesis")
    .action(async (packetId: string, text: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const packet = findDebugPacket(state, packetId);
        await addHypothesis(deps(ctx, workspace), packet, text);
        await show(ctx, workspace, packet.id);
      });
    });
}

function registerExperiment(debug: Command, context: () => CommandContext): void {
  debug
    .command("experiment")
    .description("record an experiment: the change made, its result, and evidence files stored as artifacts")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .option("--change <text>", "the change made")
    .option("--result <text>", "what happened")
    .option("--evidence <file...>", "evidence files (logs, diffs, notes); at least one")
    .action(async (packetId: string, flags: { change?: string; result?: string; evidence?: string[] }) => {
      const ctx = context();
      const evidence = readableFiles("--evidence", flags.evidence ?? [], ctx.io.cwd);
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const packet = findDebugPacket(state, packetId);
        await addExperiment(deps(ctx, workspace), packet, { change: flags.change ?? "", result: flags.result ?? "", evidence });
        await show(ctx, workspace, packet.id);
      });
    });
}

type CloseFlags = { decision?: string; next?: string; guard?: string; minutes?: string };

function registerClose(debug: Command, context: () => CommandContext): void {
  debug
    .command("close")
    .description("close a packet with its decision and next pointer (also the run's, if it has none), regression guard and time spent")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .option("--decision <text>", "what you conclude now (required)")
    .option("--next <line>", "the fix applied or the next experiment: one line (required)")
    .option("--guard <text>", "the regression guard that prevents recurrence (test, gate or check)")
    .option("--minutes <n>", "minutes spent (default: since the packet was opened)")
    .action(async (packetId: string, flags: CloseFlags) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const packet = findDebugPacket(state, packetId);
        await closeDebugPacket(deps(ctx, workspace), state, packet, closeInput(flags));
        await show(ctx, workspace, packet.id);
      });
    });
}

/** The flags as closeDebugPacket takes them; a blank --minutes stays invalid for it to refuse. */
function closeInput(flags: CloseFlags): CloseInput {
  const minutes = flags.minutes === undefined ? {} : { minutes: flags.minutes.trim() === "" ? Number.NaN : Number(flags.minutes) };
  return { decision: flags.decision ?? "", next: flags.next ?? "", ...(flags.guard === undefined ? {} : { guard: flags.guard }), ...minutes };
}

function registerShow(debug: Command, context: () => CommandContext): void {
  debug
    .command("show")
    .description("show one DebugPacket")
    .argument("<packet>", "a packet id, or a unique prefix of one")
    .action(async (packetId: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => show(ctx, workspace, packetId));
    });
}

function registerList(debug: Command, context: () => CommandContext): void {
  debug
    .command("list")
    .description("list the DebugPackets, oldest first")
    .option("--open", "only open packets")
    .action(async (flags: { open?: boolean }) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await new Projector(workspace.ledger).catchUp();
        const packets = debugPacketsView(state, flags);
        const text = packets.map(
          (p) => `${p.debug_packet_id}  ${p.status.padEnd(6)}  run ${p.run_id}  ${p.work_mode}  h${p.hypotheses} e${p.experiments}  ${p.symptom}`,
        );
        ctx.output.success(
          { debug_packets: packets } satisfies CommandResult<"debug list">,
          packets.length > 0 ? text : flags.open ? "no open DebugPackets" : "no DebugPackets yet",
        );
      });
    });
}

function registerMissing(debug: Command, context: () => CommandContext): void {
  debug
    .command("missing")
    .description("flag failed CONTRACT runs without a DebugPacket or its minimal repro; exit 1 when any")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const missing = missingDebugPackets(await new Projector(workspace.ledger).catchUp());
        const text = missing.map((m) => `${m.run_id}  ${m.pipeline}  ${m.reason}  (runledger debug new ${m.run_id})`);
        ctx.output.success(
          { missing } satisfies CommandResult<"debug missing">,
          missing.length > 0 ? ["failed CONTRACT runs without a minimal repro:", ...text] : "every failed CONTRACT run has a DebugPacket with a minimal repro",
        );
        if (missing.length > 0) ctx.exitCode = 1;
      });
    });
}

function deps(ctx: CommandContext, workspace: Workspace): DebugDeps {
  const { ledger, artifacts, workRoot, actor } = engineDeps(workspace, ctx.actor());
  return { ledger, artifacts, workRoot, actor };
}

async function show(ctx: CommandContext, workspace: Workspace, packetId: string): Promise<void> {
  const state = await new Projector(workspace.ledger).catchUp();
  const view = findDebugPacket(state, packetId);
  ctx.output.success(debugPacketJson(view), debugPacketText(view));
}
