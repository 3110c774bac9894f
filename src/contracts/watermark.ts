import { z } from "zod";
import { ActorSchema, TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** The version of the definition a watermark value was produced under (e.g. a proxy set). */
export const DefinitionVersionSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
  })
  .strict();
export type DefinitionVersion = z.infer<typeof DefinitionVersionSchema>;

/** How a watermark moved: a passed (or approved) gate of a run, or an audited override. */
export const WatermarkMoveSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("gate"), gate: z.string().min(1), run_id: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("override"), admin_event_id: z.string().min(1), justification: z.string() }).strict(),
]);
export type WatermarkMove = z.infer<typeof WatermarkMoveSchema>;

/**
 * A named, monotonic pointer (`us.ctt`, `us.te`) as `watermark list|show` prints it: its value,
 * the definition it is bound to, whether that still holds, who moved it last and how, and its history.
 */
export const WatermarkViewSchema = z
  .object({
    name: z.string().min(1),
    value: z.string(),
    previous: z.string().nullable(),
    definition: DefinitionVersionSchema.nullable(),
    valid: z.boolean(),
    invalidated: z.object({ reason: z.string(), at_utc: TimestampSchema, by_version: z.string() }).strict().nullable(),
    updated_at_utc: TimestampSchema,
    updated_by: z.string().min(1),
    moved_by: WatermarkMoveSchema,
    history: z.array(
      z.object({ value: z.string(), at_utc: TimestampSchema, moved_by: WatermarkMoveSchema, definition: DefinitionVersionSchema.nullable() }).strict(),
    ),
  })
  .strict();
export type WatermarkView = z.infer<typeof WatermarkViewSchema>;

/** A sync rule between two watermarks that is broken: the pair, how far apart they are, and why. */
export const SyncWarningSchema = z
  .object({
    between: z.tuple([z.string().min(1), z.string().min(1)]),
    gap_ms: z.number().min(0),
    message: z.string().min(1),
  })
  .strict();
export type SyncWarning = z.infer<typeof SyncWarningSchema>;

/** An audited `watermark override`: the value before (null when none), the value after, and who overrode it. */
export const WatermarkOverrideSchema = z
  .object({
    name: z.string().min(1),
    before: z.union([
      z.object({ value: z.string(), valid: z.boolean(), definition: DefinitionVersionSchema.optional() }).strict(),
      z.object({ value: z.null() }).strict(),
    ]),
    after: z.object({ value: z.string(), definition: DefinitionVersionSchema.optional() }).strict(),
    by: ActorSchema,
  })
  .strict();
export type WatermarkOverride = z.infer<typeof WatermarkOverrideSchema>;

/** `watermark list --json`: every watermark by name, and the broken sync rules. */
export const WatermarkListOutputSchema = commandOutput({ watermarks: z.array(WatermarkViewSchema), sync_warnings: z.array(SyncWarningSchema) });
export type WatermarkListOutput = z.infer<typeof WatermarkListOutputSchema>;

/** `watermark show --json`. */
export const WatermarkShowOutputSchema = commandOutput({ watermark: WatermarkViewSchema });
export type WatermarkShowOutput = z.infer<typeof WatermarkShowOutputSchema>;

/** `watermark override --json`. */
export const WatermarkOverrideOutputSchema = commandOutput({ watermark: WatermarkOverrideSchema });
export type WatermarkOverrideOutput = z.infer<typeof WatermarkOverrideOutputSchema>;
