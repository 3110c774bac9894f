import { expect } from "vitest";
import { ERROR_CANON, RunledgerError, type ErrorCode } from "../../core/errors.js";

/**
 * Asserts that `action` rejects (or throws) a RunledgerError with `code` whose message carries the
 * code's canonical fragment, and returns the error for further assertions.
 */
export async function expectRunledgerError(action: () => Promise<unknown>, code: ErrorCode): Promise<RunledgerError> {
  let thrown: unknown;
  try {
    await action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected a RunledgerError ${code}`).toBeInstanceOf(RunledgerError);
  const error = thrown as RunledgerError;
  expect(error.code).toBe(code);
  expect(error.message).toContain(ERROR_CANON[code].fragment);
  return error;
}
