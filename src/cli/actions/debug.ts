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

type CloseFlags = { decision?: string; next?: string; guard?: string; minutes?: string };

/** `runledger debug new <run>`: opens a DebugPacket on a failed run. */
export async function newPacket(ctx: CommandContext, runId: string, flags: { symptom?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const state = await new Projector(workspace.ledger).catchUp();
    const id = await openDebugPacket(deps(ctx, workspace), state, findRun(state, runId), flags.symptom === undefined ? {} : { symptom: flags.symptom });
    await show(ctx, workspace, id);
  });
}

/** `runledger debug hypothesis <packet> "…"`: adds a hypothesis to an open packet. */
export async function hypothesize(ctx: CommandContext, packetId: string, text: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const state = await new Projector(workspace.ledger).catchUp();
    const packet = findDebugPacket(state, packetId);
    await addHypothesis(deps(ctx, workspace), packet, text);
    await show(ctx, workspace, packet.id);
  });
}

/** `runledger debug experiment <packet>`: records an experiment with its evidence files. */
export async function experiment(ctx: CommandContext, packetId: string, flags: { change?: string; result?: string; evidence?: string[] }): Promise<void> {
  const evidence = readableFiles("--evidence", flags.evidence ?? [], ctx.io.cwd);
  await ctx.withWorkspace(async (workspace) => {
    const state = await new Projector(workspace.ledger).catchUp();
    const packet = findDebugPacket(state, packetId);
    await addExperiment(deps(ctx, workspace), packet, { change: flags.change ?? "", result: flags.result ?? "", evidence });
    await show(ctx, workspace, packet.id);
  });
}

/** `runledger debug close <packet>`: closes a packet with its decision and next pointer. */
export async function closePacket(ctx: CommandContext, packetId: string, flags: CloseFlags): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const state = await new Projector(workspace.ledger).catchUp();
    const packet = findDebugPacket(state, packetId);
    await closeDebugPacket(deps(ctx, workspace), state, packet, closeInput(flags));
    await show(ctx, workspace, packet.id);
  });
}

/** The flags as closeDebugPacket takes them; a blank --minutes stays invalid for it to refuse. */
function closeInput(flags: CloseFlags): CloseInput {
  const minutes = flags.minutes === undefined ? {} : { minutes: flags.minutes.trim() === "" ? Number.NaN : Number(flags.minutes) };
  return { decision: flags.decision ?? "", next: flags.next ?? "", ...(flags.guard === undefined ? {} : { guard: flags.guard }), ...minutes };
}

/** `runledger debug show <packet>`: one DebugPacket. */
export async function showPacket(ctx: CommandContext, packetId: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => show(ctx, workspace, packetId));
}

/** `runledger debug list [--open]`: the DebugPackets, oldest first. */
export async function listPackets(ctx: CommandContext, flags: { open?: boolean }): Promise<void> {
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
}

/** `runledger debug missing`: failed CONTRACT runs without a DebugPacket or its minimal repro; exit 1 when any. */
export async function missingPackets(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const missing = missingDebugPackets(await new Projector(workspace.ledger).catchUp());
    const text = missing.map((m) => `${m.run_id}  ${m.pipeline}  ${m.reason}  (runledger debug new ${m.run_id})`);
    ctx.output.success(
      { missing } satisfies CommandResult<"debug missing">,
      missing.length > 0 ? ["failed CONTRACT runs without a minimal repro:", ...text] : "every failed CONTRACT run has a DebugPacket with a minimal repro",
    );
    if (missing.length > 0) ctx.exitCode = 1;
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
