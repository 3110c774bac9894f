import { z } from "zod";
import { commandOutput } from "./command-output.js";

/**
 * A scope's admission control after `admin pause|drain|resume`: the scope (`project:<name>` or
 * `pipeline:<name>`) and its state, `paused`, `draining` or `open`.
 */
export const AdminControlSchema = z
  .object({
    scope: z.string().regex(/^(project|pipeline):.+$/, "expected project:<name> or pipeline:<name>"),
    state: z.enum(["paused", "draining", "open"]),
  })
  .strict();
export type AdminControl = z.infer<typeof AdminControlSchema>;

/** What the workspace keeps: the working directories of the newest N finished runs' failed attempts (null: all). */
export const RetentionSchema = z
  .object({
    keep_work_runs: z.number().int().min(0).nullable(),
  })
  .strict();
export type Retention = z.infer<typeof RetentionSchema>;

/** `admin pause|drain|resume --json`. */
export const AdminControlOutputSchema = commandOutput({ control: AdminControlSchema });
export type AdminControlOutput = z.infer<typeof AdminControlOutputSchema>;

/** `admin retention --json`: the retention now in force and the runs whose working directories were pruned. */
export const RetentionOutputSchema = commandOutput({ retention: RetentionSchema, pruned_runs: z.array(z.string().min(1)) });
export type RetentionOutput = z.infer<typeof RetentionOutputSchema>;

/** The read models' version and the last event they reflect (version null: never built). */
export const ReadModelStatusSchema = z
  .object({
    version: z.string().nullable(),
    seq: z.number().int().min(0),
  })
  .strict();
export type ReadModelStatus = z.infer<typeof ReadModelStatusSchema>;

/** What `admin rebuild-read-models` did: the models before and after, the events derived, and how long it took. */
export const ReadModelRebuildSchema = z
  .object({
    before: ReadModelStatusSchema,
    after: ReadModelStatusSchema,
    events: z.number().int().min(0),
    duration_ms: z.number().min(0),
  })
  .strict();
export type ReadModelRebuild = z.infer<typeof ReadModelRebuildSchema>;

/** `admin rebuild-read-models --json`. */
export const ReadModelRebuildOutputSchema = commandOutput({ read_models: ReadModelRebuildSchema });
export type ReadModelRebuildOutput = z.infer<typeof ReadModelRebuildOutputSchema>;
