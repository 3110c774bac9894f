import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

export function registerVerify(program: Command, context: () => CommandContext): void {
  program
    .command("verify")
    .description("check the whole hash chain and every artifact digest; exit 1 naming the first bad event or blob")
    .action(deferredAction(context, async () => (await import("../actions/verify.js")).verifyCommand));
}
