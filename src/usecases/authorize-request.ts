import type { Actor } from "../contracts/common.js";
import { RunledgerError } from "../core/errors.js";
import { authenticate, sameActor, type AccessState } from "../governance/access.js";
import { ACTION_ROLES, type Action } from "./actions.js";
import { authorize } from "./authorize.js";
import type { RecordDeps } from "./deps.js";
import { recordAccessDenied } from "./record-access-denied.js";

/** What settling a request's access needs: the access in force, where a refusal is recorded, and who acts when no token says. */
export interface AuthorizeRequestDeps extends Omit<RecordDeps, "actor"> {
  readAccess(): Promise<AccessState>;
  /** The actor a refusal is recorded under when neither a token nor a claim names one. */
  fallbackActor(): Actor;
}

/** One request: the action (undefined: the front door maps none), what the requester asked by name, its token and claimed actor. */
export interface AccessRequest {
  readonly action: Action | undefined;
  readonly subject: string;
  readonly token: string | undefined;
  readonly claimed: Actor | undefined;
}

/**
 * With access control on, the request's actor is the one its token authenticates, and must hold
 * the role its action needs; otherwise the refusal is recorded as an access_denied admin event and
 * the request fails with ERR_FORBIDDEN. Resolves to the authenticated actor, or undefined when
 * access control is off.
 */
export async function authorizeRequest(deps: AuthorizeRequestDeps, request: AccessRequest): Promise<Actor | undefined> {
  const access = await deps.readAccess();
  if (!access.enabled) return undefined;
  const { action, subject, token, claimed } = request;
  const who = token === undefined ? undefined : authenticate(access, token);
  let why: string | undefined;
  if (action === undefined) why = `${subject} declares no role`;
  else if (who === undefined)
    why = token ? "the token is not valid in this workspace" : "access control is on: present a token in RUNLEDGER_TOKEN or with --token-file FILE";
  else if (claimed !== undefined && !sameActor(claimed, who.actor))
    why = `the token belongs to ${who.actor.kind}:${who.actor.id}, not ${claimed.kind}:${claimed.id}`;
  else if (!authorize(who.roles, action))
    why = `${subject} needs role ${ACTION_ROLES[action]}; ${who.actor.kind}:${who.actor.id} holds ${who.roles.join(", ")}`;
  if (why === undefined && who !== undefined) return who.actor;
  const actor = who?.actor ?? claimed ?? deps.fallbackActor();
  await recordAccessDenied(deps, { actor, subject, why: why ?? "refused" });
  throw new RunledgerError("ERR_FORBIDDEN", { detail: why ?? subject });
}
