import { z } from "zod";
import { DigestSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** The stored read models as verify found them: equal to a fresh derivation of `events` events, in `rows` rows. */
export const ReadModelCheckSchema = z
  .object({
    version: z.string().min(1),
    events: z.number().int().min(0),
    rows: z.number().int().min(0),
  })
  .strict();

/**
 * What `verify` checked when it found nothing wrong: the events of the chain, its head's hash, the
 * blobs re-hashed, how many distinct blobs the ledger names, and the read models (absent where the
 * ledger keeps none).
 */
export const VerifyReportSchema = z
  .object({
    events: z.number().int().min(0),
    head: DigestSchema,
    artifacts: z.number().int().min(0),
    referenced: z.number().int().min(0),
    read_models: ReadModelCheckSchema.optional(),
  })
  .strict();

/** `verify --json`. */
export const VerifyOutputSchema = commandOutput({ verify: VerifyReportSchema });
export type VerifyOutput = z.infer<typeof VerifyOutputSchema>;
