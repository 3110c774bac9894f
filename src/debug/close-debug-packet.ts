import { systemClock } from "../core/clock.js";
import { RunledgerError } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { DebugPacketView, ProjectionState } from "../ledger/projections/projection-state.js";
import { assertOpen } from "./add-hypothesis.js";
import type { DebugDeps } from "./debug-deps.js";

/** How a packet closes: the decision, the next pointer, the regression guard and the time spent. */
export interface CloseInput {
  readonly decision: string;
  readonly next: string;
  readonly guard?: string;
  /** Minutes spent; default the whole minutes since the packet was opened. */
  readonly minutes?: number;
}

/**
 * Closes an open packet (debug.closed). Seed 000: a DebugPacket ends with a decision and an
 * explicit next pointer (one line), both required. When the packet's run has no next pointer yet,
 * the packet's is recorded for it (next.recorded) in the same append.
 */
export async function closeDebugPacket(deps: DebugDeps, state: ProjectionState, packet: DebugPacketView, input: CloseInput): Promise<void> {
  assertOpen(packet);
  const decision = input.decision.trim();
  const next = input.next.trim();
  if (decision === "") throw new RunledgerError("ERR_USAGE", { detail: 'closing a DebugPacket needs --decision "…": what you conclude now' });
  if (next === "" || next.includes("\n"))
    throw new RunledgerError("ERR_USAGE", { detail: 'closing a DebugPacket needs --next "…": one line, the fix applied or the next experiment' });
  if (input.minutes !== undefined && !(Number.isFinite(input.minutes) && input.minutes >= 0)) {
    throw new RunledgerError("ERR_USAGE", { detail: `--minutes ${String(input.minutes)}: expected a number of minutes >= 0` });
  }
  const elapsed = Math.max(0, Math.round(((deps.clock ?? systemClock).now().getTime() - Date.parse(packet.opened_at_utc)) / 60_000));
  const events: NewEvent[] = [
    {
      type: "debug.closed",
      project: packet.project,
      actor: deps.actor,
      data: { debug_packet_id: packet.id, decision, next, regression_guard: (input.guard ?? "").trim(), time_spent_minutes: input.minutes ?? elapsed },
    },
  ];
  const run = state.runs[packet.run_id];
  if (run && (run.next === null || run.next.trim() === ""))
    events.push({ type: "next.recorded", project: run.project, actor: deps.actor, data: { next, run_id: run.id } });
  await deps.ledger.append(events);
}
