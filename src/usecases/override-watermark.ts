import { RunledgerError } from "../core/errors.js";
import { parseIsoTime } from "../core/iso-time.js";
import { adminEvent } from "../governance/admin-event.js";
import type { DefinitionVersion } from "../ledger/projections/watermark-state.js";
import type { ReadDeps, RecordDeps } from "./deps.js";

/** An override as requested: the watermark, its new value, why, the confirmation and an optional `name@version` definition. */
export interface OverrideWatermarkRequest {
  readonly name: string;
  readonly to: string;
  readonly justification: string | undefined;
  readonly confirm: boolean;
  readonly definition: string | undefined;
}

export interface OverrideWatermarkInput {
  readonly name: string;
  readonly to: string;
  readonly justification: string;
  readonly definition: DefinitionVersion | undefined;
}

/**
 * Checks an override before anything is read: a justification and the confirmation
 * (ERR_CONFIRM_REQUIRED), a value that starts like a date is a real instant, a definition is name@version.
 */
export function overrideWatermarkInput(request: OverrideWatermarkRequest): OverrideWatermarkInput {
  const justification = request.justification ?? "";
  if (justification.trim() === "" || !request.confirm) {
    throw new RunledgerError("ERR_CONFIRM_REQUIRED", {
      detail: `overriding ${request.name} needs ${[justification.trim() === "" ? '--justification "…"' : "", request.confirm ? "" : "--confirm"].filter(Boolean).join(" and ")}`,
    });
  }
  // A value that starts like a date is a time, ordered as one: it must be a real instant.
  if (/^\d{4}-\d{2}-\d{2}/.test(request.to)) parseIsoTime(request.to, "--to");
  const at = request.definition?.lastIndexOf("@") ?? -1;
  if (request.definition !== undefined && at <= 0)
    throw new RunledgerError("ERR_USAGE", { detail: `--definition ${request.definition}: expected name@version` });
  const definition = request.definition === undefined ? undefined : { name: request.definition.slice(0, at), version: request.definition.slice(at + 1) };
  return { name: request.name, to: request.to, justification, definition };
}

/** Emergency advance or rollback of a watermark (seed 001 §4.4), recorded as a watermark_override admin event; bound to the current definition unless one is given. */
export async function overrideWatermark(deps: RecordDeps & ReadDeps, input: OverrideWatermarkInput) {
  const { name } = input;
  const current = (await (await deps.readModels()).watermarks()).find((mark) => mark.name === name);
  const definition = input.definition ?? current?.definition ?? undefined;
  const before = current ? { value: current.value, valid: current.valid, ...(current.definition ? { definition: current.definition } : {}) } : { value: null };
  const after = { value: input.to, ...(definition ? { definition } : {}) };
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: "watermark_override",
      reason: input.justification,
      targets: [{ kind: "watermark", id: name }],
      before,
      after,
      result: "applied",
    }),
  ]);
  return { name, before, after, by: deps.actor };
}
