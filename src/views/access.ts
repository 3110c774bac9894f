import type { AccessList } from "../contracts/access-grant.js";
import { accessFrom, type AccessState } from "../governance/access.js";
import type { Ledger } from "../ledger/ledger.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";

/** The access control in force: on once an admin granted the first role. */
export async function readAccess(ledger: Ledger): Promise<AccessState> {
  // Access is all in the grants and revocations: read those, not the whole ledger, before every request.
  return accessFrom(await (await readModelsOf(ledger)).adminEvents({ kinds: ["access_grant", "access_revoke"] }));
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
