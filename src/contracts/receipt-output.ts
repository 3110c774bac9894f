import type { z } from "zod";
import { DigestSchema } from "./common.js";
import { commandOutput } from "./command-output.js";
import { EnvelopeSchema } from "./envelope.js";
import { ReceiptSchema } from "./receipt.js";

/** `receipt --json`: an attempt's receipt, the digest it is stored under, and the attempt's seed 002 envelope. */
export const ReceiptOutputSchema = commandOutput({
  receipt: ReceiptSchema,
  receipt_digest: DigestSchema,
  envelope: EnvelopeSchema,
});
export type ReceiptOutput = z.infer<typeof ReceiptOutputSchema>;
