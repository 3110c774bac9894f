import { readFile } from "node:fs/promises";
import type * as Yaml from "yaml";
import { z } from "zod";
import type { Issue, RunledgerError } from "../core/errors.js";
import { validationError } from "../core/validation-error.js";
import { lazyRequire } from "../core/lazy-require.js";
import { EnforcementSchema, RunModeSchema } from "../contracts/run-mode.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import { buildPipeline, DEFAULT_PIPELINE_MODE, SANDBOX_SETTINGS, type PipelineDefinition, type TaskSpec } from "./define-pipeline.js";
import { isYamlMapping, readYamlFields, type YamlFields } from "./read-yaml-fields.js";
import { readYamlFast, UNSUPPORTED } from "./read-yaml-fast.js";
import { readYamlTask } from "./read-yaml-task.js";
import { validatePipeline } from "./validate-pipeline.js";

const yaml = lazyRequire<typeof Yaml>("yaml");

/** Options of the YAML loaders. */
export interface LoadPipelineOptions {
  /** Resolve `operator:` references now, so unknown operators are reported with everything else. */
  readonly registry?: OperatorRegistry;
}

type Path = readonly (string | number)[];

/** Graph problems are never echoes of a shape problem, so they are always kept. */
const GRAPH_CODES: ReadonlySet<string> = new Set(["ERR_UNKNOWN_NEEDS", "ERR_DAG_CYCLE"]);

const PIPELINE_KEYS = {
  pipeline: z.string().min(1),
  mode: z.string().min(1),
  cache: z.boolean(),
  runMode: RunModeSchema,
  enforcement: EnforcementSchema,
  // YAML 1.2 reads `off` as a string; false (YAML 1.1's reading) is taken to mean the same.
  sandbox: z.union([z.enum(SANDBOX_SETTINGS), z.boolean().transform((on) => (on ? "on" : "off"))], { error: "expected on or off" }),
  description: z.string(),
  limits: z.record(z.string(), z.unknown()),
  // z.custom keeps the mapping as parsed, where z.record would drop a key named __proto__.
  tasks: z.custom<Readonly<Record<string, unknown>>>(isYamlMapping, "expected a mapping of task name to task"),
};

/**
 * Parses a YAML pipeline (format: docs/pipelines.md) into a frozen PipelineDefinition whose
 * `source` is `file`. Throws ERR_VALIDATION ("<n> problems in <file>") with every issue at once:
 * ERR_YAML for syntax (then nothing else is checked), otherwise shape issues (ERR_SCHEMA, unknown
 * keys with the closest known key) together with everything `validatePipeline` finds. Paths point
 * into the YAML (`tasks.total.retries`); each message ends with `(at <file>:<line>:<col>)`.
 */
export function loadPipelineYaml(text: string, file: string, options: LoadPipelineOptions = {}): PipelineDefinition {
  const parsed = parseYaml(text, file);
  const { fields, issues: shape } = readPipelineFields(parsed.value);
  const name = fields.pipeline ?? "";
  const mode = fields.mode ?? DEFAULT_PIPELINE_MODE;
  const tasks = readTasks(fields.tasks ?? {}, { name, mode }, shape);
  const { pipeline, issues: buildIssues } = buildPipeline(
    {
      name,
      mode,
      tasks,
      ...(fields.cache !== undefined && { cache: fields.cache }),
      ...(fields.runMode !== undefined && { runMode: fields.runMode }),
      ...(fields.enforcement !== undefined && { enforcement: fields.enforcement }),
      ...(fields.sandbox !== undefined && { sandbox: fields.sandbox }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(fields.limits !== undefined && { limits: fields.limits }),
    },
    file,
  );
  shape.push(...buildIssues);
  const later = validatePipeline(pipeline, options.registry)
    .map((issue) => ({ ...issue, path: yamlPath(issue.path) }))
    .filter((issue) => GRAPH_CODES.has(issue.code) || !shape.some((known) => startsWith(issue.path, known.path)));
  if (shape.length + later.length > 0) throw located(file, parsed, [...shape, ...later]);
  return pipeline;
}

/** A YAML document's plain value, and where in the file a path into it is: computed only when there is a problem to place. */
interface ParsedYaml {
  readonly value: unknown;
  readonly positions: () => YamlPositions;
}

/** A parsed YAML document and where an offset in it is in the file. */
interface YamlPositions {
  readonly doc: Yaml.Document;
  readonly where: (offset: number) => string;
}

/**
 * Parses the text. js-yaml reads it (read-yaml-fast.ts), and `yaml`, the full parser, runs again
 * for positions only when there is a problem to report; what js-yaml leaves to it is parsed by
 * `yaml`, whose syntax errors (or a value it cannot build) are ERR_YAML, and then nothing else is checked.
 */
function parseYaml(text: string, file: string): ParsedYaml {
  const simple = readYamlFast(text);
  if (simple !== UNSUPPORTED) {
    let positions: YamlPositions | undefined;
    return { value: simple.value, positions: () => (positions ??= parseDocument(text, file)) };
  }
  const positions = parseDocument(text, file);
  try {
    const value: unknown = positions.doc.toJS({ maxAliasCount: 1000 });
    return { value, positions: () => positions };
  } catch (error) {
    throw failure(file, [{ code: "ERR_YAML", path: [], message: `${error instanceof Error ? error.message : String(error)} (at ${positions.where(0)})` }]);
  }
}

/** The document model with positions; a syntax error is ERR_YAML. */
function parseDocument(text: string, file: string): YamlPositions {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error): Issue => ({ code: "ERR_YAML", path: [], message: `${error.message} (at ${where(error.pos[0])})` }));
    throw failure(file, issues);
  }
  return { doc, where };
}

