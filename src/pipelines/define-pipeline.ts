import { RunledgerError, type Issue } from "../core/errors.js";
import { validationError } from "../core/validation-error.js";
import { ENFORCEMENTS, type Enforcement, type RunMode } from "../contracts/run-mode.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import { parseDuration } from "../core/duration.js";
import { effectHandlerIssues, type EffectHandler } from "./effect-handler.js";
import { parseByteSize, type OutputLimits, type OutputLimitsSetting } from "./output-limits.js";
import { pipelineSpecShapeIssues } from "./pipeline-spec-shape.js";
import { validatePipeline } from "./validate-pipeline.js";

/** The work mode of a pipeline that names none. */
export const DEFAULT_PIPELINE_MODE = "PIPELINE";

/** One task as written in `definePipeline`. */
export interface TaskSpec {
  /** An operator definition, or a registry reference `id@version` (bare `id`: the highest version). */
  readonly operator: OperatorDefinition | string;
  readonly needs?: readonly string[];
  /** A failed critical task marks the run DEGRADED. Default false. */
  readonly critical?: boolean;
  /** Overrides the operator's retries. */
  readonly retries?: number;
  /** Bound inputs, parsed by the operator's input schema. Default {}. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Accept inputs whose checks ended WARN. Default false. */
  readonly allowWarn?: boolean;
  /** The oldest an input may be: a duration (`"6h"`) or milliseconds. */
  readonly maxStaleness?: string | number;
}

/** What `definePipeline` takes. */
export interface PipelineSpec {
  readonly name: string;
  /** The work mode; default PIPELINE. */
  readonly mode?: string;
  /** false: never reuse a cached attempt (fresh state every run). Default true. */
  readonly cache?: boolean;
  readonly runMode?: RunMode;
  /** shadow: every effect call goes to a sink and is recorded; enforced: effects happen. Default enforced; `--enforcement` wins. */
  readonly enforcement?: Enforcement;
  /** Handlers of effect names, for enforced runs (and shadow fakes); http.post is built in. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  /** off: commands run without the sandbox (docs/sandbox.md), recorded in every receipt. Default on. */
  readonly sandbox?: SandboxSetting;
  readonly description?: string;
  /** Output size limits of its attempts, bytes or sizes such as "512MiB"; runledger.json's (or 1 GiB an output, 4 GiB an attempt) otherwise. */
  readonly limits?: { readonly outputBytes?: number | string; readonly attemptBytes?: number | string };
  readonly tasks: Readonly<Record<string, TaskSpec>>;
}

/** Whether a pipeline's commands run in the sandbox. */
export const SANDBOX_SETTINGS = ["on", "off"] as const;
export type SandboxSetting = (typeof SANDBOX_SETTINGS)[number];

/** One task of a defined pipeline, defaults applied. */
export interface PipelineTask {
  readonly name: string;
  readonly operator: OperatorDefinition | string;
  readonly needs: readonly string[];
  readonly critical: boolean;
  readonly retries?: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly allowWarn: boolean;
  readonly maxStalenessMs?: number;
}

/** A defined pipeline, frozen. `source` is the YAML file it came from, or "typescript". */
export interface PipelineDefinition {
  readonly name: string;
  readonly mode: string;
  readonly cache: boolean;
  readonly runMode?: RunMode;
  readonly enforcement?: Enforcement;
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  readonly sandbox?: SandboxSetting;
  readonly description?: string;
  /** Output size limits, in bytes. */
  readonly limits?: OutputLimitsSetting;
  readonly source: string;
  readonly tasks: Readonly<Record<string, PipelineTask>>;
}

/**
 * Defines a pipeline and returns it frozen, defaults applied. Throws ERR_VALIDATION with every
 * problem `validatePipeline` finds without a registry; operators given as string refs are checked
 * when the engine validates against its registry (`assertValidPipeline(def, registry)`).
 */
