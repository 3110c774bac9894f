import { RunledgerError } from "../core/errors.js";
import { CONTROL_ACTIONS, controlFor, controlsFrom } from "../governance/controls.js";
import { admitOperator, LIFECYCLE_ACTIONS, lifecyclesFrom } from "../governance/operator-lifecycle.js";
import type { AdminEventView, ProjectionState, ViolationView } from "../ledger/projections/projection-state.js";
import type { Ledger } from "../ledger/ledger.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import type { ReadModels } from "../ledger/read-models/read-models.js";

/** What admission weighs: the project's control and lifecycle admin events, every violation, and the seq the events were read up to. */
export interface AdmissionFacts extends Pick<ProjectionState, "adminEvents" | "violations"> {
  /** The last control event read: a PauseWatch looks only after it. */
  readonly seq: number;
}

/** Reads what admission weighs from the read models: two indexed lists, whatever the ledger's length. */
export async function readAdmission(models: ReadModels, project: string): Promise<AdmissionFacts> {
  const adminEvents = (await models.adminEvents({ kinds: [...CONTROL_ACTIONS, ...LIFECYCLE_ACTIONS] })).filter((e) => e.project === project);
  return { adminEvents, violations: await violationsIn(models, project), seq: lastSeq(adminEvents, 0) };
}

/** The violations committed in the project's runs (a ledger may hold several projects; violations are few). */
async function violationsIn(models: ReadModels, project: string): Promise<ViolationView[]> {
  const violations = await models.violations();
  const inProject = new Map<string, boolean>();
  for (const runId of new Set(violations.map((v) => v.run_id))) inProject.set(runId, (await models.run(runId))?.project === project);
  return violations.filter((v) => inProject.get(v.run_id));
}

/**
 * Whether a run may start (or resume): not while its pipeline or project is paused, nor start
 * while draining (a resume may finish under drain); and only with operators that may run
 * (ERR_OPERATOR_INACTIVE). Returns the warnings for deprecated operators.
 */
export function admitRun(facts: AdmissionFacts, project: string, pipeline: string, operatorRefs: readonly string[], phase: "start" | "resume"): string[] {
  const control = controlFor(controlsFrom(facts.adminEvents), project, pipeline);
  if (control && (control.state === "paused" || phase === "start")) {
    throw new RunledgerError("ERR_PAUSED", { detail: `${control.scope} is ${control.state} since ${control.since_utc} by ${control.by}: ${control.reason}` });
  }
  const lifecycles = lifecyclesFrom(facts.adminEvents, facts.violations);
  const warnings: string[] = [];
  for (const ref of new Set(operatorRefs)) {
    const warning = admitOperator(ref, lifecycles);
    if (warning !== undefined) warnings.push(warning);
  }
  return warnings;
}

/**
 * Watches for a pause of the run's pipeline or project while it runs: `paused()` reads only the
 * control events recorded after the last one it saw, at most every `everyMs` (a monotonic clock
 * paces it; no business decision depends on it).
 */
export class PauseWatch {
  readonly #controls: AdminEventView[] = [];
  #seq: number;
  #lastLook = Number.NEGATIVE_INFINITY;
  #pausedBy: string | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly project: string,
    private readonly pipeline: string,
    since: AdmissionFacts,
    private readonly everyMs = 200,
  ) {
    this.#seq = since.seq;
    this.#controls.push(...since.adminEvents);
  }

  /** The pause in force, as a reason, or undefined. Once paused, stays paused for this engine. */
  async paused(): Promise<string | undefined> {
    if (this.#pausedBy !== undefined) return this.#pausedBy;
    const now = performance.now();
    if (now - this.#lastLook < this.everyMs) return undefined;
    this.#lastLook = now;
    // The models as of now: a ledger without stored ones derives what was appended since the last look, so its pauses are seen too.
    const models = await readModelsOf(this.ledger);
    const recorded = (await models.adminEvents({ kinds: CONTROL_ACTIONS, afterSeq: this.#seq })).filter((e) => e.project === this.project);
    this.#controls.push(...recorded);
    this.#seq = lastSeq(recorded, this.#seq);
    const control = controlFor(controlsFrom(this.#controls), this.project, this.pipeline);
    if (control?.state === "paused") this.#pausedBy = `${control.scope} paused by ${control.by}: ${control.reason}`;
    return this.#pausedBy;
  }
}

/** The seq of the last of `events` (read in ledger order), or `since` when there are none. */
function lastSeq(events: readonly AdminEventView[], since: number): number {
  return events.at(-1)?.seq ?? since;
}
