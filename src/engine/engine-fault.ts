import { toRunledgerError, type RunledgerError } from "../core/errors.js";

/** The engine error each run (by its `halting` controller) was halted for. */
const faults = new WeakMap<AbortController, RunledgerError>();

/**
 * Halts the run for an engine error raised where no caller awaits it (a socket's callback, an
 * effect's bookkeeping): the attempts in flight are stopped, no further task starts, and the run
 * closes halted with this error (ERR_INTERNAL unless it already has a code). The first one is kept,
 * even when a violation halted the run before it.
 */
export function haltForEngineError(halting: AbortController, error: unknown): void {
  if (!faults.has(halting)) faults.set(halting, toRunledgerError(error, "ERR_INTERNAL"));
  halting.abort();
}

/** The engine error the run was halted for, if it was. */
export function engineFault(halting: AbortController): RunledgerError | undefined {
  return faults.get(halting);
}
