import { addExperiment } from "../../debug/add-experiment.js";
import { addHypothesis } from "../../debug/add-hypothesis.js";
import { closeDebugPacket, type CloseInput } from "../../debug/close-debug-packet.js";
import type { DebugDeps } from "../../debug/debug-deps.js";
import { findDebugPacket } from "../../debug/find-debug-packet.js";
import { missingDebugPackets } from "../../debug/missing-debug-packets.js";
import { openDebugPacket } from "../../debug/open-debug-packet.js";
import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import type { ProjectionState } from "../../ledger/projections/projection-state.js";
import { engineDeps, type Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { readableFiles } from "../input-files.js";
import { debugPacketJson } from "../../views/debug-packet.js";
import { debugPacketsView } from "../../views/debug-packet-summary.js";
import { findRun, findRunId } from "../../views/find-run.js";
import { debugPacketText } from "../debug-packet-text.js";
import type { CommandResult } from "../../views/command-result.js";

type CloseFlags = { decision?: string; next?: string; guard?: string; minutes?: string };

/** `runledger debug new <run>`: opens a DebugPacket on a failed run. */
export async function newPacket(ctx: CommandContext, runId: string, flags: { symptom?: string }): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const models = await readModelsOf(workspace.ledger);
    const id = await findRunId(models, runId);
    // The run with its packets: opening refuses a second open one.
    const state = await models.stateFor({ runs: [id] });
    const packetId = await openDebugPacket(deps(ctx, workspace), state, findRun(state, id), flags.symptom === undefined ? {} : { symptom: flags.symptom });
    await show(ctx, workspace, packetId);
  });
}

/** `runledger debug hypothesis <packet> "…"`: adds a hypothesis to an open packet. */
export async function hypothesize(ctx: CommandContext, packetId: string, text: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const packet = findDebugPacket(await packetsState(workspace), packetId);
    await addHypothesis(deps(ctx, workspace), packet, text);
    await show(ctx, workspace, packet.id);
  });
}

/** `runledger debug experiment <packet>`: records an experiment with its evidence files. */
export async function experiment(ctx: CommandContext, packetId: string, flags: { change?: string; result?: string; evidence?: string[] }): Promise<void> {
  const evidence = readableFiles("--evidence", flags.evidence ?? [], ctx.io.cwd);
  await ctx.withWorkspace(async (workspace) => {
    const packet = findDebugPacket(await packetsState(workspace), packetId);
    await addExperiment(deps(ctx, workspace), packet, { change: flags.change ?? "", result: flags.result ?? "", evidence });
    await show(ctx, workspace, packet.id);
  });
}

/** `runledger debug close <packet>`: closes a packet with its decision and next pointer. */
export async function closePacket(ctx: CommandContext, packetId: string, flags: CloseFlags): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const found = findDebugPacket(await packetsState(workspace), packetId);
    // Closing reads the packet's run too.
    const state = await packetsState(workspace, found.run_id);
    const packet = findDebugPacket(state, found.id);
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
    const packets = debugPacketsView(await packetsState(workspace), flags);
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
    const missing = missingDebugPackets(await failedContractRunsState(workspace));
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

/** Every DebugPacket (a small collection, found by id prefix), and the run `runId` when given. */
async function packetsState(workspace: Workspace, runId?: string): Promise<ProjectionState> {
  return (await readModelsOf(workspace.ledger)).stateFor({ debugPackets: true, runs: runId === undefined ? [] : [runId] });
}

/** The CONTRACT runs whose result is FAIL, oldest first, and every DebugPacket: what `debug missing` checks. */
async function failedContractRunsState(workspace: Workspace): Promise<ProjectionState> {
  const models = await readModelsOf(workspace.ledger);
  const contract = await models.listedRuns({ workMode: "CONTRACT", limit: Number.MAX_SAFE_INTEGER });
  const failed = contract.filter(({ run }) => run.result === "FAIL").map(({ run }) => run.id);
  const state = await models.stateFor({ debugPackets: true });
  for (const run of await Promise.all(failed.reverse().map((id) => models.run(id)))) if (run) state.runs[run.id] = run;
  return state;
}

async function show(ctx: CommandContext, workspace: Workspace, packetId: string): Promise<void> {
  const view = findDebugPacket(await packetsState(workspace), packetId);
  ctx.output.success(debugPacketJson(view), debugPacketText(view));
}
