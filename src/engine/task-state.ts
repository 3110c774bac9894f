import type { Verdict } from "../contracts/verdict.js";
/** An output a passed attempt stored: its path under the attempt, digest and size. */
export type StoredOutput = { readonly path: string; readonly digest: string; readonly size_bytes: number };

/** A settled task: passed with its outputs and the `as_of` of the run that made them, or not passed. */
export type TaskState =
  | { readonly passed: true; readonly result: Exclude<Verdict, "FAIL">; readonly outputs: readonly StoredOutput[]; readonly asOf: number }
  | { readonly passed: false };

/** Attempts a task already made in this run: how many were numbered, and how many failed (the retry budget). */
export interface PriorAttempts {
  readonly numbered: number;
  readonly failed: number;
}

/** A task that made no attempt in this run yet. */
export const NO_PRIOR_ATTEMPTS: PriorAttempts = Object.freeze({ numbered: 0, failed: 0 });
