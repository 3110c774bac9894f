import { z } from "zod";
import { DigestSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/**
 * What `verify` checked when it found nothing wrong: the events of the chain, its head's hash, the
 * blobs re-hashed, and how many distinct blobs the ledger names.
 */
export const VerifyReportSchema = z
  .object({
    events: z.number().int().min(0),
    head: DigestSchema,
    artifacts: z.number().int().min(0),
    referenced: z.number().int().min(0),
  })
  .strict();

/** `verify --json`. */
export const VerifyOutputSchema = commandOutput({ verify: VerifyReportSchema });
export type VerifyOutput = z.infer<typeof VerifyOutputSchema>;
