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

  async catchUp(): Promise<ProjectionState> {
    for await (const event of this.ledger.read({ ...this.filter, afterSeq: this.current.seq })) {
      applyEvent(this.current, event);
    }
    return this.current;
  }

  async rebuild(): Promise<ProjectionState> {
    this.current = emptyProjectionState();
    return this.catchUp();
  }
}
