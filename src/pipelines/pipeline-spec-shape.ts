import { z } from "zod";
import type { Issue } from "../core/errors.js";
import { issuesFromZod } from "../core/issues-from-zod.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { PipelineDefinition, PipelineSpec, PipelineTask, TaskSpec } from "./define-pipeline.js";

// Each shape is keyed by the type it checks, so a field added to one and not the other fails to compile.
type ShapeOf<T> = { readonly [K in keyof T]-?: z.ZodType };
type SomeOf<T> = { readonly [K in keyof T]?: z.ZodType };

const TaskShape = z.looseObject({
  operator: z.union([z.string(), z.looseObject({})], { error: "expected an operator (defineOperator(…)) or a registry reference id@version" }),
  needs: z.array(z.string(), { error: "expected a list of task names" }).optional(),
  critical: z.boolean().optional(),
  retries: z.number().optional(),
  params: z.record(z.string(), z.unknown(), { error: "expected a mapping of parameters" }).optional(),
  allowWarn: z.boolean().optional(),
  maxStaleness: z.union([z.string(), z.number()], { error: 'expected a duration such as "6h", or milliseconds' }).optional(),
} satisfies ShapeOf<TaskSpec>);

/**
 * The JavaScript types of a pipeline spec, checked before it is built: a caller without
 * TypeScript (a `.mjs` pipeline) gets ERR_SCHEMA issues naming the field, never a TypeError.
 */
const PipelineSpecShape = z.looseObject({
  name: z.string({ error: "expected the pipeline's name" }),
  mode: z.string().optional(),
  cache: z.boolean().optional(),
  runMode: z.string().optional(),
  // Their values are checked as the pipeline is built (buildPipeline, effectHandlerIssues).
  enforcement: z.unknown().optional(),
  effects: z.unknown().optional(),
  sandbox: z.string({ error: "expected on or off" }).optional(),
  description: z.string().optional(),
  limits: z.record(z.string(), z.unknown(), { error: "expected { outputBytes, attemptBytes }" }).optional(),
  tasks: z.record(z.string(), TaskShape, { error: "expected a mapping of task names to tasks" }),
} satisfies ShapeOf<PipelineSpec>);

/** ERR_SCHEMA issues for fields of a pipeline spec whose JavaScript type is wrong; [] when the shape is right. */
export function pipelineSpecShapeIssues(spec: unknown): Issue[] {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    return [{ code: "ERR_SCHEMA", path: [], message: "a pipeline spec must be an object with name and tasks" }];
  }
  const parsed = PipelineSpecShape.safeParse(spec);
  return parsed.success ? [] : issuesFromZod(parsed.error, "ERR_SCHEMA", []);
}

const OperatorShape = z.looseObject({
  ref: z.string(),
  kind: z.string(),
  modes: z.array(z.string()),
  outputs: z.array(z.string()),
  checks: z.array(z.unknown()),
  timeoutMs: z.number(),
  retries: z.number(),
  env: z.record(z.string(), z.string()),
  input: z.custom((value) => typeof (value as { safeParse?: unknown } | null)?.safeParse === "function", { error: "expected a zod schema" }),
} satisfies SomeOf<OperatorDefinition>);

const DefinedTaskShape = z.looseObject({
  operator: z.union([z.string(), OperatorShape], { error: "expected an operator made by defineOperator(…) or a registry reference id@version" }),
  needs: z.array(z.string()),
  critical: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  allowWarn: z.boolean(),
  retries: z.number().optional(),
  maxStalenessMs: z.number().optional(),
} satisfies SomeOf<PipelineTask>);

/** What definePipeline returns, as a module's default export must have it. */
const PipelineDefinitionShape = z.looseObject({
  name: z.string(),
  mode: z.string(),
  cache: z.boolean(),
  tasks: z.record(z.string(), DefinedTaskShape),
} satisfies SomeOf<PipelineDefinition>);

/**
 * ERR_SCHEMA issues for a module's default export that is not what definePipeline returns (a plain
 * spec, or a definition rebuilt by hand without its operators' schemas); [] when it is.
 */
export function pipelineDefinitionShapeIssues(def: unknown): Issue[] {
  const parsed = PipelineDefinitionShape.safeParse(def);
  return parsed.success ? [] : issuesFromZod(parsed.error, "ERR_SCHEMA", []);
}
