import type { Role } from "../governance/roles.js";

/**
 * The role each action needs in a workspace with access control on. Every front door names the
 * action it is about to perform and asks `authorize`; none keys roles by its own commands.
 */
export const ACTION_ROLES = {
  "run.start": "operator",
  "run.resume": "operator",
  "run.next": "operator",
  "task.complete": "operator",
  "runs.read": "viewer",
  "receipts.read": "viewer",
  "artifacts.read": "viewer",
  "ledger.verify": "viewer",
  "modes.read": "viewer",
  "audit.read": "viewer",
  "debug.open": "operator",
  "debug.hypothesize": "operator",
  "debug.experiment": "operator",
  "debug.close": "operator",
  "debug.read": "viewer",
  "access.grant": "admin",
  "access.revoke": "admin",
  "access.read": "admin",
  "admin.pause": "admin",
  "admin.resume": "admin",
  "admin.drain": "admin",
  "admin.replay": "admin",
  "admin.retention": "admin",
  "admin.rebuild_read_models": "admin",
  "operators.read": "viewer",
  "operator.register": "admin",
  "operator.activate": "admin",
  "operator.deprecate": "admin",
  "operator.remove": "admin",
  "watermarks.read": "viewer",
  "watermark.override": "admin",
  "monitor.run": "operator",
  "gates.read": "viewer",
  "gate.approve": "approver",
  "gate.reject": "approver",
  "secret.set": "admin",
  "secret.rotate": "admin",
  "secret.remove": "admin",
  "secrets.read": "viewer",
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTION_ROLES;

export function isAction(name: string): name is Action {
  return Object.hasOwn(ACTION_ROLES, name);
}
