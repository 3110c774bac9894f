// The public API of runledger, as explicit named exports by area.
export * from "./core/index.js";
export * from "./contracts/index.js";
export * from "./ledger/index.js";
export { SqliteLedgerStore, type SqliteLedgerOptions } from "./ledger/sqlite/index.js";
export { PostgresLedgerStore } from "./ledger/postgres/index.js";
export * from "./artifacts/index.js";
export * from "./workspace/index.js";
export * from "./checks/index.js";
export * from "./operators/index.js";
export {
  DEFAULT_PIPELINE_MODE,
  DEFAULT_TASK_TIMEOUT_MS,
  DurationSchema,
  assertValidPipeline,
  definePipeline,
  loadPipelineFile,
  loadPipelineSource,
  loadPipelineYaml,
  pipelineDigest,
  planPipeline,
  validatePipeline,
  type EffectCallContext,
  type EffectExecute,
  type EffectHandler,
  type LoadPipelineOptions,
  type PipelineDefinition,
  type PipelineSpec,
  type PipelineTask as PipelineTaskDefinition,
  type Plan,
  type TaskSpec,
} from "./pipelines/index.js";
export * from "./engine/index.js";
export * from "./modes/index.js";
export * from "./debug/index.js";
export * from "./secrets/index.js";
export * from "./configs/index.js";
