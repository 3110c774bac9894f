import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/**
 * The roles, as help text names them. governance/roles.ts is their source, but it loads the
 * schema library, which every start would then pay for; test/cli-startup.test.ts holds the two equal.
 */
export const ROLES_IN_HELP = "viewer, operator, approver, admin";

export function registerAccess(program: Command, context: () => CommandContext): void {
  const access = program.command("access").description("roles per actor, with tokens stored only as hashes");
  access
    .command("grant")
    .description("give an actor a role and print its new token once; the first grant must be admin and turns access control on")
    .argument("<actor>", "kind:id, e.g. human:ana")
    .requiredOption("--role <role>", `one of ${ROLES_IN_HELP}`)
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await import("../actions/access.js")).grantRole));
  access
    .command("revoke")
    .description("take a role from an actor; its token for that role stops working")
    .argument("<actor>", "kind:id")
    .requiredOption("--role <role>", `one of ${ROLES_IN_HELP}`)
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await import("../actions/access.js")).revokeRole));
  access
    .command("list")
    .description("the grants in force (token hashes abbreviated)")
    .action(deferredAction(context, async () => (await import("../actions/access-read.js")).listGrants));
}
