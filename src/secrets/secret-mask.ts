import { createRedactor, type Redactor } from "./redact.js";

/**
 * The one redactor every text runledger records or prints passes: the ledger applies it to every
 * event's payload before validating and hashing it, receipts are built through it, and the CLI
 * writes through it. It masks every value it has learned (the workspace's stored secrets, read when
 * the workspace opens, and any value an engine reads from another source), their encoded forms,
 * URL passwords and Authorization credentials. Values are only ever added: a rotated or removed
 * secret's old value stays masked for as long as the process runs.
 */
export class SecretMask implements Pick<Redactor, "text" | "value"> {
  readonly #values = new Set<string>();
  #redactor: Redactor = createRedactor([]);

  /** Masks these values from now on. */
  learn(values: Iterable<string>): void {
    const before = this.#values.size;
    for (const value of values) if (value.length > 0) this.#values.add(value);
    if (this.#values.size !== before) this.#redactor = createRedactor([...this.#values]);
  }

  /** How many distinct values it masks. */
  get size(): number {
    return this.#values.size;
  }

  text(input: string): string {
    return this.#redactor.text(input);
  }

  value<T>(input: T): T {
    return this.#redactor.value(input);
  }

  /** A redactor fixed at the values learned so far, for streams and files. */
  snapshot(): Redactor {
    return this.#redactor;
  }
}
