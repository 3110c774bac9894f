import { ERROR_CANON, isRunledgerError } from "../../src/core/errors.js";

/**
 * Why `error` is not an acceptable rejection of bad input, or undefined when it is: a
 * RunledgerError with a canonical ERR_* code other than ERR_INTERNAL (a bug), a message, a hint
 * saying what to do, and, for each issue, a code and a message.
 */
export function badRejection(error: unknown): string | undefined {
  if (!isRunledgerError(error)) return `not a RunledgerError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  if (!/^ERR_[A-Z_]+$/.test(error.code) || !Object.hasOwn(ERROR_CANON, error.code)) return `unknown code ${error.code}`;
  if (error.code === "ERR_INTERNAL") return `ERR_INTERNAL: ${error.message}`;
  if (error.message.trim() === "") return `${error.code} without a message`;
  if (error.hint.trim() === "") return `${error.code} without a hint`;
  for (const issue of error.issues) {
    if (!/^ERR_[A-Z_]+$/.test(issue.code) || issue.message.trim() === "") return `${error.code} with a bare issue ${JSON.stringify(issue)}`;
  }
  return undefined;
}

/** A Node stack frame line, as an uncaught error would print it. */
export const STACK_FRAME = /^\s+at .+(\(|\s)\S+:\d+:\d+\)?$/m;
