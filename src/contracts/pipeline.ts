import { z } from "zod";
import { OperatorRefSchema } from "./common.js";
import { RunModeSchema } from "./run-mode.js";

/** A task name: letters, digits, '.', '_' or '-', starting with a letter or digit. */
export const TaskNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "expected letters, digits, '.', '_' or '-', starting with a letter or digit");

/** One node of a pipeline: an operator, its bound inputs, the tasks it needs, and its failure policy. */
export const PipelineTaskSchema = z
  .object({
    operator: OperatorRefSchema,
    needs: z.array(TaskNameSchema),
    critical: z.boolean(),
    inputs: z.record(z.string(), z.unknown()),
    allow_warn: z.boolean(),
    max_staleness_ms: z.number().int().positive().optional(),
  })
  .strict();
export type PipelineTask = z.infer<typeof PipelineTaskSchema>;

/**
 * A pipeline definition: a DAG of named tasks run in one work mode. Every `needs` entry names
 * another task of the same pipeline (cycles are the planner's to report). `cache` defaults to true;
 * false means fresh state every run.
 */
export const PipelineSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1).optional(),
    mode: z.string().min(1),
    run_mode: RunModeSchema.optional(),
    cache: z.boolean().default(true),
    tasks: z.record(TaskNameSchema, PipelineTaskSchema),
  })
  .strict()
  .superRefine((pipeline, ctx) => {
    for (const [name, task] of Object.entries(pipeline.tasks)) {
      task.needs.forEach((need, i) => {
        if (need === name || !Object.hasOwn(pipeline.tasks, need)) {
          const why = need === name ? "needs itself" : `needs unknown task ${need}`;
          ctx.addIssue({ code: "custom", message: `task ${name} ${why}`, path: ["tasks", name, "needs", i] });
        }
      });
    }
  });
export type Pipeline = z.infer<typeof PipelineSchema>;
export type PipelineInput = z.input<typeof PipelineSchema>;
