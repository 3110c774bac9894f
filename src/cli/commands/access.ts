import type { Command } from "commander";
import type { Actor } from "../../contracts/common.js";
import { RunledgerError } from "../../core/errors.js";
import { adminEvent } from "../../governance/admin-event.js";
import { newToken, sameActor, tokenHash, type GrantRecord } from "../../governance/access.js";
import { ROLES, type Role } from "../../governance/roles.js";
import { parseActorSpec } from "../actor.js";
import type { CommandContext } from "../command-context.js";

function parseActor(spec: string): Actor {
  return parseActorSpec(spec, "actor");
}

function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new RunledgerError("ERR_USAGE", { detail: `--role ${role}: expected one of ${ROLES.join(", ")}` });
  return role as Role;
}

export function registerAccess(program: Command, context: () => CommandContext): void {
  const access = program.command("access").description("roles per actor, with tokens stored only as hashes");
  access
    .command("grant")
    .description("give an actor a role and print its new token once; the first grant must be admin and turns access control on")
    .argument("<actor>", "kind:id, e.g. human:ana")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--reason <text>", "why (required, audited)")
    .action(async (spec: string, flags: { role: string; reason?: string }) => {
      const ctx = context();
      const actor = parseActor(spec);
      const role = parseRole(flags.role);
      await ctx.withWorkspace(async (workspace) => {
        const state = await ctx.access(workspace);
        if (!state.enabled && role !== "admin") throw new RunledgerError("ERR_USAGE", { detail: "the first grant must be role admin, so that someone can grant and revoke afterwards" });
        const token = newToken();
        const after: GrantRecord = { actor, role, token_hash: tokenHash(token) };
        await workspace.ledger.append([adminEvent(workspace.config.project, ctx.actor(), { action_type: "access_grant", reason: flags.reason, targets: [{ kind: "actor", id: `${actor.kind}:${actor.id}` }], after, result: "applied" })]);
        ctx.output.success({ grant: { actor, role, token } }, [`granted ${role} to ${actor.kind}:${actor.id}`, `token (shown once; only its hash is kept): ${token}`]);
      });
    });
  access
    .command("revoke")
    .description("take a role from an actor; its token for that role stops working")
    .argument("<actor>", "kind:id")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--reason <text>", "why (required, audited)")
    .action(async (spec: string, flags: { role: string; reason?: string }) => {
      const ctx = context();
      const actor = parseActor(spec);
      const role = parseRole(flags.role);
      await ctx.withWorkspace(async (workspace) => {
        const state = await ctx.access(workspace);
        const held = state.grants.filter((g) => sameActor(g.actor, actor) && g.role === role);
        if (held.length === 0) throw new RunledgerError("ERR_USAGE", { detail: `${actor.kind}:${actor.id} does not hold role ${role}` });
        const admins = state.grants.filter((g) => g.role === "admin" && !sameActor(g.actor, actor));
        if (role === "admin" && admins.length === 0) throw new RunledgerError("ERR_USAGE", { detail: "that is the last admin; grant admin to another actor first" });
        await workspace.ledger.append([adminEvent(workspace.config.project, ctx.actor(), { action_type: "access_revoke", reason: flags.reason, targets: [{ kind: "actor", id: `${actor.kind}:${actor.id}` }], before: { actor, role }, result: "applied" })]);
        ctx.output.success({ revoked: { actor, role } }, `revoked ${role} from ${actor.kind}:${actor.id}`);
      });
    });
  access
    .command("list")
    .description("the grants in force (token hashes abbreviated)")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const state = await ctx.access(workspace);
        const grants = state.grants.map((g) => ({ actor: g.actor, role: g.role, token_hash: `${g.token_hash.slice(0, 19)}…`, granted_at_utc: g.granted_at_utc, granted_by: g.granted_by }));
        const text = state.enabled ? grants.map((g) => `${g.actor.kind}:${g.actor.id}  ${g.role}  ${g.granted_at_utc}`) : "access control is off (no grants yet)";
        ctx.output.success({ access: { enabled: state.enabled, grants } }, text);
      });
    });
}
