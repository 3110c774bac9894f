import { RunledgerError } from "../core/errors.js";
import { changeSecret, type SecretChanged, type SecretChangeInput, type SecretDeps } from "./change-secret.js";

/** Stores a new secret (version 1); one already set is ERR_USAGE. `readValue` is asked only once the change is allowed. */
export function setSecret(deps: SecretDeps, input: SecretChangeInput, readValue: () => Promise<string>): Promise<SecretChanged> {
  return changeSecret(deps, input, async (current) => {
    if (current)
      throw new RunledgerError("ERR_USAGE", {
        detail: `secret ${current.name} is already set (version ${current.version}); change it with runledger secret rotate ${current.name}`,
      });
    return { action: "secret_set", state: "set", version: 1, value: await readValue() };
  });
}
