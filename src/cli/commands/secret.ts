import type { Command } from "commander";
import { workspaceSecretStore } from "../../secrets/secret-store.js";
import { removeSecret, rotateSecret, secretChangeInput, setSecret } from "../../usecases/index.js";
import { secretsView } from "../../views/secrets.js";
import type { CommandContext } from "../command-context.js";
import { readSecretValue } from "../read-secret-value.js";
import { secretDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";
import { secretChangeView } from "../../views/secret-change.js";

type ReasonFlags = { readonly reason?: string };

export function registerSecret(program: Command, context: () => CommandContext): void {
  const secret = program.command("secret").description("the workspace's secrets: values read from stdin, given to operators only at execution, never logged");
  secret
    .command("set")
    .description("store a new secret; the value is read from standard input (one trailing newline dropped)")
    .argument("<name>", "an environment variable name, e.g. API_TOKEN")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      const ctx = context();
      const input = secretChangeInput(name, flags.reason);
      await ctx.withWorkspace(async (workspace) => {
        const changed = await setSecret(secretDeps(ctx, workspace), input, () => readSecretValue(ctx.io, name));
        ctx.output.success(
          { secret: secretChangeView(changed) } satisfies CommandResult<"secret set">,
          `${changed.state} secret ${changed.name} (version ${changed.version})`,
        );
      });
    });
  secret
    .command("rotate")
    .description("replace a secret's value with a new one read from standard input; recorded as a rotate_secret admin event")
    .argument("<name>", "the secret's name")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      const ctx = context();
      const input = secretChangeInput(name, flags.reason);
      await ctx.withWorkspace(async (workspace) => {
        const changed = await rotateSecret(secretDeps(ctx, workspace), input, () => readSecretValue(ctx.io, name));
        ctx.output.success(
          { secret: secretChangeView(changed) } satisfies CommandResult<"secret set">,
          `${changed.state} secret ${changed.name} (version ${changed.version})`,
        );
      });
    });
  secret
    .command("remove")
    .description("delete a secret from the store; runs that declare it then fail with ERR_MISSING_SECRET")
    .argument("<name>", "the secret's name")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      const ctx = context();
      const input = secretChangeInput(name, flags.reason);
      await ctx.withWorkspace(async (workspace) => {
        const changed = await removeSecret(secretDeps(ctx, workspace), input);
        ctx.output.success({ secret: secretChangeView(changed) } satisfies CommandResult<"secret remove">, `removed secret ${changed.name}`);
      });
    });
  secret
    .command("list")
    .description("the stored secrets: name, version, when and by whom set; never values")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const secrets = await secretsView(workspaceSecretStore(workspace.root));
        const text = secrets.map((s) => `${s.name}  v${s.version}  ${s.set_at_utc}  ${s.set_by.kind}:${s.set_by.id}`).join("\n");
        ctx.output.success({ secrets } satisfies CommandResult<"secret list">, secrets.length > 0 ? text : "no secrets");
      });
    });
}
