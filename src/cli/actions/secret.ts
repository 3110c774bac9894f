import { removeSecret, rotateSecret, secretChangeInput, setSecret } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { readSecretValue } from "../read-secret-value.js";
import { secretDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";
import { secretChangeView } from "../../views/secret-change.js";

export type ReasonFlags = { readonly reason?: string };

/** `runledger secret set|rotate <NAME>`: a new value read from standard input, stored and audited. */
export async function storeSecret(ctx: CommandContext, verb: "set" | "rotate", name: string, flags: ReasonFlags): Promise<void> {
  const input = secretChangeInput(name, flags.reason);
  const change = verb === "set" ? setSecret : rotateSecret;
  await ctx.withWorkspace(async (workspace) => {
    const changed = await change(secretDeps(ctx, workspace), input, () => readSecretValue(ctx.io, name));
    ctx.output.success(
      { secret: secretChangeView(changed) } satisfies CommandResult<"secret set">,
      `${changed.state} secret ${changed.name} (version ${changed.version})`,
    );
  });
}

/** `runledger secret remove <NAME>`: deletes a secret from the store. */
export async function deleteSecret(ctx: CommandContext, name: string, flags: ReasonFlags): Promise<void> {
  const input = secretChangeInput(name, flags.reason);
  await ctx.withWorkspace(async (workspace) => {
    const changed = await removeSecret(secretDeps(ctx, workspace), input);
    ctx.output.success({ secret: secretChangeView(changed) } satisfies CommandResult<"secret remove">, `removed secret ${changed.name}`);
  });
}
