import type { AdminActionType, AdminTarget } from "../contracts/admin-event.js";
import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { randomIds } from "../core/ids.js";
import type { NewEvent } from "../ledger/ledger-event.js";

/** What an admin action records besides its actor and time. */
export interface AdminAction {
  readonly action_type: AdminActionType;
  readonly reason: string | undefined;
  readonly targets: readonly AdminTarget[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly result: "applied" | "refused" | "failed";
}

/**
 * The append-only record of one admin action (seed 004 AdminEvent) as a ledger event by `actor`.
 * A reason is mandatory: a blank one fails with ERR_REASON_REQUIRED before anything is recorded.
 */
export function adminEvent(project: string, actor: Actor, action: AdminAction): NewEvent {
  const reason = action.reason?.trim() ?? "";
  if (reason === "") throw new RunledgerError("ERR_REASON_REQUIRED", { detail: `${action.action_type} needs --reason "…"` });
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
