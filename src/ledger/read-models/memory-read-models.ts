import {
  DOC_FIELDS,
  ITEM_FIELDS,
  REF_FIELDS,
  RUN_FIELDS,
  type DocCollection,
  type DocSource,
  type ItemCollection,
  type ReadModelWrites,
} from "./read-model-writes.js";
import type { ArtifactRef, ItemQuery, ReadModelQueries, ReadModelRow, RunListQuery, RunListRow } from "./read-model-store.js";

interface DocRow {
  readonly collection: string;
  readonly key: string;
  readonly runId: string | null;
  readonly seq: number;
  readonly doc: string;
}

interface RunRow {
  readonly runId: string;
  readonly requestSeq: number;
  readonly project: string;
  readonly pipeline: string;
  readonly status: string;
  readonly workMode: string;
  readonly requestedAt: string;
}

interface ItemRow {
  readonly collection: string;
  readonly seq: number;
  readonly position: number;
  readonly runId: string | null;
  readonly kind: string | null;
  readonly doc: string;
}

/**
 * Read models held in memory, with the meaning a backend gives its tables: what verify derives afresh
 * from the chain to compare with the stored rows, and what a ledger without stored models (a bare
 * store) is read through. Queries scan: this is for verification and small ledgers, not for scale.
 */
export class MemoryReadModels implements ReadModelQueries {
  private readonly docRows = new Map<string, DocRow>();
  private readonly runRows = new Map<string, RunRow>();
  private readonly itemRows: ItemRow[] = [];
  private readonly refRows = new Map<string, { digest: string; attempt: string; name: string; size: number; seq: number }>();
  readonly source: DocSource = { get: (collection, key) => this.docRows.get(`${collection} ${key}`)?.doc ?? null };

  apply(writes: ReadModelWrites): void {
    const { docs, runs, items, refs } = writes;
    for (let i = 0; i < docs.length; i += DOC_FIELDS) {
      const collection = docs[i] as string;
      const key = docs[i + 1] as string;
      this.docRows.set(`${collection} ${key}`, {
        collection,
        key,
        runId: docs[i + 2] as string | null,
        seq: docs[i + 3] as number,
        doc: docs[i + 4] as string,
      });
    }
    for (let i = 0; i < runs.length; i += RUN_FIELDS) {
      const runId = runs[i] as string;
      const requestSeq = this.runRows.get(runId)?.requestSeq ?? (runs[i + 1] as number);
      const [project, pipeline, status, workMode, requestedAt] = [runs[i + 2], runs[i + 3], runs[i + 4], runs[i + 5], runs[i + 6]] as string[];
      this.runRows.set(runId, { runId, requestSeq, project, pipeline, status, workMode, requestedAt } as RunRow);
    }
    for (let i = 0; i < items.length; i += ITEM_FIELDS) {
      const [collection, seq, position, runId, kind, doc] = [items[i], items[i + 1], items[i + 2], items[i + 3], items[i + 4], items[i + 5]];
      this.itemRows.push({ collection, seq, position, runId, kind, doc } as ItemRow);
    }
    for (let i = 0; i < refs.length; i += REF_FIELDS) {
      const [digest, attempt, name, size, seq] = [refs[i], refs[i + 1], refs[i + 2], refs[i + 3], refs[i + 4]] as [string, string, string, number, number];
      const id = `${digest} ${attempt} ${name}`;
      if (!this.refRows.has(id)) this.refRows.set(id, { digest, attempt, name, size, seq });
    }
  }

