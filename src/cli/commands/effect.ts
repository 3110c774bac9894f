import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/** `runledger effect <name>`: a command operator's effects client (actions/effect.ts); it needs no workspace. */
export function registerEffect(program: Command, context: () => CommandContext): void {
  program
    .command("effect")
    .description("inside a command operator: call a declared effect through the engine and print its result JSON")
    .argument("<name>", "the effect, one the operator declares under effects: (e.g. http.post)")
    .option("--payload <json>", "the payload as JSON (default: standard input, when it is not a terminal; else null)")
    .action(deferredAction(context, async () => (await import("../actions/effect.js")).callEffect));
}
