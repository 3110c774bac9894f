import { z } from "zod";
import { EnvFingerprintSchema } from "./env-fingerprint.js";
import { ErrorCodeSchema } from "./error-code.js";

/**
 * The canonical success envelope (seed 002 §2). Extra keys are allowed, so the CLI may add its
 * own results (e.g. `run`, `verify`) beside the canonical ones.
 */
export const SuccessEnvelopeSchema = z
  .object({
    status: z.literal("success"),
    execution_id: z.string().min(1),
    outputs: z.array(z.object({ path: z.string().min(1) }).strict()),
    index_path: z.string().min(1),
    meta: z
      .object({
        env_fingerprint: EnvFingerprintSchema,
        image_digest: z.string().min(1).optional(),
        image_tag: z.string().min(1).optional(),
      })
      .strict(),
  })
  .loose();
export type SuccessEnvelope = z.infer<typeof SuccessEnvelopeSchema>;

/** The canonical error envelope (seed 002 §2): a stable code and its message, nothing else. */
export const ErrorEnvelopeSchema = z
  .object({
    status: z.literal("error"),
    execution_id: z.string().min(1),
    error: z
      .object({
        code: ErrorCodeSchema,
        message: z.string().min(1),
      })
      .strict(),
    meta: z.object({ env_fingerprint: EnvFingerprintSchema.optional() }).strict(),
  })
  .strict();
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** What an adapter or `--json` command prints last on stdout: a success or an error envelope, told apart by `status`. */
export const EnvelopeSchema = z.discriminatedUnion("status", [SuccessEnvelopeSchema, ErrorEnvelopeSchema]);
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** One validation problem inside an error envelope: a code and the path it concerns. */
export const IssueSchema = z
  .object({
    code: ErrorCodeSchema,
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
  })
  .strict();

/**
 * What a `runledger … --json` command prints on stdout when it fails: seed 002's error envelope
 * (`meta` is empty), whose `error` may also list every validation issue.
 */
export const CommandErrorSchema = ErrorEnvelopeSchema.extend({
  error: z.object({ code: ErrorCodeSchema, message: z.string().min(1), issues: z.array(IssueSchema).optional() }).strict(),
});
export type CommandError = z.infer<typeof CommandErrorSchema>;

/**
 * What every `runledger … --json` command prints last on stdout. Success carries the command's
 * result under its own key (`verify`, `workspace`, `run`…; each command's exact shape is in
 * COMMAND_OUTPUTS); error is {@link CommandErrorSchema}.
 */
export const CommandEnvelopeSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("success"), execution_id: z.string().min(1) }).loose(),
  CommandErrorSchema,
]);
export type CommandEnvelope = z.infer<typeof CommandEnvelopeSchema>;
