import type { Actor } from "../contracts/common.js";
import type { Ledger } from "../ledger/ledger.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";

/** Who acts, in which project, and where what they do is recorded: all a use case that appends needs. */
export interface RecordDeps {
  readonly ledger: Pick<Ledger, "append">;
  readonly actor: Actor;
  /** The workspace's project: admin events about the workspace are recorded under it. */
  readonly project: string;
}

/**
 * The present state, read fresh. A use case reads through this rather than replaying the ledger
 * itself, so a stored read model can stand in for the replay without changing the use case.
 */
export interface ReadDeps {
  readState(): Promise<ProjectionState>;
}
