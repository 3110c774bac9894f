import { RunledgerError, type Issue } from "../core/errors.js";
import type { ModeRegistry } from "../modes/mode-registry.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";
import { validationError } from "../core/validation-error.js";
import type { RunMode } from "../contracts/run-mode.js";

/**
 * The run-mode rules of seed 002, checked before anything is recorded or started: with `ci`, a
 * `real` run of a pipeline that declares any external effect or secret fails with ERR_CI_SAFETY
 * (a pipeline with neither is hermetic and runs); a `mock` run needs a mock provider for every
 * operator that declares effects or secrets (ERR_NO_MOCK), since mock runs read no secrets and
 * reach nothing external. Also rejects evidence items no work mode knows.
 */
export function checkRunModes(
  def: PipelineDefinition,
  context: { readonly runMode: RunMode; readonly ci: boolean; readonly modes: ModeRegistry; resolve(task: PipelineTask): OperatorDefinition },
): void {
  const operators = Object.values(def.tasks).map((task) => ({ task: task.name, op: context.resolve(task) }));
  const external = operators.filter(({ op }) => op.effects.length > 0 || op.secrets.length > 0);
  if (context.ci && context.runMode === "real" && external.length > 0) {
    const what = external.map(({ task, op }) => `${task} (${[...op.effects.map((e) => `effect ${e}`), ...op.secrets.map((s) => `secret ${s}`)].join(", ")})`);
    throw new RunledgerError("ERR_CI_SAFETY", {
      detail: `pipeline ${def.name} declares external effects or secrets: ${what.join("; ")}; run it with --run-mode mock`,
    });
  }
  const issues: Issue[] = [];
  for (const { task, op } of operators) {
    op.evidence.forEach((item, i) => {
      if (!context.modes.evidenceItem(item)) {
        issues.push({
          code: "ERR_SCHEMA",
          path: ["tasks", task, "evidence", i],
          message: `operator ${op.ref} declares evidence ${JSON.stringify(item)}, which no work mode lists; see \`runledger modes\``,
        });
      }
    });
  }
  if (context.runMode === "mock") {
    for (const { task, op } of external) {
      if (op.mock === undefined && op.mockCommand === undefined) {
        issues.push({
          code: "ERR_NO_MOCK",
          path: ["tasks", task, "mock"],
          message: `operator ${op.ref} declares effects or secrets and has no mock provider; give it one to run --run-mode mock`,
        });
      }
    }
  }
  if (issues.length > 0) throw validationError(issues, `pipeline ${def.name} for a ${context.runMode} run in mode ${def.mode}`);
}
