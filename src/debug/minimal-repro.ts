import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { MinimalRepro } from "../contracts/debug-packet.js";
import { attemptDir } from "../engine/run-attempt.js";
import type { Ledger } from "../ledger/ledger.js";
import type { AttemptView, ProjectionState, RunView } from "../ledger/projections/projection-state.js";
import type { PipelineDefinition } from "../pipelines/define-pipeline.js";
import { loadPipelineSource } from "../pipelines/load-pipeline-source.js";
import { pipelineDigest } from "../pipelines/plan.js";
import { readReceipt } from "./debug-context.js";
import { describeCheckFailure } from "./describe-check-failure.js";
import { runCommandLine } from "./run-command-line.js";
import { shellQuote } from "./shell-quote.js";

/** What building a minimal repro reads. */
export interface ReproSources {
  readonly state: ProjectionState;
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  /** Where attempts work (`.runledger/work`); a failed attempt's directory is kept there. */
  readonly workRoot: string;
}

/**
 * The minimal repro of a failed run (seed 000: commands, inputs, expected vs actual), from the
 * ledger and the receipts: the `runledger run …` line that requests the run again as it was, and
 * for each failed command task its own command in its kept attempt directory (when the pipeline
 * file still has the digest the run recorded); the params and each failed task's input digests;
 * expected: the checks that failed, by name, passing; actual: their failure messages, or the
 * operator's error when it failed before its checks.
 */
export async function minimalRepro(sources: ReproSources, run: RunView): Promise<MinimalRepro> {
  const failed = Object.values(run.tasks)
    .filter((t) => t.outcome === "FAILED")
    .map((t) => ({ task: t.name, attempt: sources.state.attempts[t.attempts.at(-1) ?? ""] }))
    .filter((t): t is { task: string; attempt: AttemptView } => t.attempt !== undefined);
  const evidence = await checkEvidence(sources.ledger, new Set(failed.map((f) => f.attempt.attempt_id)));
  const pipeline = await samePipeline(run);
  const commands: string[] = [];
  const runLine = runCommandLine(run);
  if (runLine !== null) commands.push(runLine);
  const expected: string[] = [];
  const actual: string[] = [];
  const tasks: Record<string, Record<string, string>> = {};
  const workdirs: Record<string, string> = {};
  for (const { task, attempt } of failed) {
    const receipt = attempt.receipt_digest ? await readReceipt(sources.artifacts, attempt.receipt_digest).catch(() => undefined) : undefined;
    tasks[task] = Object.fromEntries((receipt?.inputs ?? []).map((i) => [`${i.task}/${i.path}`, i.digest]));
    const dir = attemptDir(sources.workRoot, run.id, task, attempt.attempt_number);
    const line = pipeline ? taskCommandLine(pipeline, run, task, dir) : null;
    if (line !== null) {
      commands.push(line);
      workdirs[task] = dir;
    }
    const failedChecks = attempt.checks.filter((c) => c.result === "FAIL");
    if (failedChecks.length > 0) {
      for (const check of failedChecks) {
        expected.push(`${task}: check ${check.name} passes`);
        actual.push(`${task}: check ${check.name} FAIL: ${describeCheckFailure(evidence.get(`${attempt.attempt_id}\0${check.name}`))}`);
      }
    } else {
      expected.push(`${task}: the operator completes and writes its declared outputs`);
      const stderr = receipt?.stderr?.tail.trim().split("\n").slice(-3).join(" | ");
      actual.push(`${task}: ${attempt.error_code ?? "failed"}: ${attempt.reason ?? "no reason recorded"}${stderr ? `; stderr: ${stderr}` : ""}`);
    }
  }
  const note =
    run.source !== null && pipeline === undefined ? { note: "the pipeline file changed or cannot be loaded since the run: task commands left out" } : {};
  return { commands, inputs: { params: { ...run.params }, tasks, workdirs, ...note }, expected: expected.join("\n"), actual: actual.join("\n") };
}

/** The evidence of each check.evaluated event of the given attempts, by attempt id and check name. */
async function checkEvidence(ledger: Ledger, attempts: ReadonlySet<string>): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  if (attempts.size === 0) return found;
  for await (const event of ledger.read({ types: ["check.evaluated"] })) {
    if (event.type === "check.evaluated" && attempts.has(event.data.attempt_id)) found.set(`${event.data.attempt_id}\0${event.data.name}`, event.data.evidence);
  }
  return found;
}

/** The run's pipeline file, when it still exists, loads, and has the digest the run recorded. */
async function samePipeline(run: RunView): Promise<PipelineDefinition | undefined> {
  if (run.source === null || !existsSync(run.source)) return undefined;
  try {
    const def = await loadPipelineSource(run.source);
    return run.pipeline_digest === null || pipelineDigest(def) === run.pipeline_digest ? def : undefined;
  } catch {
    return undefined;
  }
}

/** A command task's own command, run in its kept attempt directory with the env it ran with. */
function taskCommandLine(def: PipelineDefinition, run: RunView, task: string, dir: string): string | null {
  const operator = def.tasks[task]?.operator;
  if (typeof operator !== "object" || operator.kind !== "command") return null;
  const argv = run.run_mode === "mock" && operator.mockCommand ? operator.mockCommand : operator.command;
  if (!argv || argv.length === 0) return null;
  const env: Record<string, string> = { ...operator.env };
  for (const key of Object.keys(env)) if (run.params[key] !== undefined) env[key] = run.params[key];
  env["RUNLEDGER_PIPELINE_DIR"] = dirname(def.source);
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `cd ${shellQuote(dir)} && env ${assignments.join(" ")} ${argv.map(shellQuote).join(" ")}`;
}
