import { isRunledgerError, RunledgerError } from "../../core/errors.js";
import type { EventType } from "../events.js";
import type { Ledger, ReadQuery } from "../ledger.js";
import { applyEvent } from "./apply-event.js";
import { emptyProjectionState, type ProjectionState } from "./projection-state.js";

/**
 * Keeps a projection state in step with a ledger: catchUp() applies only the events appended
 * since the last call. rebuild() starts from nothing and must reach the same state.
 */
export class Projector {
  private current: ProjectionState = emptyProjectionState();

  constructor(
    private readonly ledger: Ledger,
    private readonly filter: Pick<ReadQuery, "project"> = {},
  ) {}

  get state(): ProjectionState {
    return this.current;
  }

  /** Applies the events appended since the last call (see `applyRead` for unreadable events). */
  async catchUp(): Promise<ProjectionState> {
    return applyRead(this.ledger, this.current, this.filter);
  }

  async rebuild(): Promise<ProjectionState> {
    this.current = emptyProjectionState();
    return this.catchUp();
  }
}

/**
 * Applies to `state` only the events of `types` appended after `state.seq`: a cheap catch-up for a
 * reader that needs a few fields of the present (watermarks, admin events) on top of older state.
 */
export function catchUpTypes(
  ledger: Ledger,
  state: ProjectionState,
  query: { readonly project?: string | undefined; readonly types: readonly EventType[] },
): Promise<ProjectionState> {
  return applyRead(ledger, state, { ...(query.project === undefined ? {} : { project: query.project }), types: query.types });
}

/**
 * Applies the events the query reads after `state.seq`. An event that cannot be read or applied
 * (its body or type changed by hand) fails with ERR_LEDGER_TAMPERED naming the chain's first
 * break, when the chain is broken; anything else is rethrown.
 */
async function applyRead(ledger: Ledger, state: ProjectionState, query: Pick<ReadQuery, "project" | "types">): Promise<ProjectionState> {
  try {
    for await (const event of ledger.read({ ...query, afterSeq: state.seq })) applyEvent(state, event);
  } catch (error) {
    if (isRunledgerError(error) && error.code !== "ERR_INTERNAL") throw error;
    const report = await ledger.verify();
    if (report.broken) {
      throw new RunledgerError("ERR_LEDGER_TAMPERED", {
        detail: `event ${report.broken.seq} (${report.broken.reason}); the ledger cannot be read past it`,
        context: { seq: report.broken.seq, reason: report.broken.reason },
        cause: error,
      });
    }
    throw error;
  }
  return state;
}
