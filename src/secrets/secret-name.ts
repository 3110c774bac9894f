import { RunledgerError } from "../core/errors.js";

/** A secret's name: an environment variable name, since a command receives the value as one. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns the name, or throws ERR_VALIDATION for one that is not an env-var-like identifier or is reserved (RUNLEDGER_*). */
export function parseSecretName(name: string): string {
  if (!SECRET_NAME.test(name)) {
    throw new RunledgerError("ERR_VALIDATION", {
      detail: `secret name ${JSON.stringify(name)}: expected letters, digits and _, not starting with a digit (an environment variable name)`,
    });
  }
  if (name.startsWith("RUNLEDGER_")) throw new RunledgerError("ERR_VALIDATION", { detail: `secret name ${name}: RUNLEDGER_* variables are set by runledger` });
  return name;
}
