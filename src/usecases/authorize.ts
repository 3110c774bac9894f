import { allows, type Role } from "../governance/roles.js";
import { ACTION_ROLES, type Action } from "./actions.js";

/** Whether roles held allow `action`: the one check every front door makes. */
export function authorize(actorRoles: readonly Role[], action: Action): boolean {
  return allows(actorRoles, ACTION_ROLES[action]);
}
