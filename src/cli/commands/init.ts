import { resolve } from "node:path";
import type { Command } from "commander";
import { initWorkspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";

export function registerInit(program: Command, context: () => CommandContext): void {
  program
    .command("init")
    .description("create a workspace: runledger.json, .runledger/ (ledger + artifacts) and an example pipeline")
    .argument("[dir]", "directory to initialize", ".")
    .action(async (dir: string) => {
      const ctx = context();
      const root = resolve(ctx.io.cwd, dir);
      const workspace = await initWorkspace(root, ctx.actor(), { env: ctx.io.env });
      const head = await workspace.ledger.head();
      await workspace.close();
      ctx.output.log("workspace.initialized", { root });
      ctx.output.success(
        { workspace: { root, name: workspace.config.name, project: workspace.config.project, head } } satisfies CommandResult<"init">,
        `initialized workspace ${workspace.config.name} in ${root}\n  ledger:    ${workspace.config.ledger.backend}\n  example:   pipelines/hello.yaml`,
      );
    });
}
