export { checkKindOf, checkSpecIssues } from "./check-spec.js";
export { compareVersions } from "./compare-versions.js";
export { DEFAULT_OPERATOR_MODES, defineOperator } from "./define-operator.js";
export type { OperatorSpec } from "./define-operator.js";
export { normalizeOutputPath } from "./normalize-output-path.js";
export { operatorCodeDigest } from "./operator-code-digest.js";
export type { EffectsClient, ManualPerformer, OperatorContext, OperatorDefinition, OperatorFn, OperatorKind, OperatorResult } from "./operator-definition.js";
export { OperatorRegistry } from "./operator-registry.js";
export { validateOperator } from "./validate-operator.js";
