import type { Verdict } from "../contracts/verdict.js";
import type { CheckKind } from "./check-spec.js";

/** A check's verdict; FAIL is worse than WARN, WARN worse than PASS. */
export type CheckVerdict = Verdict;

/** A verdict with the evidence behind it. Evidence is JSON-safe (no NaN, Infinity, undefined, functions). */
export interface CheckFinding {
  readonly result: CheckVerdict;
  readonly evidence: Record<string, unknown>;
}

/**
 * The outcome of one check on one attempt's outputs. `name` identifies the check within an operator:
 * `<kind>:<path>` for file checks (e.g. `rows:outputs/bars.csv`), `command:<first line of the command,
 * at most 80 characters>` for command checks, and the given name for custom checks.
 */
export interface CheckResult extends CheckFinding {
  readonly name: string;
  readonly kind: CheckKind;
}
