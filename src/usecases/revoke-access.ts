import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { sameActor } from "../governance/access.js";
import { adminEvent } from "../governance/admin-event.js";
import type { Role } from "../governance/roles.js";
import type { AccessDeps } from "./grant-access.js";

/** Takes a role from an actor (its token for that role stops working); the last admin cannot be revoked. */
export async function revokeAccess(
  deps: AccessDeps,
  input: { readonly actor: Actor; readonly role: Role; readonly reason: string | undefined },
): Promise<{ actor: Actor; role: Role }> {
  const { actor, role } = input;
  const state = await deps.readAccess();
  const held = state.grants.filter((g) => sameActor(g.actor, actor) && g.role === role);
  if (held.length === 0) throw new RunledgerError("ERR_USAGE", { detail: `${actor.kind}:${actor.id} does not hold role ${role}` });
  const admins = state.grants.filter((g) => g.role === "admin" && !sameActor(g.actor, actor));
  if (role === "admin" && admins.length === 0) throw new RunledgerError("ERR_USAGE", { detail: "that is the last admin; grant admin to another actor first" });
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: "access_revoke",
      reason: input.reason,
      targets: [{ kind: "actor", id: `${actor.kind}:${actor.id}` }],
      before: { actor, role },
      result: "applied",
    }),
  ]);
  return { actor, role };
}
