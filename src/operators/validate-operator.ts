import type { Issue } from "../core/errors.js";
import { CONFIG_NAME } from "../configs/config-files.js";
import { checkSpecIssues } from "./check-spec.js";
import { normalizeOutputPath } from "./normalize-output-path.js";
import type { OperatorDefinition } from "./operator-definition.js";

type Path = readonly (string | number)[];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every broken invariant of an operator, as issues whose paths start with `base` and name the
 * author-facing keys (`timeout`, `checks`, `outputs`, …): no work mode (ERR_MODE_ILLEGAL), no
 * check (ERR_NO_CHECK), an invalid check (ERR_CHECK_INVALID), no positive whole-millisecond
 * timebox (ERR_NO_TIMEBOX), an output outside `outputs/` (ERR_OUTPUT_OUTSIDE), two outputs equal
 * after normalization (ERR_OUTPUT_DUPLICATE), and shape errors (ERR_SCHEMA): a function without
 * `run`, a command without argv, a manual operator without steps, outputs or distinct output file
 * names, or with a body, bad retries, env names that are invalid or reserved (RUNLEDGER_*).
 */
export function validateOperator(op: OperatorDefinition, base: Path = []): Issue[] {
  const at: At = (...rest) => [...base, ...rest];
  const name = `operator ${op.ref}`;
  return [
    ...kindIssues(op, at, name),
    ...modeIssues(op, at, name),
    ...outputIssues(op, at, name),
    ...checkIssues(op, at, name),
    ...limitIssues(op, at, name),
    ...environmentIssues(op, at, name),
  ];
}

/** Builds an issue path under the operator's base path. */
type At = (...rest: (string | number)[]) => (string | number)[];

/** The body each kind needs and the fields that belong to another kind. */
function kindIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  if (op.kind === "function" && typeof op.run !== "function") {
    issues.push({ code: "ERR_SCHEMA", path: at("run"), message: `${name} is a function operator without a run function` });
  }
  if (op.kind === "function" && op.command !== undefined) {
    issues.push({ code: "ERR_SCHEMA", path: at("command"), message: `${name} is a function operator; a command belongs to kind command` });
  }
  if (op.kind === "command") issues.push(...commandIssues(op, at, name));
  if (op.kind === "manual") issues.push(...manualIssues(op, at, name));
  else if (op.steps !== undefined || op.by !== undefined) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at(op.steps !== undefined ? "steps" : "by"),
      message: `${name} is a ${String(op.kind)} operator; steps and by belong to kind manual`,
    });
  }
  if (op.kind !== "function" && op.kind !== "command" && op.kind !== "manual") {
    issues.push({ code: "ERR_SCHEMA", path: at("kind"), message: `${name} has kind ${String(op.kind)}; expected function, command or manual` });
  }
  return issues;
}

function commandIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  const argv = op.command;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((arg) => typeof arg === "string") || argv[0] === "") {
    issues.push({ code: "ERR_SCHEMA", path: at("command"), message: `${name} is a command operator without a command (a non-empty argv)` });
  }
  if (op.run !== undefined) {
    issues.push({ code: "ERR_SCHEMA", path: at("run"), message: `${name} is a command operator; give a mock provider as mock, not run` });
  }
  return issues;
}

function modeIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  if (op.modes.length > 0) return [];
  return [{ code: "ERR_MODE_ILLEGAL", path: at("modes"), message: `${name} is legal in no work mode; list at least one in modes` }];
}

/** Every output inside `outputs/`, none twice once normalized. */
function outputIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  op.outputs.forEach((output, i) => {
    const normal = normalizeOutputPath(output);
    if (normal === undefined) {
      issues.push({
        code: "ERR_OUTPUT_OUTSIDE",
        path: at("outputs", i),
        message: `${name} declares output ${JSON.stringify(output)} outside outputs/; declare a relative path such as outputs/result.json`,
      });
      return;
    }
    const first = seen.get(normal);
    if (first === undefined) seen.set(normal, i);
    else issues.push({ code: "ERR_OUTPUT_DUPLICATE", path: at("outputs", i), message: `${name} declares output ${normal} twice (outputs ${first} and ${i})` });
  });
  return issues;
}

function checkIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  if (op.checks.length === 0) {
    issues.push({ code: "ERR_NO_CHECK", path: at("checks"), message: `${name} has no acceptance check; add one, e.g. { nonEmpty: outputs/result.txt }` });
  }
  op.checks.forEach((check, i) => issues.push(...checkSpecIssues(check, at("checks", i))));
  return issues;
}

