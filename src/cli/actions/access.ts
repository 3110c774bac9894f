import type { Actor } from "../../contracts/common.js";
import { RunledgerError } from "../../core/errors.js";
import { ROLES, type Role } from "../../governance/roles.js";
import { grantAccess, revokeAccess } from "../../usecases/index.js";
import { parseActorSpec } from "../actor.js";
import type { CommandContext } from "../command-context.js";
import { accessDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

type RoleFlags = { role: string; reason?: string };

function parseActor(spec: string): Actor {
  return parseActorSpec(spec, "actor");
}

function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new RunledgerError("ERR_USAGE", { detail: `--role ${role}: expected one of ${ROLES.join(", ")}` });
  return role as Role;
}

/** `runledger access grant <actor> --role R`: gives a role and prints its new token once. */
export async function grantRole(ctx: CommandContext, spec: string, flags: RoleFlags): Promise<void> {
  const actor = parseActor(spec);
  const role = parseRole(flags.role);
  await ctx.withWorkspace(async (workspace) => {
    const grant = await grantAccess(accessDeps(ctx, workspace), { actor, role, reason: flags.reason });
    ctx.output.success({ grant } satisfies CommandResult<"access grant">, [
      `granted ${role} to ${actor.kind}:${actor.id}`,
      `token (shown once; only its hash is kept): ${grant.token}`,
    ]);
  });
}

/** `runledger access revoke <actor> --role R`: takes a role; its token for that role stops working. */
export async function revokeRole(ctx: CommandContext, spec: string, flags: RoleFlags): Promise<void> {
  const actor = parseActor(spec);
  const role = parseRole(flags.role);
  await ctx.withWorkspace(async (workspace) => {
    const revoked = await revokeAccess(accessDeps(ctx, workspace), { actor, role, reason: flags.reason });
    ctx.output.success({ revoked } satisfies CommandResult<"access revoke">, `revoked ${role} from ${actor.kind}:${actor.id}`);
  });
}