  /**
   * Every row as one group of writes reflecting `seq`, each table's rows in key order: a store
   * filled from empty in key order appends to its B-trees instead of splitting them.
   */
  allWrites(seq: number): ReadModelWrites {
    const writes: ReadModelWrites = { seq, docs: [], runs: [], items: [], refs: [] };
    const docs = [...this.docRows.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [, r] of docs) writes.docs.push(r.collection, r.key, r.runId, r.seq, r.doc);
    for (const r of [...this.runRows.values()].sort((a, b) => (a.runId < b.runId ? -1 : 1))) {
      writes.runs.push(r.runId, r.requestSeq, r.project, r.pipeline, r.status, r.workMode, r.requestedAt);
    }
    for (const r of [...this.itemRows].sort((a, b) => (a.collection < b.collection ? -1 : a.collection > b.collection ? 1 : 0))) {
      writes.items.push(r.collection, r.seq, r.position, r.runId, r.kind, r.doc);
    }
    for (const [, r] of [...this.refRows.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) writes.refs.push(r.digest, r.attempt, r.name, r.size, r.seq);
    return writes;
  }

  /** Every row, keyed and valued as ReadModelStore.rows() yields them. */
  tables(): Record<ReadModelRow["table"], Map<string, string>> {
    return {
      docs: new Map([...this.docRows.values()].map((r) => [`${r.collection} ${r.key}`, `${r.runId ?? ""} ${r.doc}`])),
      runs: new Map(
        [...this.runRows.values()].map((r) => [r.runId, JSON.stringify([r.requestSeq, r.project, r.pipeline, r.status, r.workMode, r.requestedAt])]),
      ),
      items: new Map(this.itemRows.map((r) => [`${r.collection} ${r.seq} ${r.position}`, JSON.stringify([r.runId, r.kind, r.doc])])),
      refs: new Map([...this.refRows.entries()].map(([id, r]) => [id, `${r.size} ${r.seq}`])),
    };
  }

  /** The first row where `stored` differs from these: missing, extra or changed; undefined when they are equal. */
  async firstDifference(stored: AsyncIterable<ReadModelRow>): Promise<ReadModelDifference | undefined> {
    const tables = this.tables();
    const seen = { docs: new Set<string>(), runs: new Set<string>(), items: new Set<string>(), refs: new Set<string>() };
    for await (const row of stored) {
      const expected = tables[row.table].get(row.key);
      seen[row.table].add(row.key);
      if (expected !== row.value) return { table: row.table, key: row.key, expected: expected ?? null, actual: row.value };
    }
    for (const table of ["docs", "runs", "items", "refs"] as const) {
      for (const [key, value] of tables[table]) if (!seen[table].has(key)) return { table, key, expected: value, actual: null };
    }
    return undefined;
  }

  async docs(collection: DocCollection, keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const row = this.docRows.get(`${collection} ${key}`);
      if (row) found.set(key, row.doc);
    }
    return found;
  }

  async docsOfRun(collection: DocCollection, runId: string): Promise<string[]> {
    return this.sortedDocs((r) => r.collection === collection && r.runId === runId);
  }

  async recentGates(limit: number): Promise<string[]> {
    return [...this.docRows.values()]
      .filter((r) => r.collection === "gates")
      .sort((a, b) => b.seq - a.seq)
      .slice(0, limit)
      .map((r) => r.doc);
  }

  async allDocs(collection: DocCollection): Promise<string[]> {
    return this.sortedDocs((r) => r.collection === collection);
  }

  async runs(query: RunListQuery): Promise<RunListRow[]> {
    const match = (r: RunRow) =>
      (query.project === undefined || r.project === query.project) &&
      (query.pipeline === undefined || r.pipeline === query.pipeline) &&
      (query.statuses === undefined || query.statuses.length === 0 || query.statuses.includes(r.status)) &&
      (query.workMode === undefined || r.workMode === query.workMode) &&
      (query.since === undefined || r.requestedAt >= query.since) &&
      (query.until === undefined || r.requestedAt < query.until) &&
      (query.beforeSeq === undefined || r.requestSeq < query.beforeSeq);
    return [...this.runRows.values()]
      .filter(match)
      .sort((a, b) => b.requestSeq - a.requestSeq)
      .slice(0, query.limit)
      .map((r) => ({ run_id: r.runId, request_seq: r.requestSeq }));
  }

  async runIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    return [...this.runRows.keys()]
      .filter((id) => id.startsWith(prefix))
      .sort(byCodePoint)
      .slice(0, limit);
  }

  async requestSeq(runId: string): Promise<number | undefined> {
    return this.runRows.get(runId)?.requestSeq;
  }

  async items(collection: ItemCollection, query: ItemQuery = {}): Promise<string[]> {
    return this.itemRows
      .filter(
        (r) =>
          r.collection === collection &&
          (query.runId === undefined || r.runId === query.runId) &&
          (query.afterSeq === undefined || r.seq > query.afterSeq) &&
          (query.kinds === undefined || (r.kind !== null && query.kinds.includes(r.kind))),
      )
      .map((r) => r.doc);
  }

  async artifactRefs(digest: string): Promise<ArtifactRef[]> {
    return [...this.refRows.values()]
      .filter((r) => r.digest === digest)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => ({ attempt_id: r.attempt, name: r.name, size_bytes: r.size, seq: r.seq }));
  }

  async artifactsOf(attempt: string, name: string): Promise<string[]> {
    return [...this.refRows.values()]
      .filter((r) => r.attempt === attempt && r.name === name)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => r.digest);
  }

  private sortedDocs(match: (row: DocRow) => boolean): string[] {
    return [...this.docRows.values()]
      .filter(match)
      .sort((a, b) => byCodePoint(a.key, b.key))
      .map((r) => r.doc);
  }
}

/** Orders strings as SQLite's BINARY collation does UTF-8 bytes: by code point. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A stored row that differs from a fresh derivation: null where a row is missing on that side. */
export interface ReadModelDifference {
  readonly table: ReadModelRow["table"];
  readonly key: string;
  readonly expected: string | null;
  readonly actual: string | null;
}
