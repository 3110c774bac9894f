import type { Command } from "commander";
import type { Actor } from "../../contracts/common.js";
import { RunledgerError } from "../../core/errors.js";
import { ROLES, type Role } from "../../governance/roles.js";
import { grantAccess, revokeAccess } from "../../usecases/index.js";
import { accessView, readAccess } from "../../views/access.js";
import { parseActorSpec } from "../actor.js";
import type { CommandContext } from "../command-context.js";
import { accessDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

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
        const grant = await grantAccess(accessDeps(ctx, workspace), { actor, role, reason: flags.reason });
        ctx.output.success({ grant } satisfies CommandResult<"access grant">, [
          `granted ${role} to ${actor.kind}:${actor.id}`,
          `token (shown once; only its hash is kept): ${grant.token}`,
        ]);
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
        const revoked = await revokeAccess(accessDeps(ctx, workspace), { actor, role, reason: flags.reason });
        ctx.output.success({ revoked } satisfies CommandResult<"access revoke">, `revoked ${role} from ${actor.kind}:${actor.id}`);
      });
    });
  access
    .command("list")
    .description("the grants in force (token hashes abbreviated)")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const view = accessView(await readAccess(workspace.ledger));
        const text = view.enabled
          ? view.grants.map((g) => `${g.actor.kind}:${g.actor.id}  ${g.role}  ${g.granted_at_utc}`)
          : "access control is off (no grants yet)";
        ctx.output.success({ access: view } satisfies CommandResult<"access list">, text);
      });
    });
}
