import { ROLE_NAMES, type RoleName } from "../contracts/access-grant.js";

/** Access roles (seed 004 §6): viewer reads; operator runs; approver approves gates; admin does everything else. The list is the published contract's. */
export const ROLES = ROLE_NAMES;
export type Role = RoleName;

/** Whether roles held allow what `needed` asks: admin allows all; operator and approver include viewer. */
export function allows(held: readonly Role[], needed: Role): boolean {
  if (held.includes("admin") || held.includes(needed)) return true;
  return needed === "viewer" && held.length > 0;
}
