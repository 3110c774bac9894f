/** Access roles (seed 004 §6): viewer reads; operator runs; approver approves gates; admin does everything else. */
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whether roles held allow what `needed` asks: admin allows all; operator and approver include viewer. */
export function allows(held: readonly Role[], needed: Role): boolean {
  if (held.includes("admin") || held.includes(needed)) return true;
  return needed === "viewer" && held.length > 0;
}
