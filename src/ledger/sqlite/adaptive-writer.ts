import type { PendingRow } from "../hash-chain.js";
import type { LedgerWriter, SealedGroup } from "../ledger-store.js";
import type { GroupDeriver } from "../read-models/read-model-store.js";
import { sqliteError } from "./writer-thread.js";

/**
 * The SQLite store's default writer. A group of small calls commits on this thread in one go, which
 * costs less than a hop to another thread and back (~0.3 against ~0.8 ms a commit). A call larger
 * than one chunk goes to the writer thread as it comes, and the group with it: the thread seals and
 * inserts while the Ledger validates the next chunk. A group that finds the write lock taken (by
 * another process) goes to the thread too, which waits for it off the event loop: this thread never waits.
 *
 * Calls held here are always whole (a call sent in one piece), so drop() only ever concerns the thread's.
 */
export class AdaptiveWriter implements LedgerWriter {
  private rows: PendingRow[] = [];
  private threaded = false;

  /** `commitNow` commits the rows on this thread or throws at once, SQLITE_BUSY if the lock is taken. */
  constructor(
    private readonly thread: LedgerWriter,
    private readonly commitNow: (rows: readonly PendingRow[], derive: GroupDeriver | undefined) => SealedGroup,
  ) {}

  send(rows: readonly PendingRow[], first: boolean, last: boolean): void {
    if (!this.threaded && first && !last) {
      this.threaded = true;
      if (this.rows.length > 0) this.thread.send(this.rows, true, true);
      this.rows = [];
    }
    if (this.threaded) this.thread.send(rows, first, last);
    else for (const row of rows) this.rows.push(row);
  }

  drop(): void {
    if (this.threaded) this.thread.drop();
  }

  commit(derive?: GroupDeriver): Promise<SealedGroup> {
    if (this.threaded) {
      this.threaded = false;
      return this.thread.commit(derive);
    }
    const rows = this.rows;
    this.rows = [];
    try {
      return Promise.resolve(this.commitNow(rows, derive));
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY") return Promise.reject(sqliteError(error));
      this.thread.send(rows, true, true);
      return this.thread.commit(derive);
    }
  }
}
