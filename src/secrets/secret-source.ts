/**
 * Where the engine reads secret values, at execution only: a workspace's secret store, or any
 * source an embedding program supplies. Values never reach the ledger.
 */
export interface SecretSource {
  /** Whether a value is set, without reading it (the pre-run check). */
  has(name: string): Promise<boolean>;
  /** The current value, or undefined when none is set. */
  get(name: string): Promise<string | undefined>;
  /** The current value with its version, read at once so the two agree; a source without versions leaves it out. */
  read?(name: string): Promise<{ readonly value: string; readonly version: number } | undefined>;
}

/** A secret source over fixed values, e.g. for tests or a program that holds its own secrets. */
export function secretsFromRecord(values: Readonly<Record<string, string>>): SecretSource {
  const copy = new Map(Object.entries(values));
  return {
    has: (name) => Promise.resolve(copy.has(name)),
    get: (name) => Promise.resolve(copy.get(name)),
  };
}
