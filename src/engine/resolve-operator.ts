import type { OperatorDefinition } from "../operators/operator-definition.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition, PipelineTask } from "../pipelines/define-pipeline.js";

/** The task's operator: defined in code, or found by its ref (validation made sure it is there). */
export function resolveOperator(task: PipelineTask, registry: OperatorRegistry | undefined): OperatorDefinition {
  if (typeof task.operator !== "string") return task.operator;
  const found = registry?.resolve(task.operator);
  if (!found) throw new Error(`operator ${task.operator} vanished after validation`);
  return found;
}

/** The ref of every task's operator. */
export function operatorRefs(def: PipelineDefinition, registry: OperatorRegistry | undefined): string[] {
  return Object.values(def.tasks).map((task) => resolveOperator(task, registry).ref);
}
