import { resolve } from "node:path";
import { initWorkspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

/** `runledger init [dir]`: creates a workspace. */
export async function createWorkspace(ctx: CommandContext, dir: string): Promise<void> {
  const root = resolve(ctx.io.cwd, dir);
  const workspace = await initWorkspace(root, ctx.actor(), { env: ctx.io.env });
  const head = await workspace.ledger.head();
  await workspace.close();
  ctx.output.log("workspace.initialized", { root });
  ctx.output.success(
    { workspace: { root, name: workspace.config.name, project: workspace.config.project, head } } satisfies CommandResult<"init">,
    `initialized workspace ${workspace.config.name} in ${root}\n  ledger:    ${workspace.config.ledger.backend}\n  example:   pipelines/hello.yaml`,
  );
}
