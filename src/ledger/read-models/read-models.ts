import type {
  AdminEventView,
  ArtifactView,
  AttemptView,
  DebugPacketView,
  GateView,
  ProjectionState,
  RunView,
  StopRuleView,
  SuggestionView,
  TaskView,
  ViolationView,
} from "../projections/projection-state.js";
import { emptyProjectionState } from "../projections/projection-state.js";
import type { WatermarkView } from "../projections/watermark-state.js";
import type { ItemQuery, ReadModelQueries, RunListQuery } from "./read-model-store.js";
import { runScopedKey } from "./read-model-writes.js";

/** What a reader needs of the state; stateFor() loads just that. */
export interface StateScope {
  /** Runs by id, each with its tasks, attempts, gates and debug packets. */
  readonly runs?: readonly string[];
  /** Attempts by id (and the attempts they reused). */
  readonly attempts?: readonly string[];
  /** The `outputs.json` artifact of each attempt loaded (what an attempt's envelope names as its index). */
  readonly outputIndexes?: boolean;
  readonly adminEvents?: boolean;
  readonly watermarks?: boolean;
  readonly gates?: boolean;
  readonly debugPackets?: boolean;
  readonly suggestions?: boolean;
  readonly stopRules?: boolean;
  readonly violations?: boolean;
}

/**
 * The views of the read models, as the projection shapes them: every method is one or a few indexed
 * queries, costing what it returns. stateFor() assembles a ProjectionState holding only a scope,
 * for views written against the whole state.
 */
export class ReadModels {
  constructor(private readonly query: ReadModelQueries) {}

  async run(id: string): Promise<RunView | undefined> {
    const [doc] = (await this.query.docs("runs", [id])).values();
    if (doc === undefined) return undefined;
    const { names, run } = parseRunDoc(doc);
    const stored = new Map((await this.query.docsOfRun("tasks", id)).map((json) => parse<TaskView>(json)).map((task) => [task.name, task]));
    const tasks: Record<string, TaskView> = {};
    for (const name of names) {
      const task = stored.get(name);
      if (task) tasks[name] = task;
    }
    for (const [name, task] of stored) tasks[name] ??= task;
    return { ...run, tasks };
  }

  /** The page of runs a listing shows, newest first, each with its tasks. */
  async runs(query: RunListQuery): Promise<RunView[]> {
    const rows = await this.query.runs(query);
    const runs = await Promise.all(rows.map((row) => this.run(row.run_id)));
    return runs.filter((run): run is RunView => run !== undefined);
  }

  /** A page of the listing, newest first: each run without its tasks, with the seq of its request. */
  async listedRuns(query: RunListQuery): Promise<ListedRun[]> {
    const rows = await this.query.runs(query);
    const docs = await this.query.docs(
      "runs",
      rows.map((row) => row.run_id),
    );
    return rows.flatMap((row) => {
      const doc = docs.get(row.run_id);
      if (doc === undefined) return [];
      return [{ run: parseRunDoc(doc).run, request_seq: row.request_seq }];
    });
  }

