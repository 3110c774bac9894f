import { AdminActionSchema, type AdminActionRecord } from "../../contracts/admin-event.js";
import type { Actor } from "../../contracts/common.js";
import { moveWatermark } from "./watermark-state.js";
import type { EventData } from "../events.js";
import type { ProjectionState } from "./projection-state.js";

type AdminData = EventData<"admin.recorded">;

/**
 * What an applied admin action changes beyond the audit trail: a gate's decision, an overridden
 * watermark. The rest are folded where they are read (controls, access, retention, lifecycles).
 * An action whose before/after does not match its contract (a foreign or damaged record) stays in
 * the audit trail and changes nothing else.
 */
export function applyAdminEffects(state: ProjectionState, d: AdminData, at: string, actor: Actor): void {
  if (d.result !== "applied") return;
  const parsed = AdminActionSchema.safeParse({ action_type: d.action_type, before: d.before, after: d.after });
  if (!parsed.success) return;
  const action: AdminActionRecord = parsed.data;
  const target = (kind: string) => d.targets.find((t) => t.kind === kind)?.id;
  switch (action.action_type) {
    case "gate_approve":
    case "gate_reject":
      return decideGate(state, `${target("run") ?? ""}/${target("gate") ?? ""}`, action.action_type === "gate_approve", d.reason, at, actor);
    case "watermark_override": {
      const name = target("watermark");
      if (name === undefined || action.after === undefined) return;
      moveWatermark(state.watermarks, {
        name,
        value: action.after.value,
        at_utc: at,
        by: `${actor.kind}:${actor.id}`,
        moved_by: { kind: "override", admin_event_id: d.admin_event_id, justification: d.reason },
        definition: action.after.definition ?? null,
      });
      return;
    }
    case "pause":
    case "resume":
    case "drain":
    case "replay_request":
    case "rotate_secret":
    case "secret_set":
    case "secret_remove":
    case "change_retention":
    case "operator_register":
    case "operator_activate":
    case "operator_deprecate":
    case "operator_remove":
    case "access_grant":
    case "access_revoke":
    case "access_denied":
    case "stream_create":
    case "stream_update":
    case "config_update":
    case "read_models_rebuild":
      return;
    default:
      return assertNever(action);
  }
}

function decideGate(state: ProjectionState, key: string, approved: boolean, reason: string, at: string, actor: Actor): void {
  const gate = state.gates[key];
  if (!gate) return;
  gate.status = approved ? "approved" : "rejected";
  gate.decided_by = actor;
  gate.decided_at_utc = at;
  gate.reason = reason;
  const task = state.runs[gate.run_id]?.tasks[gate.task];
  if (task) {
    task.outcome = approved ? "SUCCESS" : "FAILED";
    task.reason = `${gate.status} by ${actor.kind}:${actor.id}: ${reason}`;
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled admin action ${JSON.stringify(value)}`);
}
