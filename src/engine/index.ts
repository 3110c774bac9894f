export type { EngineDeps, TaskProgress } from "./attempt-context.js";
export { cacheKey, envFingerprint, inputsHash, INPUTS_HASH_SCHEMA, type InputRef } from "./cache-key.js";
export { runPipeline } from "./run-pipeline.js";
export { resumeRun } from "./resume-run.js";
export { completeTask, type TaskCompletion } from "./complete-task.js";
export { decideGate, type GateDecision } from "./decide-gate.js";
export type { ResumeOptions, RunOptions } from "./run-options.js";
export { attemptEnvelope } from "./attempt-envelope.js";