export function definePipeline(spec: PipelineSpec): PipelineDefinition {
  const shape = pipelineSpecShapeIssues(spec);
  if (shape.length > 0) {
    const name = typeof (spec as { name?: unknown } | null)?.name === "string" ? spec.name : "(without a name)";
    throw validationError(shape, `pipeline ${name}`);
  }
  const { pipeline, issues } = buildPipeline(spec, "typescript");
  issues.push(...validatePipeline(pipeline));
  if (issues.length > 0) {
    throw validationError(issues, `pipeline ${spec.name}`);
  }
  return pipeline;
}

/**
 * Applies defaults and freezes, listing only the problems of converting values (a bad
 * `maxStaleness`) without throwing; the graph and operators are `validatePipeline`'s to check.
 */
export function buildPipeline(spec: PipelineSpec, source: string): { pipeline: PipelineDefinition; issues: Issue[] } {
  const issues: Issue[] = effectHandlerIssues(spec.effects);
  if (spec.enforcement !== undefined && !(ENFORCEMENTS as readonly unknown[]).includes(spec.enforcement)) {
    issues.push({ code: "ERR_SCHEMA", path: ["enforcement"], message: `enforcement ${JSON.stringify(spec.enforcement)}: expected shadow or enforced` });
  }
  const limits = readLimits(spec.limits, issues);
  if (spec.sandbox !== undefined && !(SANDBOX_SETTINGS as readonly unknown[]).includes(spec.sandbox)) {
    issues.push({ code: "ERR_SCHEMA", path: ["sandbox"], message: `sandbox ${JSON.stringify(spec.sandbox)}: expected on or off` });
  }
  const entries: [string, PipelineTask][] = [];
  for (const [name, task] of Object.entries(spec.tasks ?? {})) {
    let maxStalenessMs: number | undefined;
    if (task.maxStaleness !== undefined) {
      try {
        maxStalenessMs = parseDuration(task.maxStaleness);
      } catch (error) {
        issues.push({
          code: "ERR_SCHEMA",
          path: ["tasks", name, "maxStaleness"],
          message: error instanceof RunledgerError ? (error.detail ?? error.message) : String(error),
        });
      }
    }
    const built: PipelineTask = Object.freeze({
      name,
      operator: task.operator,
      needs: Object.freeze([...(task.needs ?? [])]),
      critical: task.critical ?? false,
      ...(task.retries !== undefined && { retries: task.retries }),
      params: Object.freeze({ ...task.params }),
      allowWarn: task.allowWarn ?? false,
      ...(maxStalenessMs !== undefined && { maxStalenessMs }),
    });
    entries.push([name, built]);
  }
  const pipeline: PipelineDefinition = Object.freeze({
    name: spec.name,
    mode: spec.mode ?? DEFAULT_PIPELINE_MODE,
    cache: spec.cache ?? true,
    ...(spec.runMode !== undefined && { runMode: spec.runMode }),
    ...(spec.enforcement !== undefined && { enforcement: spec.enforcement }),
    ...(spec.effects !== undefined && { effects: Object.freeze({ ...spec.effects }) }),
    ...(spec.sandbox !== undefined && { sandbox: spec.sandbox }),
    ...(spec.description !== undefined && { description: spec.description }),
    ...(limits !== undefined && { limits }),
    source,
    tasks: Object.freeze(Object.fromEntries(entries)),
  });
  return { pipeline, issues };
}

/** The limits in bytes, each problem pushed to `issues` at `limits.<field>`. */
function readLimits(limits: PipelineSpec["limits"], issues: Issue[]): OutputLimitsSetting | undefined {
  if (limits === undefined) return undefined;
  const read: { -readonly [K in keyof OutputLimits]?: number } = {};
  for (const [key, value] of Object.entries(limits as Record<string, unknown>)) {
    if (key !== "outputBytes" && key !== "attemptBytes") {
      issues.push({ code: "ERR_SCHEMA", path: ["limits", key], message: `unknown limit ${key}; expected outputBytes or attemptBytes` });
      continue;
    }
    try {
      read[key] = parseByteSize(value as string | number);
    } catch (error) {
      issues.push({ code: "ERR_SCHEMA", path: ["limits", key], message: error instanceof RunledgerError ? (error.detail ?? error.message) : String(error) });
    }
  }
  return Object.freeze(read);
}