/** A positive whole-millisecond timebox and a whole number of retries. */
function limitIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  if (!Number.isSafeInteger(op.timeoutMs) || op.timeoutMs <= 0) {
    const why = op.timeoutMs === 0 ? "set timeout" : `timeout ${String(op.timeoutMs)} is not a positive duration`;
    issues.push({ code: "ERR_NO_TIMEBOX", path: at("timeout"), message: `${name} has no timebox: ${why}, e.g. timeout: "30s"` });
  }
  if (!Number.isSafeInteger(op.retries) || op.retries < 0) {
    issues.push({ code: "ERR_SCHEMA", path: at("retries"), message: `${name} has retries ${String(op.retries)}; expected a whole number ≥ 0` });
  }
  return issues;
}

/** What reaches the process: env names, secrets (passed as env, so the same names) and config files. */
function environmentIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(op.env)) {
    if (!ENV_NAME.test(key) || key.startsWith("RUNLEDGER_")) {
      const why = ENV_NAME.test(key) ? "RUNLEDGER_* variables are set by runledger" : "expected letters, digits and _, not starting with a digit";
      issues.push({ code: "ERR_SCHEMA", path: at("env", key), message: `${name} declares env ${JSON.stringify(key)}: ${why}` });
    } else if (typeof value !== "string") {
      issues.push({ code: "ERR_SCHEMA", path: at("env", key), message: `${name} declares env ${key} with a non-string value` });
    }
  }
  op.secrets.forEach((secret, i) => {
    if (!ENV_NAME.test(secret) || secret.startsWith("RUNLEDGER_")) {
      issues.push({
        code: "ERR_SCHEMA",
        path: at("secrets", i),
        message: `${name} declares secret ${JSON.stringify(secret)}: a command receives it as an environment variable, so expected letters, digits and _ (not RUNLEDGER_*)`,
      });
    } else if (Object.hasOwn(op.env, secret)) {
      issues.push({ code: "ERR_SCHEMA", path: at("secrets", i), message: `${name} declares ${secret} both as env and as a secret; keep one` });
    }
  });
  for (const [config, path] of Object.entries(op.configs ?? {})) {
    if (!CONFIG_NAME.test(config))
      issues.push({
        code: "ERR_SCHEMA",
        path: at("configs", config),
        message: `${name} declares config ${JSON.stringify(config)}: expected letters, digits, '.', '_' or '-' (it becomes a file name)`,
      });
    else if (typeof path !== "string" || path === "")
      issues.push({ code: "ERR_SCHEMA", path: at("configs", config), message: `${name} declares config ${config} without a file path` });
  }
  return issues;
}

/**
 * A manual operator's own invariants: a non-empty list of non-empty steps, a performer of human or
 * llm, no body or command (nothing runs), and at least one declared output with distinct file
 * names, since `runledger complete` maps each evidence file to an output by its file name.
 */
function manualIssues(op: OperatorDefinition, at: At, name: string): Issue[] {
  const issues: Issue[] = [];
  const steps: unknown = op.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at("steps"),
      message: `${name} is a manual operator without steps; list what the person or LLM does, e.g. steps: ["contact each lead"]`,
    });
  } else {
    steps.forEach((step: unknown, i) => {
      if (typeof step !== "string" || step.trim() === "")
        issues.push({ code: "ERR_SCHEMA", path: at("steps", i), message: `${name}: step ${i + 1} must be a non-empty line of text` });
    });
  }
  if (op.by !== undefined && op.by !== "human" && op.by !== "llm") {
    issues.push({ code: "ERR_SCHEMA", path: at("by"), message: `${name} has by ${JSON.stringify(op.by)}; expected human or llm` });
  }
  for (const key of ["run", "command", "mock", "mockCommand"] as const) {
    if (op[key] !== undefined) issues.push({ code: "ERR_SCHEMA", path: at(key), message: `${name} is a manual operator; nothing runs, so it takes no ${key}` });
  }
  if (op.outputs.length === 0) {
    issues.push({
      code: "ERR_SCHEMA",
      path: at("outputs"),
      message: `${name} is a manual operator without outputs; declare the evidence files it records, e.g. outputs: [outputs/touches.csv]`,
    });
  }
  const byFile = new Map<string, number>();
  op.outputs.forEach((output, i) => {
    const file = output.slice(output.lastIndexOf("/") + 1);
    const first = byFile.get(file);
    if (first === undefined) byFile.set(file, i);
    else if (op.outputs[first] !== output)
      issues.push({
        code: "ERR_SCHEMA",
        path: at("outputs", i),
        message: `${name} declares two outputs named ${file}; evidence files are matched to outputs by file name, so give them distinct names`,
      });
  });
  return issues;
}
