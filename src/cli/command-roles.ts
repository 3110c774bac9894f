import type { Role } from "../governance/roles.js";
import { ACTION_ROLES, type Action } from "../usecases/actions.js";

/**
 * The action each command performs, by its path (`artifacts get`); its role comes from the action
 * table. null: the command needs no authorization (it creates the workspace, or talks only to the
 * effects socket of the attempt it runs in). A test holds every registered command to an entry here.
 */
export const COMMAND_ACTIONS: Readonly<Record<string, Action | null>> = {
  init: null,
  run: "run.start",
  resume: "run.resume",
  complete: "task.complete",
  effect: null,
  next: "run.next",
  runs: "runs.read",
  show: "runs.read",
  receipt: "receipts.read",
  explain: "runs.read",
  "artifacts get": "artifacts.read",
  verify: "ledger.verify",
  modes: "modes.read",
  classify: "modes.read",
  audit: "audit.read",
  "debug new": "debug.open",
  "debug hypothesis": "debug.hypothesize",
  "debug experiment": "debug.experiment",
  "debug close": "debug.close",
  "debug show": "debug.read",
  "debug list": "debug.read",
  "debug missing": "debug.read",
  "access grant": "access.grant",
  "access revoke": "access.revoke",
  "access list": "access.read",
  "admin pause": "admin.pause",
  "admin resume": "admin.resume",
  "admin drain": "admin.drain",
  "admin replay": "admin.replay",
  "admin retention": "admin.retention",
  "admin rebuild-read-models": "admin.rebuild_read_models",
  "operator list": "operators.read",
  "operator show": "operators.read",
  "operator register": "operator.register",
  "operator activate": "operator.activate",
  "operator deprecate": "operator.deprecate",
  "operator remove": "operator.remove",
  "watermark list": "watermarks.read",
  "watermark show": "watermarks.read",
  "watermark override": "watermark.override",
  "monitor run": "monitor.run",
  "gate status": "gates.read",
  "gate approve": "gate.approve",
  "gate reject": "gate.reject",
  "secret set": "secret.set",
  "secret rotate": "secret.rotate",
  "secret remove": "secret.remove",
  "secret list": "secrets.read",
};

/** The role each command needs, as its action's: what `access list` users see per command. */
export const COMMAND_ROLES: Readonly<Record<string, Role | null>> = Object.fromEntries(
  Object.entries(COMMAND_ACTIONS).map(([path, action]) => [path, action === null ? null : ACTION_ROLES[action]]),
);
