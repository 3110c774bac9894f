import type { Command } from "commander";
import type { ReasonFlags } from "../actions/secret.js";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

const load = () => import("../actions/secret.js");

export function registerSecret(program: Command, context: () => CommandContext): void {
  const secret = program.command("secret").description("the workspace's secrets: values read from stdin, given to operators only at execution, never logged");
  const store = (verb: "set" | "rotate", description: string, argument: string) =>
    secret
      .command(verb)
      .description(description)
      .argument("<name>", argument)
      .option("--reason <text>", "why (required, audited)")
      .action(
        deferredAction(context, async () => {
          const { storeSecret } = await load();
          return (ctx, name: string, flags: ReasonFlags) => storeSecret(ctx, verb, name, flags);
        }),
      );
  store("set", "store a new secret; the value is read from standard input (one trailing newline dropped)", "an environment variable name, e.g. API_TOKEN");
  store("rotate", "replace a secret's value with a new one read from standard input; recorded as a rotate_secret admin event", "the secret's name");
  secret
    .command("remove")
    .description("delete a secret from the store; runs that declare it then fail with ERR_MISSING_SECRET")
    .argument("<name>", "the secret's name")
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await load()).deleteSecret));
  secret
    .command("list")
    .description("the stored secrets: name, version, when and by whom set; never values")
    .action(deferredAction(context, async () => (await import("../actions/secret-read.js")).listSecrets));
}
