import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { newToken, tokenHash, type AccessState, type GrantRecord } from "../governance/access.js";
import { adminEvent } from "../governance/admin-event.js";
import type { Role } from "../governance/roles.js";
import type { RecordDeps } from "./deps.js";

export interface AccessDeps extends RecordDeps {
  readAccess(): Promise<AccessState>;
}

/**
 * Gives an actor a role with a fresh token, recorded (as its hash only) in an access_grant admin
 * event. The first grant must be admin, so that someone can grant and revoke afterwards. The token
 * is returned once and never stored.
 */
export async function grantAccess(
  deps: AccessDeps,
  input: { readonly actor: Actor; readonly role: Role; readonly reason: string | undefined },
): Promise<{ actor: Actor; role: Role; token: string }> {
  const { actor, role } = input;
  const state = await deps.readAccess();
  if (!state.enabled && role !== "admin")
    throw new RunledgerError("ERR_USAGE", { detail: "the first grant must be role admin, so that someone can grant and revoke afterwards" });
  const token = newToken();
  const after: GrantRecord = { actor, role, token_hash: tokenHash(token) };
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: "access_grant",
      reason: input.reason,
      targets: [{ kind: "actor", id: `${actor.kind}:${actor.id}` }],
      after,
      result: "applied",
    }),
  ]);
  return { actor, role, token };
}
