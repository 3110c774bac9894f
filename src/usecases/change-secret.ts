import type { Clock } from "../core/clock.js";
import { RunledgerError } from "../core/errors.js";
import { adminEvent } from "../governance/admin-event.js";
import { parseSecretName } from "../secrets/secret-name.js";
import type { SecretInfo, SecretStore } from "../secrets/secret-store.js";
import type { RecordDeps } from "./deps.js";

/** The secret store's I/O and the mask the new value joins; the use cases decide, the store writes. */
export interface SecretDeps extends RecordDeps {
  readonly store: Pick<SecretStore, "describe" | "stage" | "remove">;
  readonly mask: { learn(values: Iterable<string>): void };
  readonly clock: Clock;
}

/** A secret change as requested: its name (checked) and the audited reason. */
export interface SecretChangeInput {
  readonly name: string;
  readonly reason: string | undefined;
}

/** What a change does, decided from the secret's current state. */
export interface SecretChange {
  readonly action: "secret_set" | "rotate_secret" | "secret_remove";
  readonly state: "set" | "rotated" | "removed";
  readonly version: number;
  /** The new value; absent for a removal. */
  readonly value?: string;
}

/** The secret as changed: name, version and state; with when and by whom for a new value. */
export type SecretChanged = { name: string; version: number; state: SecretChange["state"] } & Partial<Omit<SecretInfo, "name" | "version">>;

/** Checks the name and the reason before anything is read: ERR_USAGE for a bad name, ERR_REASON_REQUIRED for a blank reason. */
export function secretChangeInput(rawName: string, reason: string | undefined): SecretChangeInput {
  const name = parseSecretName(rawName);
  if ((reason?.trim() ?? "") === "") throw new RunledgerError("ERR_REASON_REQUIRED", { detail: `secret changes need --reason "…"` });
  return { name, reason };
}

/**
 * One audited change: decides it from the current state, stages the new value privately, records
 * the admin event (name and version only), then makes the value current. A failure before the
 * event leaves the store as it was.
 */
export async function changeSecret(
  deps: SecretDeps,
  input: SecretChangeInput,
  decide: (current: SecretInfo | undefined) => Promise<SecretChange>,
): Promise<SecretChanged> {
  const { name } = secretChangeInput(input.name, input.reason);
  const current = await deps.store.describe(name);
  const next = await decide(current);
  const before = current && { name, version: current.version };
  const after = { name, version: next.version, state: next.state };
  const event = adminEvent(deps.project, deps.actor, {
    action_type: next.action,
    reason: input.reason,
    targets: [{ kind: "secret", id: name }],
    ...(before ? { before } : {}),
    after,
    result: "applied",
  });
  if (next.value === undefined) {
    await deps.ledger.append([event]);
    await deps.store.remove(name);
    return after;
  }
  const info: SecretInfo = { name, version: next.version, set_at_utc: deps.clock.now().toISOString(), set_by: deps.actor };
  const staged = await deps.store.stage(info, next.value);
  // Masked from here on: in the reason of the event below too.
  deps.mask.learn([next.value]);
  try {
    await deps.ledger.append([event]);
  } catch (error) {
    await staged.abort();
    throw error;
  }
  await staged.commit();
  return { ...info, state: next.state };
}
