import type { Role } from "../governance/roles.js";

/**
 * The role each command needs in a workspace with access control on, by its path
 * (`artifacts get`). null: the command needs none (it creates the workspace, or reads only the
 * built-in registry). A test holds every registered command to an entry here.
 */
export const COMMAND_ROLES: Readonly<Record<string, Role | null>> = {
  init: null,
  run: "operator",
  resume: "operator",
  // Talks only to the effects socket of the attempt it runs in; it opens no workspace.
  effect: null,
  next: "operator",
  runs: "viewer",
  show: "viewer",
  receipt: "viewer",
  explain: "viewer",
  "artifacts get": "viewer",
  verify: "viewer",
  modes: "viewer",
  classify: "viewer",
  audit: "viewer",
  "access grant": "admin",
  "access revoke": "admin",
  "access list": "admin",
};
