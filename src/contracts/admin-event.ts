import { z } from "zod";
import { ActorSchema, TimestampSchema } from "./common.js";

/** The closed set of audited admin actions (seed 004 AdminActionType, widened for runledger). */
export const ADMIN_ACTION_TYPES = [
  "pause",
  "resume",
  "drain",
  "replay_request",
  "rotate_secret",
  "secret_set",
  "secret_remove",
  "change_retention",
  "operator_register",
  "operator_activate",
  "operator_deprecate",
  "operator_remove",
  "gate_approve",
  "gate_reject",
  "watermark_override",
  "access_grant",
  "access_revoke",
  "access_denied",
  "stream_create",
  "stream_update",
  "config_update",
] as const;

/** The kind of an admin action. */
export const AdminActionTypeSchema = z.enum(ADMIN_ACTION_TYPES);
export type AdminActionType = z.infer<typeof AdminActionTypeSchema>;

/** How an admin action ended: applied, refused by a guard, or failed while applying. */
export const ADMIN_RESULTS = ["applied", "refused", "failed"] as const;

/** What an admin action acted on, e.g. `{ kind: "stream", id: "orders" }`. */
export const AdminTargetSchema = z
  .object({
    kind: z.string().min(1),
    id: z.string().min(1),
  })
  .strict();
export type AdminTarget = z.infer<typeof AdminTargetSchema>;

/**
 * The append-only audit record of one admin action (seed 004 AdminEvent). Every action names its
 * actor and a non-blank reason; `before` and `after` hold the changed state where there is one.
 */
export const AdminEventSchema = z
  .object({
    admin_event_id: z.string().min(1),
    action_type: AdminActionTypeSchema,
    actor: ActorSchema,
    observed_at_utc: TimestampSchema,
    reason: z.string().regex(/\S/, "expected a non-blank reason"),
    targets: z.array(AdminTargetSchema),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    result: z.enum(ADMIN_RESULTS),
  })
  .strict();
export type AdminEvent = z.infer<typeof AdminEventSchema>;
