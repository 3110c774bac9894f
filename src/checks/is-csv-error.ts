/** True for csv-parse's syntax errors (their `code` starts with `CSV_`), which make a check FAIL rather than throw. */
export function isCsvError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("CSV_");
}
