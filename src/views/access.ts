import type { AccessList } from "../contracts/access-grant.js";
import { accessFrom, type AccessState } from "../governance/access.js";
import type { Ledger } from "../ledger/ledger.js";
import { emptyProjectionState } from "../ledger/projections/projection-state.js";
import { catchUpTypes } from "../ledger/projections/projector.js";

/** The access control in force: on once an admin granted the first role. */
export async function readAccess(ledger: Ledger): Promise<AccessState> {
  // Access is all in the admin events: read those, not the whole ledger, before every request.
  return accessFrom((await catchUpTypes(ledger, emptyProjectionState(), { types: ["admin.recorded"] })).adminEvents);
}

/** The grants in force as `access list` shows them: token hashes abbreviated. */
export function accessView(state: AccessState): AccessList {
  const grants = state.grants.map((g) => ({
    actor: g.actor,
    role: g.role,
    token_hash: `${g.token_hash.slice(0, 19)}…`,
    granted_at_utc: g.granted_at_utc,
    granted_by: g.granted_by,
  }));
  return { enabled: state.enabled, grants };
}
