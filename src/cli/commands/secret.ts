import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { systemClock } from "../../core/clock.js";
import { adminEvent } from "../../governance/admin-event.js";
import { parseSecretName } from "../../secrets/secret-name.js";
import { workspaceSecretStore, type SecretInfo } from "../../secrets/secret-store.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { readSecretValue } from "../read-secret-value.js";

type ReasonFlags = { readonly reason?: string };

export function registerSecret(program: Command, context: () => CommandContext): void {
  const secret = program.command("secret").description("the workspace's secrets: values read from stdin, given to operators only at execution, never logged");
  secret
    .command("set")
    .description("store a new secret; the value is read from standard input (one trailing newline dropped)")
    .argument("<name>", "an environment variable name, e.g. API_TOKEN")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      await change(context(), name, flags, async (ctx, workspace, current) => {
        if (current) throw new RunledgerError("ERR_USAGE", { detail: `secret ${current.name} is already set (version ${current.version}); change it with runledger secret rotate ${current.name}` });
        return { action: "secret_set", state: "set", version: 1, value: await readSecretValue(ctx.io, name) };
      });
    });
  secret
    .command("rotate")
    .description("replace a secret's value with a new one read from standard input; recorded as a rotate_secret admin event")
    .argument("<name>", "the secret's name")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      await change(context(), name, flags, async (ctx, _workspace, current) => {
        if (!current) throw new RunledgerError("ERR_USAGE", { detail: `no secret ${name}; set it first with runledger secret set ${name}` });
        return { action: "rotate_secret", state: "rotated", version: current.version + 1, value: await readSecretValue(ctx.io, name) };
      });
    });
  secret
    .command("remove")
    .description("delete a secret from the store; runs that declare it then fail with ERR_MISSING_SECRET")
    .argument("<name>", "the secret's name")
    .option("--reason <text>", "why (required, audited)")
    .action(async (name: string, flags: ReasonFlags) => {
      await change(context(), name, flags, (_ctx, _workspace, current) => {
        if (!current) throw new RunledgerError("ERR_USAGE", { detail: `no secret ${name}` });
        return Promise.resolve({ action: "secret_remove", state: "removed", version: current.version });
      });
    });
  secret
    .command("list")
    .description("the stored secrets: name, version, when and by whom set; never values")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const secrets = await workspaceSecretStore(workspace.root).list();
        const text = secrets.map((s) => `${s.name}  v${s.version}  ${s.set_at_utc}  ${s.set_by.kind}:${s.set_by.id}`).join("\n");
        ctx.output.success({ secrets }, secrets.length > 0 ? text : "no secrets");
      });
    });
}

interface Change {
  readonly action: "secret_set" | "rotate_secret" | "secret_remove";
  readonly state: "set" | "rotated" | "removed";
  readonly version: number;
  /** The new value; absent for a removal. */
  readonly value?: string;
}

/**
 * One audited change: checks the name and the reason, decides the change from the current state,
 * stages the new value privately, records the admin event (name and version only), then makes
 * the value current. A failure before the event leaves the store as it was.
 */
async function change(ctx: CommandContext, rawName: string, flags: ReasonFlags, decide: (ctx: CommandContext, workspace: Workspace, current: SecretInfo | undefined) => Promise<Change>): Promise<void> {
  const name = parseSecretName(rawName);
  if ((flags.reason?.trim() ?? "") === "") throw new RunledgerError("ERR_REASON_REQUIRED", { detail: `secret changes need --reason "…"` });
  await ctx.withWorkspace(async (workspace) => {
    const store = workspaceSecretStore(workspace.root);
    const current = await store.describe(name);
    const next = await decide(ctx, workspace, current);
    const actor = ctx.actor();
    const before = current && { name, version: current.version };
    const after = { name, version: next.version, state: next.state };
    const event = adminEvent(workspace.config.project, actor, { action_type: next.action, reason: flags.reason, targets: [{ kind: "secret", id: name }], ...(before ? { before } : {}), after, result: "applied" });
    if (next.value === undefined) {
      await workspace.ledger.append([event]);
      await store.remove(name);
      ctx.output.success({ secret: { name, version: next.version, state: next.state } }, `removed secret ${name}`);
      return;
    }
    const info: SecretInfo = { name, version: next.version, set_at_utc: systemClock.now().toISOString(), set_by: actor };
    const staged = await store.stage(info, next.value);
    // Masked from here on: in the reason of the event below too.
    workspace.mask.learn([next.value]);
    try {
      await workspace.ledger.append([event]);
    } catch (error) {
      await staged.abort();
      throw error;
    }
    await staged.commit();
    ctx.output.success({ secret: { ...info, state: next.state } }, `${next.state} secret ${name} (version ${next.version})`);
  });
}