/** The pipeline's own keys, with the shape issues of the file as a whole. */
function readPipelineFields(value: unknown): { fields: YamlFields<typeof PIPELINE_KEYS>; issues: Issue[] } {
  const issues: Issue[] = [];
  if (!isYamlMapping(value)) {
    issues.push({ code: "ERR_SCHEMA", path: [], message: "a pipeline file is a mapping with pipeline:, mode: and tasks:" });
  }
  const { fields, issues: fieldIssues } = readYamlFields(isYamlMapping(value) ? value : {}, PIPELINE_KEYS, []);
  issues.push(...fieldIssues);
  for (const key of ["pipeline", "tasks"] as const) {
    if (isYamlMapping(value) && !(key in value)) issues.push({ code: "ERR_SCHEMA", path: [key], message: `${key}: is required` });
  }
  return { fields, issues };
}

/** Reads every task, adding its shape issues to `issues`. */
function readTasks(
  raw: Readonly<Record<string, unknown>>,
  pipeline: { readonly name: string; readonly mode: string },
  issues: Issue[],
): Record<string, TaskSpec> {
  const entries: [string, TaskSpec][] = [];
  for (const [taskName, value] of Object.entries(raw)) {
    const { task, issues: taskIssues } = readYamlTask(taskName, value, pipeline);
    entries.push([taskName, task]);
    issues.push(...taskIssues);
  }
  // fromEntries defines own properties, so even a task named __proto__ stays a task and is reported.
  return Object.fromEntries(entries);
}

/** The failure listing every issue in file order, so the report reads top to bottom like the YAML. */
function located(file: string, parsed: ParsedYaml, issues: readonly Issue[]): RunledgerError {
  const { doc, where } = parsed.positions();
  const placed = issues.map((issue) => ({ issue, offset: offsetOf(doc, issue.path) })).sort((a, b) => a.offset - b.offset);
  return failure(
    file,
    placed.map(({ issue, offset }) => ({ ...issue, message: `${issue.message} (at ${where(offset)})` })),
  );
}

/** Reads and loads a YAML pipeline file; see `loadPipelineYaml`. */
export async function loadPipelineFile(path: string, options: LoadPipelineOptions = {}): Promise<PipelineDefinition> {
  return loadPipelineYaml(await readFile(path, "utf8"), path, options);
}

function failure(file: string, issues: readonly Issue[]): RunledgerError {
  return validationError(issues, file);
}

/** Renames the definition's keys to the YAML keys they come from (`name` → `pipeline`, an inline operator's `command` → `run`, `steps` → `manual.steps`). */
function yamlPath(path: Path): Path {
  if (path[0] === "name") return ["pipeline", ...path.slice(1)];
  if (path[0] === "tasks" && path[2] === "command") return [...path.slice(0, 2), "run", ...path.slice(3)];
  if (path[0] === "tasks" && (path[2] === "steps" || path[2] === "by")) return [...path.slice(0, 2), "manual", ...path.slice(2)];
  return path;
}

/** Whether `path` equals `prefix` or lies under it: a problem already reported there is not reported twice. */
function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => String(part) === String(path[i]));
}

/** The source offset of the deepest node on `path` that exists; for a mapping entry, its key. */
function offsetOf(doc: Yaml.Document, path: Path): number {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (pair === undefined) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item: unknown = node.items[part];
      if (item === undefined) break;
      offset = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
