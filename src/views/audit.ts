import type { AuditEntry } from "../contracts/audit-entry.js";
import type { AdminEventView } from "../ledger/projections/projection-state.js";

/** The fields every audit entry carries whatever its action, as the projection holds them (read-only). */
type RecordedAuditFields = { readonly [K in keyof Omit<AuditEntry, "action_type" | "before" | "after">]: Readonly<AuditEntry[K]> };

/** The admin events given (oldest first), optionally only one action type and one actor (`kind:id`). */
export function auditView(
  adminEvents: readonly AdminEventView[],
  filter: { readonly action?: string | undefined; readonly actor?: string | undefined },
): AuditEntry[] {
  return adminEvents
    .filter((e) => filter.action === undefined || e.action_type === filter.action)
    .filter((e) => filter.actor === undefined || `${e.actor.kind}:${e.actor.id}` === filter.actor)
    .map(auditEntry);
}

/**
 * An admin event as listed. The ledger keeps an action's `before`/`after` as recorded (a record an
 * older or foreign writer made stays listed as it is), so only the fields every entry shares are
 * checked against the contract here; the action part is the recorded one.
 */
function auditEntry(event: AdminEventView): AuditEntry {
  const shared: RecordedAuditFields = event;
  return shared as AuditEntry;
}
