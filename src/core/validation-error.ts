import { RunledgerError, type ErrorCode, type Issue } from "./errors.js";

/** `1 problem`, `3 problems`. */
export function problemCount(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

/** `1 more problem`, `950 more problems`: what a capped list leaves out. */
export function moreProblems(n: number): string {
  return `${n} more problem${n === 1 ? "" : "s"}`;
}

/** The error that carries every issue found in `where`, with the detail `<n> problem(s) in <where>`. */
export function validationError(issues: readonly Issue[], where: string, code: ErrorCode = "ERR_VALIDATION"): RunledgerError {
  return new RunledgerError(code, { detail: `${problemCount(issues.length)} in ${where}`, issues });
}
