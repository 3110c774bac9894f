import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { Actor } from "../contracts/common.js";
import type { Clock } from "../core/clock.js";
import type { IdSource } from "../core/ids.js";
import type { Ledger } from "../ledger/ledger.js";

/** What the DebugPacket operations read and write, and who acts. */
export interface DebugDeps {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  /** Where attempts work (`.runledger/work`); a failed attempt's directory is kept there. */
  readonly workRoot: string;
  readonly actor: Actor;
  readonly clock?: Clock;
  readonly ids?: IdSource;
}
