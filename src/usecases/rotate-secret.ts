import { RunledgerError } from "../core/errors.js";
import { changeSecret, type SecretChanged, type SecretChangeInput, type SecretDeps } from "./change-secret.js";

/** Replaces a secret's value with a new version; a secret never set is ERR_USAGE. */
export function rotateSecret(deps: SecretDeps, input: SecretChangeInput, readValue: () => Promise<string>): Promise<SecretChanged> {
  return changeSecret(deps, input, async (current) => {
    if (!current) throw new RunledgerError("ERR_USAGE", { detail: `no secret ${input.name}; set it first with runledger secret set ${input.name}` });
    return { action: "rotate_secret", state: "rotated", version: current.version + 1, value: await readValue() };
  });
}
