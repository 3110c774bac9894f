import { z } from "zod";
import { ROLE_NAMES } from "./access-grant.js";
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
  "read_models_rebuild",
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

// The states `before` and `after` hold, per action. Unknown keys are stripped, not refused: a reader takes the
// fields it knows, and a ledger written by an earlier version stays readable.

/** A scope's control: open, paused (no task starts) or draining (no run starts). */
const ControlStateSchema = z.object({ state: z.enum(["open", "paused", "draining"]) }).readonly();
/** What the workspace keeps: the working directories of the newest n finished runs (null: all). */
export const RetentionRecordSchema = z.object({ keep_work_runs: z.number().int().min(0).nullable() }).readonly();
/** What a replay repeats of the original run. */
const ReplayRequestSchema = z.object({ as_of: z.string(), params: z.record(z.string(), z.string()), pipeline: z.string(), run_mode: z.string(), work_mode: z.string() }).readonly();
/** A secret by name and version, never its value; every field optional, as no reader needs more than what changed. */
const SecretRecordSchema = z.object({ name: z.string().min(1).optional(), version: z.number().int().min(1).optional(), state: z.enum(["set", "rotated", "removed"]).optional() }).readonly();
/** An operator's governed status (null: never registered). */
const OperatorStatusRecordSchema = z.object({ status: z.enum(["REGISTERED", "ACTIVE", "DEPRECATED", "REMOVED", "QUARANTINED"]).nullable() }).readonly();
const DefinitionVersionSchema = z.object({ name: z.string(), version: z.string() }).readonly();
const GateBeforeSchema = z.object({ status: z.string(), checks: z.array(z.object({ name: z.string(), result: z.string() })).readonly() }).readonly();
const GateAfterSchema = z.object({ status: z.enum(["approved", "rejected"]), advances: z.object({ watermark: z.string(), value: z.string(), definition: DefinitionVersionSchema.optional() }).readonly().optional() }).readonly();
const WatermarkBeforeSchema = z.object({ value: z.string().nullable(), valid: z.boolean().optional(), definition: DefinitionVersionSchema.optional() }).readonly();
const WatermarkAfterSchema = z.object({ value: z.string(), definition: DefinitionVersionSchema.optional() }).readonly();
/** The roles of seed 004 §6, as access control names them (contracts/access-grant.ts). */
export const ADMIN_ROLES = ROLE_NAMES;
/** One role given to one actor with the hash of its token (access_grant's `after`; access_revoke's `before` has no hash). */
const GrantRecordSchema = z.object({ actor: ActorSchema, role: z.enum(ADMIN_ROLES), token_hash: z.string().min(1) }).readonly();
const RevokeRecordSchema = z.object({ actor: ActorSchema, role: z.enum(ADMIN_ROLES) }).readonly();
/** Which code version derived the read models and the last event they reflect (version null: never built). */
const ReadModelStatusRecordSchema = z.object({ version: z.string().nullable(), seq: z.number().int().min(0) }).readonly();
/** Nothing recorded: the action has no state of its own. */
const NoState = z.never();

function action<T extends AdminActionType, B extends z.ZodType, A extends z.ZodType>(type: T, before: B, after: A) {
  return z.object({ action_type: z.literal(type), before: before.optional(), after: after.optional() }).strict();
}

const PauseAction = action("pause", ControlStateSchema, ControlStateSchema);
const ResumeAction = action("resume", ControlStateSchema, ControlStateSchema);
const DrainAction = action("drain", ControlStateSchema, ControlStateSchema);
const ReplayRequestAction = action("replay_request", ReplayRequestSchema, NoState);
const RotateSecretAction = action("rotate_secret", SecretRecordSchema, SecretRecordSchema);
const SecretSetAction = action("secret_set", SecretRecordSchema, SecretRecordSchema);
const SecretRemoveAction = action("secret_remove", SecretRecordSchema, SecretRecordSchema);
const ChangeRetentionAction = action("change_retention", RetentionRecordSchema, RetentionRecordSchema);
const OperatorRegisterAction = action("operator_register", OperatorStatusRecordSchema, OperatorStatusRecordSchema);
const OperatorActivateAction = action("operator_activate", OperatorStatusRecordSchema, OperatorStatusRecordSchema);
const OperatorDeprecateAction = action("operator_deprecate", OperatorStatusRecordSchema, OperatorStatusRecordSchema);
const OperatorRemoveAction = action("operator_remove", OperatorStatusRecordSchema, OperatorStatusRecordSchema);
const GateApproveAction = action("gate_approve", GateBeforeSchema, GateAfterSchema);
const GateRejectAction = action("gate_reject", GateBeforeSchema, GateAfterSchema);
const WatermarkOverrideAction = action("watermark_override", WatermarkBeforeSchema, WatermarkAfterSchema);
const AccessGrantAction = action("access_grant", NoState, GrantRecordSchema);
const AccessRevokeAction = action("access_revoke", RevokeRecordSchema, NoState);
const AccessDeniedAction = action("access_denied", NoState, NoState);
// Reserved for streams and configs: nothing records them yet, so their state is not typed.
const StreamCreateAction = action("stream_create", z.unknown(), z.unknown());
const StreamUpdateAction = action("stream_update", z.unknown(), z.unknown());
const ConfigUpdateAction = action("config_update", z.unknown(), z.unknown());
const ReadModelsRebuildAction = action("read_models_rebuild", ReadModelStatusRecordSchema, ReadModelStatusRecordSchema);

/** One admin action with its typed `before` and `after`, discriminated by `action_type`. */
export const AdminActionSchema = z.discriminatedUnion("action_type", [
  PauseAction,
  ResumeAction,
  DrainAction,
  ReplayRequestAction,
  RotateSecretAction,
  SecretSetAction,
  SecretRemoveAction,
  ChangeRetentionAction,
  OperatorRegisterAction,
  OperatorActivateAction,
  OperatorDeprecateAction,
  OperatorRemoveAction,
  GateApproveAction,
  GateRejectAction,
  WatermarkOverrideAction,
  AccessGrantAction,
  AccessRevokeAction,
  AccessDeniedAction,
  StreamCreateAction,
  StreamUpdateAction,
  ConfigUpdateAction,
  ReadModelsRebuildAction,
]);
export type AdminActionRecord = z.infer<typeof AdminActionSchema>;

/** What every admin event carries besides its action. */
const AUDIT_FIELDS = {
  admin_event_id: z.string().min(1),
  actor: ActorSchema,
  observed_at_utc: TimestampSchema,
  reason: z.string().regex(/\S/, "expected a non-blank reason"),
  targets: z.array(AdminTargetSchema),
  result: z.enum(ADMIN_RESULTS),
};

/**
 * The append-only audit record of one admin action (seed 004 AdminEvent). Every action names its
 * actor and a non-blank reason; `before` and `after` hold the changed state where there is one,
 * typed per action.
 */
export const AdminEventSchema: z.ZodType<AdminEvent> = z.discriminatedUnion(
  "action_type",
  // Each action with the audit fields; the cast restores the tuple type that map() widens.
  AdminActionSchema.options.map((variant) => variant.extend(AUDIT_FIELDS).strict()) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<AdminEvent>;
export type AdminEvent = AdminActionRecord & z.infer<z.ZodObject<typeof AUDIT_FIELDS>>;
