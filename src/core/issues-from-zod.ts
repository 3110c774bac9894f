import type { z } from "zod";
import type { ErrorCode, Issue } from "./errors.js";
import { closestName } from "./closest-name.js";

type Path = readonly (string | number)[];

/**
 * Turns a zod error into runledger issues with `code`, each path prefixed by `base`. An unknown key
 * becomes one issue per key, whose path ends at that key and whose message suggests the closest
 * known key from `knownKeys` when one is near.
 */
export function issuesFromZod(error: z.ZodError, code: ErrorCode, base: Path, knownKeys: readonly string[] = []): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    const path = [...base, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ code, path: [...path, key], message: unknownKeyMessage(key, knownKeys) }));
    }
    return [{ code, path, message: issue.message }];
  });
}

/** `unknown key "retires"; did you mean "retries"?` or the list of known keys. */
export function unknownKeyMessage(key: string, knownKeys: readonly string[]): string {
  const near = closestName(key, knownKeys);
  if (near !== undefined) return `unknown key "${key}"; did you mean "${near}"?`;
  return knownKeys.length > 0 ? `unknown key "${key}"; expected one of ${knownKeys.join(", ")}` : `unknown key "${key}"`;
}
