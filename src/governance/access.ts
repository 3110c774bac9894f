import { randomBytes } from "node:crypto";
import type { Actor } from "../contracts/common.js";
import { sha256 } from "../core/digest.js";
import type { AdminEventView } from "../ledger/projections/projection-state.js";
import type { Role } from "./roles.js";

/** One role given to one actor, with the hash of the token that authenticates it. */
export interface Grant {
  readonly actor: Actor;
  readonly role: Role;
  readonly token_hash: string;
  readonly granted_at_utc: string;
  readonly granted_by: Actor;
}

/** Access control as the admin events leave it: on once any grant was applied; the grants in force. */
export interface AccessState {
  readonly enabled: boolean;
  readonly grants: readonly Grant[];
}

/** The payload of an access_grant / access_revoke admin event (`after` / `before`). */
export interface GrantRecord {
  readonly actor: Actor;
  readonly role: Role;
  readonly token_hash: string;
}

/** Whether two actors are the same one: same kind, same id. */
export function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** Folds the applied access_grant and access_revoke admin events, in ledger order, into the grants in force. */
export function accessFrom(adminEvents: readonly AdminEventView[]): AccessState {
  let grants: Grant[] = [];
  let enabled = false;
  for (const event of adminEvents) {
    if (event.result !== "applied") continue;
    if (event.action_type === "access_grant") {
      const record = event.after as GrantRecord;
      enabled = true;
      grants.push({ ...record, granted_at_utc: event.observed_at_utc, granted_by: event.actor });
    } else if (event.action_type === "access_revoke") {
      const record = event.before as Pick<GrantRecord, "actor" | "role">;
      grants = grants.filter((g) => !(sameActor(g.actor, record.actor) && g.role === record.role));
    }
  }
  return { enabled, grants };
}

/** A fresh bearer token; only its hash is ever recorded. */
export function newToken(): string {
  return `rl_${randomBytes(24).toString("base64url")}`;
}

export function tokenHash(token: string): string {
  return sha256(token);
}

/** The actor a token authenticates and every role that actor holds; undefined for an unknown token. */
export function authenticate(access: AccessState, token: string): { actor: Actor; roles: Role[] } | undefined {
  const hash = tokenHash(token);
  const grant = access.grants.find((g) => g.token_hash === hash);
  if (!grant) return undefined;
  return { actor: grant.actor, roles: access.grants.filter((g) => sameActor(g.actor, grant.actor)).map((g) => g.role) };
}
