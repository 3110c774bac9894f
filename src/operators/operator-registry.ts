import { RunledgerError } from "../core/errors.js";
import { compareVersions } from "./compare-versions.js";
import type { OperatorDefinition } from "./operator-definition.js";

/**
 * An in-memory registry of operator versions, keyed by `id@version`. It knows nothing of
 * lifecycle (REGISTERED → ACTIVE → …): that state lives in the ledger.
 */
export class OperatorRegistry {
  readonly #byRef = new Map<string, OperatorDefinition>();

  /** Registers an operator version and returns it; a second operator with the same ref throws ERR_SCHEMA. */
  register<P>(op: OperatorDefinition<P>): OperatorDefinition<P> {
    if (this.#byRef.has(op.ref)) {
      throw new RunledgerError("ERR_SCHEMA", { detail: `operator ${op.ref} is already registered; give the new definition a new version` });
    }
    this.#byRef.set(op.ref, op as OperatorDefinition);
    return op;
  }

  /** The operator with exactly this `id@version`, or undefined. */
  get(ref: string): OperatorDefinition | undefined {
    return this.#byRef.get(ref);
  }

  /** `id@version` is an exact lookup; a bare `id` means its highest version (see `compareVersions`). */
  resolve(refOrId: string): OperatorDefinition | undefined {
    if (refOrId.includes("@")) return this.get(refOrId);
    let best: OperatorDefinition | undefined;
    for (const op of this.#byRef.values()) {
      if (op.id === refOrId && (best === undefined || compareVersions(op.version, best.version) > 0)) best = op;
    }
    return best;
  }

  /** Every registered operator, ordered by id, then version ascending. */
  list(): OperatorDefinition[] {
    return [...this.#byRef.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : compareVersions(a.version, b.version)));
  }
}
