import type { AdminActionRecord, AdminTarget, ADMIN_ROLES } from "../contracts/admin-event.js";
import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { Role } from "./roles.js";

/** What an admin action records besides its actor and time: one action of the typed union, its reason, targets and result. */
export type AdminAction = AdminActionRecord & {
  readonly reason: string | undefined;
  readonly targets: readonly AdminTarget[];
  readonly result: "applied" | "refused" | "failed";
};

// The contract's role list and governance's are one list: this fails to compile when they part.
const SAME_ROLES: [Role, (typeof ADMIN_ROLES)[number]] extends [(typeof ADMIN_ROLES)[number], Role] ? true : never = true;
void SAME_ROLES;

/**
 * The reason of an admin action, trimmed; a blank one fails with ERR_REASON_REQUIRED. A use case
 * that changes something before it records its action checks it first, with this.
 */
export function requireReason(actionType: string, reason: string | undefined): string {
  const trimmed = reason?.trim() ?? "";
  if (trimmed === "") throw new RunledgerError("ERR_REASON_REQUIRED", { detail: `${actionType} needs --reason "…"` });
  return trimmed;
}

/**
 * The append-only record of one admin action (seed 004 AdminEvent) as a ledger event by `actor`.
 * A reason is mandatory: a blank one fails with ERR_REASON_REQUIRED before anything is recorded.
 */
export function adminEvent(project: string, actor: Actor, action: AdminAction): NewEvent {
  const reason = requireReason(action.action_type, action.reason);
  return {
    type: "admin.recorded",
    project,
    actor,
    data: {
      action_type: action.action_type,
      admin_event_id: randomIds.next(),
      ...(action.after === undefined ? {} : { after: action.after }),
      ...(action.before === undefined ? {} : { before: action.before }),
      reason,
      result: action.result,
      targets: action.targets.map((t) => ({ id: t.id, kind: t.kind })),
    },
  };
}
