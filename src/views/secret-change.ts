import type { SecretChange } from "../contracts/secret-info.js";
import { RunledgerError } from "../core/errors.js";

/** A secret as a change left it: a new value carries when and by whom it was set; a removal does not. */
export interface ChangedSecret {
  readonly name: string;
  readonly version: number;
  readonly state: SecretChange["state"];
  readonly set_at_utc?: string | undefined;
  readonly set_by?: Extract<SecretChange, { set_by: unknown }>["set_by"] | undefined;
}

/** A secret change as `secret set|rotate|remove` prints it. */
export function secretChangeView(changed: ChangedSecret): SecretChange {
  const { name, version, state, set_at_utc, set_by } = changed;
  if (state === "removed") return { name, version, state };
  if (set_at_utc === undefined || set_by === undefined)
    throw new RunledgerError("ERR_INTERNAL", { detail: `secret ${name} was ${state} without when and by whom` });
  return { name, version, set_at_utc, set_by, state };
}
