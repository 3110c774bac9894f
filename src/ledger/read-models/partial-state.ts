import type { ProjectionState, RunView, TaskView } from "../projections/projection-state.js";
import { MISSING, runScopedKey, type DocCollection, type DocSource, type ReadModelWrites } from "./read-model-writes.js";

interface Tracked {
  readonly collection: DocCollection;
  readonly key: string;
  /** The stored JSON when loaded; null when absent; undefined when set without being read. */
  readonly before: string | null | undefined;
  value: unknown;
  /** The seq of the event that created a run here: its place in the run listing. */
  requestSeq: number;
  /** The seq of the last event that read or set it: stored with it, what "most recently active" orders by. */
  touched: number;
}

/**
 * A ProjectionState that holds only the documents a group of events touches: each record loads a
 * document from the source the first time a reducer reads it and remembers every document read or
 * set, so that collect() writes the ones that changed. The reducers run on it unchanged; a record
 * cannot be enumerated (no reducer does, and a derivation that did would not cost what it touches).
 */
export class PartialState {
  readonly state: ProjectionState;
  /** Documents the source had not fetched (MISSING): the derivation must run again with them. */
  readonly missing: { collection: DocCollection; key: string }[] = [];
  private readonly tracked = new Map<string, Tracked>();
  /** Each run's task names in the order the projection holds them (stored as the run's `task_names`). */
  private readonly taskNames = new WeakMap<object, string[]>();

  constructor(
    private readonly source: DocSource,
    seq: number,
  ) {
    this.state = {
      seq,
      runs: this.record<RunView>("runs", (key) => key),
      attempts: this.record("attempts", (key) => key),
      artifacts: unreadable("artifacts"),
      adminEvents: [],
      stopRules: [],
      debugPackets: this.record("debug", (key) => key),
      cache: this.record("cache", (key) => key),
      gates: this.record("gates", (key) => key),
      watermarks: this.record("watermarks", (key) => key),
      violations: [],
      suggestions: this.record("suggestions", (key) => key),
    };
  }

  /** Every document read or set whose JSON changed, as `docs` and `runs` of the writes. */
  collect(writes: ReadModelWrites): void {
    for (const entry of this.tracked.values()) {
      if (entry.value === undefined) continue;
      const json = this.stringify(entry.collection, entry.value);
      if (json === entry.before) continue;
      writes.docs.push(entry.collection, entry.key, runIdOf(entry), entry.touched, json);
      if (entry.collection === "runs") {
        const run = entry.value as RunView;
        writes.runs.push(run.id, entry.requestSeq, run.project, run.pipeline, run.status, run.work_mode, run.requested_at_utc);
      }
    }
  }

  /** A document's JSON: a run without its tasks (stored apart) but with their names in order. */
  private stringify(collection: DocCollection, value: unknown): string {
    if (collection === "runs") {
      const { tasks: _tasks, ...run } = value as RunView;
      return JSON.stringify({ ...run, task_names: this.taskNames.get(value as object) ?? [] });
    }
    return JSON.stringify(value);
  }

  private record<T>(collection: DocCollection, keyOf: (name: string) => string, onNew?: (name: string) => void): Record<string, T> {
    const load = (name: string): T | undefined => this.load(collection, keyOf(name)) as T | undefined;
    return new Proxy({} as Record<string, T>, {
      get: (_, name) => (typeof name === "string" ? load(name) : undefined),
      has: (_, name) => typeof name === "string" && load(name) !== undefined,
      set: (_, name, value: unknown) => {
        if (typeof name !== "string") return false;
        if (onNew && load(name) === undefined) onNew(name);
        this.put(collection, keyOf(name), value);
        return true;
      },
      getOwnPropertyDescriptor: (_, name) => {
        const value = typeof name === "string" ? load(name) : undefined;
        return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
      },
      ownKeys: () => {
        throw new Error(`read models: the ${collection} of a derivation cannot be enumerated`);
      },
      deleteProperty: () => {
        throw new Error(`read models: a derivation never deletes from ${collection}`);
      },
    });
  }

  private load(collection: DocCollection, key: string): unknown {
    const id = `${collection}\u0001${key}`;
    const known = this.tracked.get(id);
    if (known) {
      known.touched = this.state.seq;
      return known.value;
    }
    const stored = this.source.get(collection, key);
    if (stored === MISSING) {
      this.missing.push({ collection, key });
      this.tracked.set(id, { collection, key, before: null, value: undefined, requestSeq: 0, touched: this.state.seq });
      return undefined;
    }
    const value = stored === null ? undefined : this.hydrate(collection, key, JSON.parse(stored) as unknown);
    this.tracked.set(id, { collection, key, before: stored, value, requestSeq: 0, touched: this.state.seq });
    return value;
  }

  private put(collection: DocCollection, key: string, value: unknown): void {
    const id = `${collection}\u0001${key}`;
    const known = this.tracked.get(id);
    const hydrated = this.hydrate(collection, key, value, true);
    if (known) {
      known.value = hydrated;
      known.touched = this.state.seq;
    } else this.tracked.set(id, { collection, key, before: undefined, value: hydrated, requestSeq: 0, touched: this.state.seq });
    // A run's place in the listing is its first request's, as the run table keeps it (a re-requested id keeps its row).
    const entry = this.tracked.get(id) as Tracked;
    if (collection === "runs" && (entry.before ?? null) === null && entry.requestSeq === 0) entry.requestSeq = this.state.seq;
  }

  /** A run's tasks are documents of their own, loaded one by one: a run may have thousands. */
  private hydrate(collection: DocCollection, key: string, value: unknown, created = false): unknown {
    if (collection !== "runs" || typeof value !== "object" || value === null) return value;
    const run = value as { tasks?: Record<string, TaskView>; task_names?: string[] };
    const names = created ? Object.keys(run.tasks ?? {}) : (run.task_names ?? []);
    delete run.task_names;
    this.taskNames.set(run, names);
    const tasks = this.record<TaskView>(
      "tasks",
      (name) => runScopedKey(key, name),
      (name) => names.push(name),
    );
    if (created && run.tasks) for (const [name, task] of Object.entries(run.tasks)) this.put("tasks", runScopedKey(key, name), task);
    run.tasks = tasks;
    return run;
  }
}

/** A part of the state no reducer reads during a derivation (artifacts are derived as references, derive-group.ts). */
function unreadable<T>(name: string): Record<string, T> {
  return new Proxy({} as Record<string, T>, {
    get: () => {
      throw new Error(`read models: a derivation does not read the state's ${name}`);
    },
  });
}

/** The run a document belongs to, where it belongs to one: what lists a run's tasks, attempts, gates and packets. */
function runIdOf(entry: Tracked): string | null {
  const value = entry.value as { correlation_ids?: { run_id?: string }; run_id?: string };
  switch (entry.collection) {
    case "runs":
      return entry.key;
    case "tasks":
      return (JSON.parse(entry.key) as [string, string])[0];
    case "attempts":
      return value.correlation_ids?.run_id ?? null;
    case "gates":
    case "debug":
      return value.run_id ?? null;
    default:
      return null;
  }
}
