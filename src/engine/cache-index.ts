import type { AttemptView, ProjectionState } from "../ledger/projections/projection-state.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";

/**
 * The passed attempts a run may reuse, looked up by cache key in the read models as each task is
 * prepared (its key depends on its upstream outputs): one indexed read per task, whatever the
 * ledger's length.
 */
export class CacheIndex {
  readonly #asOf = new Map<string, Promise<string | undefined>>();
  #projectIndex: Promise<Map<string, AttemptView>> | undefined;

  /** `own` is the run's state as read when this engine took it up: what the run passed before then may be reused. */
  constructor(
    private readonly models: ReadModels,
    private readonly run: { readonly id: string; readonly project: string },
    private readonly own: Pick<ProjectionState, "attempts">,
  ) {}

  /** The attempt that first passed with `key` in the run's project, if any. */
  async attempt(key: string): Promise<AttemptView | undefined> {
    const id = (await this.models.cached([key])).get(key);
    if (id === undefined) return undefined;
    let [attempt] = await this.models.attempts([id]);
    // The index keeps the first attempt of any project; a ledger shared by projects is searched for the run's own.
    if (attempt !== undefined && attempt.correlation_ids.project !== this.run.project) attempt = (await this.projectIndex()).get(key);
    // What this engine passed in the run itself is not reused: the index is the one the run started with.
    if (attempt === undefined || (attempt.correlation_ids.run_id === this.run.id && this.own.attempts[attempt.attempt_id] === undefined)) return undefined;
    return attempt;
  }

  /** The `as_of` of the run whose attempt made these outputs (a reused attempt's data is as old as its source's), or `fallback`. */
  async madeAsOf(attempt: AttemptView, fallback: Date): Promise<number> {
    const [source] = attempt.source_attempt_id === null ? [attempt] : await this.models.attempts([attempt.source_attempt_id]);
    const made = await this.asOfRun((source ?? attempt).correlation_ids.run_id);
    return made === undefined ? fallback.getTime() : Date.parse(made);
  }

  /** The first passed attempt of each cache key among the project's runs, read once and only for a ledger that several projects share. */
  private projectIndex(): Promise<Map<string, AttemptView>> {
    this.#projectIndex ??= (async () => {
      const index = new Map<string, AttemptView>();
      const runs = await this.models.runs({ project: this.run.project, limit: Number.MAX_SAFE_INTEGER });
      for (const run of runs.reverse()) {
        const passed = (await this.models.attemptsOfRun(run.id)).filter((a) => a.status === "succeeded" && a.cache_key !== null);
        for (const attempt of passed.sort((a, b) => a.created_at_utc.localeCompare(b.created_at_utc))) {
          if (!index.has(attempt.cache_key as string)) index.set(attempt.cache_key as string, attempt);
        }
      }
      return index;
    })();
    return this.#projectIndex;
  }

  /** A run's `as_of`, read once per run: a cached re-run reuses many attempts of the same few runs. */
  private asOfRun(runId: string): Promise<string | undefined> {
    let asOf = this.#asOf.get(runId);
    if (asOf === undefined) {
      asOf = this.models.run(runId).then((run) => run?.as_of);
      this.#asOf.set(runId, asOf);
    }
    return asOf;
  }
}
