import type { RunMode } from "../contracts/run-mode.js";
import { RunledgerError } from "../core/errors.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import { createRedactor, type Redactor } from "./redact.js";
import type { SecretSource } from "./secret-source.js";

/** What a function operator reads its declared secrets through (`ctx.secrets`). */
export interface SecretAccessor {
  /** The value of a declared secret; ERR_SECRET_UNDECLARED for a name the operator did not declare. */
  get(name: string): string;
}

/** One attempt's secrets: the env a command receives, the accessor a function receives, and the redactor for everything written. */
export interface AttemptSecrets {
  readonly env: Readonly<Record<string, string>>;
  readonly accessor: SecretAccessor;
  readonly redactor: Redactor;
  /** The version of each secret given, where the source keeps versions: for the receipt, never a value. */
  readonly versions: readonly { readonly name: string; readonly version: number }[];
}

/** An attempt with no secrets: nothing injected, and a redactor that still masks URL credentials and Authorization headers. */
export const NO_SECRETS: AttemptSecrets = { env: {}, accessor: accessorFor({}, [], "real"), redactor: createRedactor([]), versions: [] };

/**
 * Reads the operator's declared secrets for one attempt, at execution only. A `mock` run reads
 * none. A declared secret the source lacks fails with ERR_MISSING_SECRET before the operator starts.
 */
export async function attemptSecrets(
  source: SecretSource | undefined,
  operator: Pick<OperatorDefinition, "ref" | "secrets">,
  runMode: RunMode,
): Promise<AttemptSecrets> {
  if (runMode === "mock" || operator.secrets.length === 0) return { ...NO_SECRETS, accessor: accessorFor({}, operator.secrets, runMode) };
  const values: Record<string, string> = {};
  const versions: { name: string; version: number }[] = [];
  const missing: string[] = [];
  for (const name of operator.secrets) {
    const found = await readSecret(source, name);
    if (found === undefined) missing.push(name);
    else values[name] = found.value;
    if (found?.version !== undefined) versions.push({ name, version: found.version });
  }
  if (missing.length > 0) throw new RunledgerError("ERR_MISSING_SECRET", { detail: `operator ${operator.ref} needs ${missing.join(", ")}` });
  return { env: values, accessor: accessorFor(values, operator.secrets, runMode), redactor: createRedactor(Object.values(values)), versions };
}

/** A secret's value, with its version where the source keeps versions. */
async function readSecret(source: SecretSource | undefined, name: string): Promise<{ value: string; version?: number } | undefined> {
  if (source?.read) return source.read(name);
  const value = await source?.get(name);
  return value === undefined ? undefined : { value };
}

/**
 * The pre-run check of a `real` run: every secret each task declares is set, or the run fails
 * with ERR_MISSING_SECRET (naming tasks and secrets, never values) before anything is recorded.
 */
export async function assertSecretsSet(
  tasks: readonly { readonly task: string; readonly operator: Pick<OperatorDefinition, "secrets"> }[],
  source: SecretSource | undefined,
): Promise<void> {
  const missing: string[] = [];
  for (const { task, operator } of tasks) {
    for (const name of operator.secrets) if (!(await source?.has(name))) missing.push(`${name} (task ${task})`);
  }
  if (missing.length > 0) throw new RunledgerError("ERR_MISSING_SECRET", { detail: missing.join(", ") });
}

function accessorFor(values: Readonly<Record<string, string>>, declared: readonly string[], runMode: RunMode): SecretAccessor {
  return {
    get(name: string): string {
      if (!declared.includes(name)) throw new RunledgerError("ERR_SECRET_UNDECLARED", { detail: `${name}; declare it in the operator's secrets` });
      const value = values[name];
      if (value === undefined) throw new RunledgerError("ERR_MISSING_SECRET", { detail: runMode === "mock" ? `${name}: a mock run reads no secrets` : name });
      return value;
    },
  };
}
