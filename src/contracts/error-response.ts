import { z } from "zod";
import { ErrorCodeSchema } from "./error-code.js";

/** The thin error body of the HTTP API and library boundaries (seed 004 ErrorResponse). */
export const ErrorResponseSchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string().min(1),
    details: z.unknown().optional(),
    retryable: z.boolean().optional(),
  })
  .strict();
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
