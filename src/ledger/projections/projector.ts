import { isRunledgerError, RunledgerError } from "../../core/errors.js";
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

  /**
   * Applies the events appended since the last call. An event that cannot be read or applied (its
   * body or type changed by hand) fails with ERR_LEDGER_TAMPERED naming the chain's first break,
   * when the chain is broken; anything else is rethrown.
   */
  async catchUp(): Promise<ProjectionState> {
    try {
      for await (const event of this.ledger.read({ ...this.filter, afterSeq: this.current.seq })) {
        applyEvent(this.current, event);
      }
    } catch (error) {
      if (isRunledgerError(error) && error.code !== "ERR_INTERNAL") throw error;
      const report = await this.ledger.verify();
      if (report.broken) {
        throw new RunledgerError("ERR_LEDGER_TAMPERED", { detail: `event ${report.broken.seq} (${report.broken.reason}); the ledger cannot be read past it`, context: { seq: report.broken.seq, reason: report.broken.reason }, cause: error });
      }
      throw error;
    }
    return this.current;
  }

  async rebuild(): Promise<ProjectionState> {
    this.current = emptyProjectionState();
    return this.catchUp();
  }
}
