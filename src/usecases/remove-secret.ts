import { RunledgerError } from "../core/errors.js";
import { changeSecret, type SecretChanged, type SecretChangeInput, type SecretDeps } from "./change-secret.js";

/** Deletes a secret from the store; runs that declare it then fail with ERR_MISSING_SECRET. */
export function removeSecret(deps: SecretDeps, input: SecretChangeInput): Promise<SecretChanged> {
  return changeSecret(deps, input, (current) => {
    if (!current) throw new RunledgerError("ERR_USAGE", { detail: `no secret ${input.name}` });
    return Promise.resolve({ action: "secret_remove", state: "removed", version: current.version });
  });
}
