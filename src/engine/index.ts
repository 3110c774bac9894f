export type { EngineDeps, TaskProgress } from "./attempt-context.js";
export { cacheKey, envFingerprint, inputsHash, INPUTS_HASH_SCHEMA, type InputRef } from "./cache-key.js";
export { completeTask, decideGate, resumeRun, runPipeline, type ResumeOptions, type RunOptions } from "./run-pipeline.js";
export { attemptEnvelope } from "./attempt-envelope.js";
