import { expect } from "vitest";
import { ERROR_CANON, RunledgerError, type ErrorCode } from "../../src/core/errors.js";

/** Asserts that `thrown` is a RunledgerError with `code` and the code's stable fragment, and returns it. */
function assertCanon(thrown: unknown, code: ErrorCode): RunledgerError {
  expect(thrown).toBeInstanceOf(RunledgerError);
  const error = thrown as RunledgerError;
  expect(error.code).toBe(code);
  expect(error.message).toContain(ERROR_CANON[code].fragment);
  return error;
}

/** Runs `work`, expects it to throw a RunledgerError with `code` (and its fragment), and returns the error. */
export function expectError(work: () => unknown, code: ErrorCode): RunledgerError {
  try {
    work();
  } catch (error) {
    return assertCanon(error, code);
  }
  return assertCanon(undefined, code);
}

/** As expectError, for work that may be asynchronous. */
export async function expectErrorAsync(work: () => unknown, code: ErrorCode): Promise<RunledgerError> {
  try {
    await work();
  } catch (error) {
    return assertCanon(error, code);
  }
  return assertCanon(undefined, code);
}
