import { z } from "zod";
import { DigestSchema, OperatorRefSchema, OutputPathSchema, ProjectSchema, TimestampSchema } from "./common.js";
import { ConfigVersionRefSchema } from "./config-version-ref.js";
import { EnvFingerprintSchema } from "./env-fingerprint.js";
import { EnforcementSchema, RunModeSchema } from "./run-mode.js";
import { VerdictSchema } from "./verdict.js";

/** One entry of a receipt's outputs index: a declared output path and the digest of its bytes. */
export const OutputIndexEntrySchema = z
  .object({
    path: OutputPathSchema,
    digest: DigestSchema,
    size_bytes: z.number().int().min(0),
  })
  .strict();
export type OutputIndexEntry = z.infer<typeof OutputIndexEntrySchema>;

/** A captured stdout or stderr stream: the digest and size of all of it, and a bounded tail. */
export const StreamCaptureSchema = z
  .object({
    digest: DigestSchema,
    size_bytes: z.number().int().min(0),
    tail: z.string(),
  })
  .strict();
export type StreamCapture = z.infer<typeof StreamCaptureSchema>;

/**
 * The per-attempt record (seed 002 §4), written through the ledger, never by operator code.
 * Stable across identical re-runs: processor_ref, code_digest, env_fingerprint, inputs_hash,
 * hash_schema, outputs_index. Variable: timestamp_utc, duration_ms, usage. Paths in
 * outputs_index are unique and under `outputs/`.
 */
export const ReceiptSchema = z
  .object({
    execution_id: z.string().min(1),
    run_id: z.string().min(1),
    task: z.string().min(1),
    attempt_id: z.string().min(1),
    project: ProjectSchema,
    processor_ref: OperatorRefSchema,
    code_digest: DigestSchema,
    image_digest: z.string().min(1).optional(),
    image_tag: z.string().min(1).optional(),
    env_fingerprint: EnvFingerprintSchema,
    inputs_hash: DigestSchema,
    /** The upstream outputs the attempt read, each with its digest: what the inputs hash covers besides params. */
    inputs: z.array(z.object({ task: z.string().min(1), path: OutputPathSchema, digest: DigestSchema }).strict()).optional(),
    hash_schema: z.string().min(1),
    config_versions: z.array(ConfigVersionRefSchema),
    /** The version of each secret the attempt was given (never a value), absent when it was given none. */
    secret_versions: z.array(z.object({ name: z.string().min(1), version: z.number().int().min(1) }).strict()).optional(),
    outputs_index: z.array(OutputIndexEntrySchema),
    processor_info: z.string(),
    usage: z.record(z.string(), z.number()),
    timestamp_utc: TimestampSchema,
    duration_ms: z.number().int().min(0),
    mode: RunModeSchema,
    enforcement: EnforcementSchema,
    /**
     * Where the run's commands ran (command operators and command checks): `bubblewrap`, or `off`
     * when the pipeline says `sandbox: off`. Function operators run in the engine's process either
     * way. Absent only from receipts written before the sandbox existed.
     */
    sandbox: z.enum(["bubblewrap", "off"]).optional(),
    /** The attempt's effect calls (seed 001 §2.4 decision trace), absent when it made none; payloads and results are artifacts. */
    effects: z
      .array(
        z
          .object({
            call_number: z.number().int().min(1),
            effect: z.string().min(1),
            outcome: z.enum(["recorded", "executed", "refused", "failed"]),
            payload_digest: DigestSchema,
            result_digest: DigestSchema.optional(),
            error_code: z.string().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
    result: VerdictSchema,
    stdout: StreamCaptureSchema.optional(),
    stderr: StreamCaptureSchema.optional(),
  })
  .strict()
  .superRefine((receipt, ctx) => {
    const seen = new Set<string>();
    receipt.outputs_index.forEach((entry, i) => {
      if (seen.has(entry.path)) {
        ctx.addIssue({ code: "custom", message: `duplicate output path ${entry.path}`, path: ["outputs_index", i, "path"] });
      }
      seen.add(entry.path);
    });
  });
export type Receipt = z.infer<typeof ReceiptSchema>;
