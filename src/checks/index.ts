export * from "./check-context.js";
export * from "./check-result.js";
export * from "./check-spec.js";
export { DEFAULT_COMMAND_TIMEOUT_MS, evaluateCheck, evaluateChecks } from "./evaluate-check.js";
export { parseCheckSpec, rowFormatOf } from "./parse-check-spec.js";
export type { ParsedCheck, RowFormat } from "./parse-check-spec.js";
export { compileRowExpression, toFiltrexSyntax } from "./compile-row-expression.js";
export type { RowPredicate } from "./compile-row-expression.js";
export { summarizeVerdict } from "./summarize-verdict.js";
