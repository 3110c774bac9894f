import type { CheckKind, CheckSpec } from "../checks/check-spec.js";
import { bodyKeysOf, CHECK_BODIES, checkSpecShape } from "../checks/check-spec-schema.js";
import type { Issue } from "../core/errors.js";
import { issuesFromZod } from "../core/issues-from-zod.js";

/** The kind of a well-formed check spec. */
export function checkKindOf(spec: CheckSpec): CheckKind {
  return Object.keys(spec)[0] as CheckKind;
}

/**
 * Every problem of one check spec as ERR_CHECK_INVALID issues under `base`, by the checks engine's
 * own grammar (checks/check-spec-schema.ts): not an object, not exactly one key, an unknown kind
 * (with the closest kind suggested), or each problem of its body, with its path.
 */
export function checkSpecIssues(value: unknown, base: readonly (string | number)[] = []): Issue[] {
  const shape = checkSpecShape(value);
  if ("problem" in shape) return [{ code: "ERR_CHECK_INVALID", path: shape.atKey === undefined ? [...base] : [...base, shape.atKey], message: shape.problem }];
  const parsed = CHECK_BODIES[shape.kind].safeParse(shape.body);
  return parsed.success ? [] : issuesFromZod(parsed.error, "ERR_CHECK_INVALID", [...base, shape.kind], bodyKeysOf(shape.kind));
}
