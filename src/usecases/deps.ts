import type { Actor } from "../contracts/common.js";
import type { Ledger } from "../ledger/ledger.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";

/** Who acts, in which project, and where what they do is recorded: all a use case that appends needs. */
export interface RecordDeps {
  readonly ledger: Pick<Ledger, "append">;
  readonly actor: Actor;
  /** The workspace's project: admin events about the workspace are recorded under it. */
  readonly project: string;
}

/**
 * The present state's read models, read fresh (readModelsOf): a use case reads only what it needs
 * through their indexed queries (a run, the admin events of some kinds, a watermark), never the
 * whole ledger.
 */
export interface ReadDeps {
  readModels(): Promise<ReadModels>;
}
