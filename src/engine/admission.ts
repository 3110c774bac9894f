import { RunledgerError } from "../core/errors.js";
import { controlFor, controlsFrom } from "../governance/controls.js";
import { admitOperator, lifecyclesFrom } from "../governance/operator-lifecycle.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import type { Ledger } from "../ledger/ledger.js";
import { catchUpTypes } from "../ledger/projections/projector.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";

/**
 * Whether a run may start (or resume): not while its pipeline or project is paused, nor start
 * while draining (a resume may finish under drain); and only with operators that may run
 * (ERR_OPERATOR_INACTIVE). Returns the warnings for deprecated operators.
 */
export function admitRun(state: ProjectionState, project: string, pipeline: string, operatorRefs: readonly string[], phase: "start" | "resume"): string[] {
  const control = controlFor(controlsFrom(state.adminEvents), project, pipeline);
  if (control && (control.state === "paused" || phase === "start")) {
    throw new RunledgerError("ERR_PAUSED", { detail: `${control.scope} is ${control.state} since ${control.since_utc} by ${control.by}: ${control.reason}` });
  }
  const lifecycles = lifecyclesFrom(state.adminEvents, state.violations);
  const warnings: string[] = [];
  for (const ref of new Set(operatorRefs)) {
    const warning = admitOperator(ref, lifecycles);
    if (warning !== undefined) warnings.push(warning);
  }
  return warnings;
}

/**
 * Watches for a pause of the run's pipeline or project while it runs: `paused()` reads only the
 * admin events appended since it last looked, at most every `everyMs` (a monotonic clock paces it;
 * no business decision depends on it).
 */
export class PauseWatch {
  readonly #state = emptyProjectionState();
  #lastLook = Number.NEGATIVE_INFINITY;
  #pausedBy: string | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly project: string,
    private readonly pipeline: string,
    since: Pick<ProjectionState, "seq" | "adminEvents">,
    private readonly everyMs = 200,
  ) {
    this.#state.seq = since.seq;
    this.#state.adminEvents.push(...since.adminEvents);
  }

  /** The pause in force, as a reason, or undefined. Once paused, stays paused for this engine. */
  async paused(): Promise<string | undefined> {
    if (this.#pausedBy !== undefined) return this.#pausedBy;
    const now = performance.now();
    if (now - this.#lastLook < this.everyMs) return undefined;
    this.#lastLook = now;
    // Everything up to the head read first is looked at below, so the next look starts there.
    const head = await this.ledger.head();
    await catchUpTypes(this.ledger, this.#state, { project: this.project, types: ["admin.recorded"] });
    this.#state.seq = Math.max(this.#state.seq, head.seq);
    const control = controlFor(controlsFrom(this.#state.adminEvents), this.project, this.pipeline);
    if (control?.state === "paused") this.#pausedBy = `${control.scope} paused by ${control.by}: ${control.reason}`;
    return this.#pausedBy;
  }
}