  /** Run ids starting with `prefix`, in id order (so an exact id comes first), at most `limit`. */
  runIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    return this.query.runIdsByPrefix(prefix, limit);
  }

  /** The seq of a run's request: a listing of the runs before it starts there. */
  requestSeq(runId: string): Promise<number | undefined> {
    return this.query.requestSeq(runId);
  }

  /** The id of the run `ref` names: the id itself or a unique prefix; undefined when none or several match. */
  async resolveRunId(ref: string): Promise<string | undefined> {
    const ids = await this.query.runIdsByPrefix(ref, 2);
    return ids.includes(ref) ? ref : ids.length === 1 ? ids[0] : undefined;
  }

  async attemptsOfRun(runId: string): Promise<AttemptView[]> {
    return (await this.query.docsOfRun("attempts", runId)).map((json) => parse<AttemptView>(json));
  }

  async attempts(ids: readonly string[]): Promise<AttemptView[]> {
    return [...(await this.query.docs("attempts", ids)).values()].map((json) => parse<AttemptView>(json));
  }

  /** The attempt that first passed with a cache key: what an idempotent re-run reuses. */
  async cached(keys: readonly string[]): Promise<Map<string, string>> {
    const found = await this.query.docs("cache", keys);
    return new Map([...found].map(([key, json]) => [key, parse<string>(json)]));
  }

  /**
   * The attempts of `task` in every run of `pipeline`, in the order they were made (by creation time,
   * then request, then attempt number): what explain compares an attempt with.
   */
  async attemptsOfPipelineTask(pipeline: string, task: string): Promise<AttemptView[]> {
    const rows = await this.query.runs({ pipeline, limit: Number.MAX_SAFE_INTEGER });
    const requestSeq = new Map(rows.map((row) => [row.run_id, row.request_seq]));
    const tasks = await this.query.docs(
      "tasks",
      rows.map((row) => runScopedKey(row.run_id, task)),
    );
    const attempts = await this.attempts([...tasks.values()].flatMap((json) => parse<TaskView>(json).attempts));
    const seqOf = (a: AttemptView) => requestSeq.get(a.correlation_ids.run_id) ?? 0;
    return attempts.sort((a, b) => a.created_at_utc.localeCompare(b.created_at_utc) || seqOf(a) - seqOf(b) || a.attempt_number - b.attempt_number);
  }

  /** Every attempt: for a view that counts over all of them (how often each operator ran). */
  async allAttempts(): Promise<AttemptView[]> {
    return (await this.query.allDocs("attempts")).map((json) => parse<AttemptView>(json));
  }

  async gatesOfRun(runId: string): Promise<GateView[]> {
    return (await this.query.docsOfRun("gates", runId)).map((json) => parse<GateView>(json));
  }

  /** The `limit` gates last evaluated or decided. */
  async recentGates(limit: number): Promise<GateView[]> {
    return (await this.query.recentGates(limit)).map((json) => parse<GateView>(json));
  }

  async gates(): Promise<GateView[]> {
    return (await this.query.allDocs("gates")).map((json) => parse<GateView>(json));
  }

  async watermarks(): Promise<WatermarkView[]> {
    return (await this.query.allDocs("watermarks")).map((json) => parse<WatermarkView>(json));
  }

  async debugPackets(runId?: string): Promise<DebugPacketView[]> {
    const docs = runId === undefined ? await this.query.allDocs("debug") : await this.query.docsOfRun("debug", runId);
    return docs.map((json) => parse<DebugPacketView>(json)).sort((a, b) => a.opened_at_utc.localeCompare(b.opened_at_utc));
  }

  async suggestions(): Promise<SuggestionView[]> {
    return (await this.query.allDocs("suggestions")).map((json) => parse<SuggestionView>(json)).sort((a, b) => a.at_utc.localeCompare(b.at_utc));
  }

  async adminEvents(query?: ItemQuery): Promise<AdminEventView[]> {
    return (await this.query.items("admin", query)).map((json) => parse<AdminEventView>(json));
  }

  async stopRules(query?: ItemQuery): Promise<StopRuleView[]> {
    return (await this.query.items("stop_rules", query)).map((json) => parse<StopRuleView>(json));
  }

  async violations(query?: ItemQuery): Promise<ViolationView[]> {
    return (await this.query.items("violations", query)).map((json) => parse<ViolationView>(json));
  }

  /** An artifact as the projection shows it: size and seq of its first sighting, its names and attempts in order of first sighting. */
  async artifact(digest: string): Promise<ArtifactView | undefined> {
    const refs = await this.query.artifactRefs(digest);
    const first = refs[0];
    if (!first) return undefined;
    const distinct = (values: string[]) => [...new Set(values.filter((v) => v !== ""))];
    return {
      digest,
      size_bytes: first.size_bytes,
      first_seq: first.seq,
      names: distinct(refs.map((r) => r.name)),
      attempts: distinct(refs.map((r) => r.attempt_id)),
    };
  }

  /** A ProjectionState holding only `scope`: what a view written against the whole state reads. */
  async stateFor(scope: StateScope): Promise<ProjectionState> {
    const state = emptyProjectionState();
    for (const id of scope.runs ?? []) await this.addRun(state, id);
    await this.addAttempts(state, await this.attempts(scope.attempts ?? []));
    if (scope.outputIndexes) await this.addOutputIndexes(state);
    if (scope.adminEvents) state.adminEvents.push(...(await this.adminEvents()));
    if (scope.watermarks) for (const mark of await this.watermarks()) state.watermarks[mark.name] = mark;
    if (scope.gates) for (const gate of await this.gates()) state.gates[`${gate.run_id}/${gate.gate}`] = gate;
    if (scope.debugPackets) for (const packet of await this.debugPackets()) state.debugPackets[packet.id] = packet;
    if (scope.suggestions) for (const s of await this.suggestions()) state.suggestions[s.key] = s;
    if (scope.stopRules) state.stopRules.push(...(await this.stopRules()));
    if (scope.violations) state.violations.push(...(await this.violations()));
    return state;
  }

  private async addRun(state: ProjectionState, id: string): Promise<void> {
    const run = await this.run(id);
    if (!run || state.runs[id]) return;
    state.runs[id] = run;
    await this.addAttempts(state, await this.attemptsOfRun(id));
    // In the order they were evaluated, as the projection inserts them (the documents come in key order).
    const gates = (await this.gatesOfRun(id)).sort((a, b) => a.evaluated_at_utc.localeCompare(b.evaluated_at_utc));
    for (const gate of gates) state.gates[`${gate.run_id}/${gate.gate}`] = gate;
    for (const packet of await this.debugPackets(id)) state.debugPackets[packet.id] = packet;
  }

  /** Attempts and, in one read, the attempts they reused that the state lacks. */
  private async addAttempts(state: ProjectionState, attempts: readonly AttemptView[]): Promise<void> {
    for (const attempt of attempts) state.attempts[attempt.attempt_id] ??= attempt;
    const sources = [...new Set(attempts.map((a) => a.source_attempt_id).filter((id): id is string => id !== null && state.attempts[id] === undefined))];
    if (sources.length > 0) await this.addAttempts(state, await this.attempts(sources));
  }

  private async addOutputIndexes(state: ProjectionState): Promise<void> {
    for (const attempt of Object.keys(state.attempts)) {
      for (const digest of await this.query.artifactsOf(attempt, "outputs.json")) {
        const artifact = await this.artifact(digest);
        if (artifact) state.artifacts[digest] = artifact;
      }
    }
  }
}

/** A run as a listing shows it: without its tasks, with the seq of its request to page on. */
export interface ListedRun {
  readonly run: Omit<RunView, "tasks">;
  readonly request_seq: number;
}

/** A stored run document: the run without its tasks, and the names of its tasks in the projection's order. */
function parseRunDoc(doc: string): { run: Omit<RunView, "tasks">; names: string[] } {
  const { task_names: names, ...run } = parse<Omit<RunView, "tasks"> & { task_names: string[] }>(doc);
  return { run, names };
}

function parse<T>(json: string): T {
  return JSON.parse(json) as T;
}
