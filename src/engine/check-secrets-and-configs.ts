import { configIssues } from "../configs/config-files.js";
import { RunledgerError } from "../core/errors.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { assertSecretsSet } from "../secrets/attempt-secrets.js";
import type { SecretSource } from "../secrets/secret-source.js";
import type { RunMode } from "../contracts/run-mode.js";

/**
 * The pre-run checks of seed 004's config and secrets posture, before anything is recorded or
 * started: every declared config is a readable file (ERR_VALIDATION), and for a `real` run every
 * declared secret is set (ERR_MISSING_SECRET). A mock run reads no secrets, so it checks none.
 */
export async function checkSecretsAndConfigs(
  def: PipelineDefinition,
  context: { readonly runMode: RunMode; readonly secrets: SecretSource | undefined; readonly baseDir: string; resolve(task: PipelineTask): OperatorDefinition },
): Promise<void> {
  const tasks = Object.values(def.tasks).map((task) => ({ task: task.name, operator: context.resolve(task) }));
  const issues = configIssues(
    tasks.map(({ task, operator }) => ({ task, configs: operator.configs })),
    context.baseDir,
  );
  if (issues.length > 0)
    throw new RunledgerError("ERR_VALIDATION", {
      detail: `${issues.length} missing config file${issues.length === 1 ? "" : "s"} in pipeline ${def.name}`,
      issues,
    });
  if (context.runMode === "real") await assertSecretsSet(tasks, context.secrets);
}
