import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { RunledgerError } from "../core/errors.js";
import type { PipelineDefinition } from "./define-pipeline.js";
import { loadPipelineFile, type LoadPipelineOptions } from "./load-yaml.js";
import { assertReadableFile } from "./readable-file.js";
import { pipelineDefinitionShapeIssues } from "./pipeline-spec-shape.js";
import { assertValidPipeline } from "./validate-pipeline.js";

const MODULE_EXTENSIONS = new Set([".js", ".mjs"]);

/**
 * Loads the pipeline a file defines: a YAML file (docs/pipelines.md), or an ES module (`.js`,
 * `.mjs`) whose default export is a `definePipeline(…)` result, so operators written in code (and
 * their mock providers) run from the CLI. The definition's `source` is the file, so `resume` can
 * load it again. A missing or unreadable file fails with ERR_FILE_NOT_FOUND, a directory or any
 * other extension with ERR_USAGE, a module that exports no pipeline with ERR_SCHEMA.
 */
export async function loadPipelineSource(path: string, options: LoadPipelineOptions = {}): Promise<PipelineDefinition> {
  assertReadableFile("pipeline file", path, "; name a pipeline file (.yaml, .yml, .js or .mjs)");
  const ext = extname(path);
  if (ext === ".yaml" || ext === ".yml") return loadPipelineFile(path, options);
  if (!MODULE_EXTENSIONS.has(ext)) throw new RunledgerError("ERR_USAGE", { detail: `${path}: expected a pipeline file ending in .yaml, .yml, .js or .mjs` });
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (cause) {
    if (cause instanceof RunledgerError) throw cause;
    throw new RunledgerError("ERR_USAGE", { detail: `cannot load ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
  }
  const def = module.default;
  const issues = typeof def === "object" && def !== null ? pipelineDefinitionShapeIssues(def) : [];
  if (typeof def !== "object" || def === null || issues.length > 0) {
    throw new RunledgerError("ERR_SCHEMA", { detail: `${path} must export default definePipeline({ … })`, issues });
  }
  return assertValidPipeline(Object.freeze({ ...(def as PipelineDefinition), source: path }), options.registry);
}
