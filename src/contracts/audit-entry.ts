import { z } from "zod";
import { AdminEventSchema, type AdminEvent } from "./admin-event.js";
import { ProjectSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** Where the ledger put an admin event: its sequence number and its project. */
const LEDGER_POSITION = {
  seq: z.number().int().min(1),
  project: ProjectSchema,
};

/**
 * An admin record with the ledger position beside it. Extended record by record (one record, or
 * each option of a union told apart by `action_type`), so strict records stay strict.
 */
function withLedgerPosition(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) return schema.extend(LEDGER_POSITION);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const [first, ...rest] = (schema.options as z.ZodObject[]).map((option) => option.extend(LEDGER_POSITION));
    if (first === undefined) throw new Error("AdminEventSchema is an empty union");
    return z.discriminatedUnion(schema.def.discriminator, [first, ...rest]);
  }
  throw new Error("AdminEventSchema is neither a record nor a union of records");
}

/** An admin event as `audit --json` lists it: the AdminEvent, its ledger sequence number and its project. */
export const AuditEntrySchema = withLedgerPosition(AdminEventSchema) as z.ZodType<AdminEvent & { seq: number; project: string }>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** `audit --json`: the admin events, oldest first. */
export const AuditOutputSchema = commandOutput({ admin_events: z.array(AuditEntrySchema) });
export type AuditOutput = z.infer<typeof AuditOutputSchema>;
