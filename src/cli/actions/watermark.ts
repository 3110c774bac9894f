import { overrideWatermark, overrideWatermarkInput } from "../../usecases/index.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

type OverrideFlags = { to: string; justification?: string; confirm?: boolean; definition?: string };

/** `runledger watermark override <name> --to V --justification "…" --confirm`: an audited emergency move. */
export async function overrideWatermarkCommand(ctx: CommandContext, name: string, flags: OverrideFlags): Promise<void> {
  const input = overrideWatermarkInput({
    name,
    to: flags.to,
    justification: flags.justification,
    confirm: flags.confirm === true,
    definition: flags.definition,
  });
  await ctx.withWorkspace(async (workspace) => {
    const override = await overrideWatermark(recordDeps(ctx, workspace), input);
    const { before, by } = override;
    ctx.output.success({ watermark: override } satisfies CommandResult<"watermark override">, [
      `${name}: ${before.value ?? "(none)"} → ${flags.to} (override by ${by.kind}:${by.id}, recorded in the audit)`,
    ]);
  });
}
