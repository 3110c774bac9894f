/** The only source of time in runledger; business logic never reads the wall clock directly. */
export interface Clock {
  now(): Date;
}

/** The machine's clock, for observation timestamps of the ledger. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always reads the same instant: a run's `as_of`. */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new TypeError(`invalid instant: ${String(at)}`);
  return { now: () => new Date(instant) };
}

/** ISO-8601 UTC with milliseconds, the one timestamp format runledger writes. */
export function isoUtc(date: Date): string {
  return date.toISOString();
}
