import { DOC_FIELDS, ITEM_FIELDS, REF_FIELDS, RUN_FIELDS, type DocSource, type ReadModelWrites } from "./read-model-writes.js";
import type { ReadModelRow } from "./read-model-store.js";

/**
 * Read models held in memory, as a backend stores them: what verify derives afresh from the chain
 * to compare with the stored rows. Rows are keyed and valued as ReadModelStore.rows() yields them.
 */
export class MemoryReadModels {
  readonly tables = { docs: new Map<string, string>(), runs: new Map<string, string>(), items: new Map<string, string>(), refs: new Map<string, string>() };
  private readonly documents = new Map<string, string>();
  readonly source: DocSource = { get: (collection, key) => this.documents.get(`${collection} ${key}`) ?? null };

  apply(writes: ReadModelWrites): void {
    const { docs, runs, items, refs } = writes;
    for (let i = 0; i < docs.length; i += DOC_FIELDS) {
      const id = `${String(docs[i])} ${String(docs[i + 1])}`;
      this.documents.set(id, String(docs[i + 4]));
      this.tables.docs.set(id, `${docs[i + 2] ?? ""} ${String(docs[i + 4])}`);
    }
    for (let i = 0; i < runs.length; i += RUN_FIELDS) {
      const id = String(runs[i]);
      const known = this.tables.runs.get(id);
      const row = known ? (JSON.parse(known) as unknown[]) : runs.slice(i + 1, i + RUN_FIELDS);
      row[3] = runs[i + 4];
      this.tables.runs.set(id, JSON.stringify(row));
    }
    for (let i = 0; i < items.length; i += ITEM_FIELDS) {
      this.tables.items.set(`${String(items[i])} ${String(items[i + 1])} ${String(items[i + 2])}`, JSON.stringify([items[i + 3], items[i + 4], items[i + 5]]));
    }
    for (let i = 0; i < refs.length; i += REF_FIELDS) {
      const id = `${String(refs[i])} ${String(refs[i + 1])} ${String(refs[i + 2])}`;
      if (!this.tables.refs.has(id)) this.tables.refs.set(id, String(refs[i + 3]));
    }
  }

  /** The first row where `stored` differs from these: missing, extra or changed; undefined when they are equal. */
  async firstDifference(stored: AsyncIterable<ReadModelRow>): Promise<ReadModelDifference | undefined> {
    const seen = { docs: new Set<string>(), runs: new Set<string>(), items: new Set<string>(), refs: new Set<string>() };
    for await (const row of stored) {
      const expected = this.tables[row.table].get(row.key);
      seen[row.table].add(row.key);
      if (expected !== row.value) return { table: row.table, key: row.key, expected: expected ?? null, actual: row.value };
    }
    for (const table of ["docs", "runs", "items", "refs"] as const) {
      for (const [key, value] of this.tables[table]) if (!seen[table].has(key)) return { table, key, expected: value, actual: null };
    }
    return undefined;
  }
}

/** A stored row that differs from a fresh derivation: null where a row is missing on that side. */
export interface ReadModelDifference {
  readonly table: ReadModelRow["table"];
  readonly key: string;
  readonly expected: string | null;
  readonly actual: string | null;
}
