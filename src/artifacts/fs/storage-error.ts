import { isRunledgerError, RunledgerError } from "../../core/errors.js";

/** The system error code of a failed call (`ENOSPC`, `EACCES`, ...), if it carries one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Wraps a failed filesystem call as ERR_STORAGE, naming the operation and path, with the errno in
 * `context.errno`. A RunledgerError passes through unchanged.
 */
export function storageError(operation: string, path: string, cause: unknown): RunledgerError {
  if (isRunledgerError(cause)) return cause;
  const errno = errnoOf(cause);
  const reason = errno ?? (cause instanceof Error ? cause.message : String(cause));
  return new RunledgerError("ERR_STORAGE", {
    detail: `${operation} ${path}: ${reason}`,
    context: { operation, path, errno: errno ?? null },
    cause,
  });
}

/** Runs one filesystem call, rethrowing its failure as storageError(operation, path, ...). */
export async function withStorageError<T>(operation: string, path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storageError(operation, path, error);
  }
}
