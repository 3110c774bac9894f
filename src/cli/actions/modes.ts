import { classifyTitle } from "../../modes/classify-title.js";
import { modeRegistryWith, type ModeRegistry } from "../../modes/mode-registry.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";
import { classificationView, modesView } from "../../views/modes.js";

/** The workspace's modes, or seed 000's defaults outside a workspace. */
async function registry(ctx: CommandContext): Promise<ModeRegistry> {
  try {
    return await ctx.withWorkspace(async (workspace) => workspace.modes);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_WORKSPACE_NOT_FOUND") return modeRegistryWith();
    throw error;
  }
}

/** `runledger modes`: the work modes. */
export async function listModes(ctx: CommandContext): Promise<void> {
  const modes = modesView(await registry(ctx));
  const text = modes.map((m) =>
    [
      `${m.name}: ${m.intent}`,
      `  outputs: ${m.typicalOutputs}`,
      `  risk:    ${m.primaryRisk}`,
      `  keywords: ${m.keywords.join(", ") || "-"}`,
      `  evidence: ${m.evidence.map((e) => `${e.id}${e.required ? "" : " (optional)"}`).join(", ")}`,
      ...m.stopRules.map((r) => `  stop rule ${r.id}: ${r.detail}`),
    ].join("\n"),
  );
  ctx.output.success({ modes } satisfies CommandResult<"modes">, text.join("\n\n"));
}

/** `runledger classify "title"`: which work mode a title selects, and why. */
export async function classifyCommand(ctx: CommandContext, title: string): Promise<void> {
  const decision = classifyTitle(title, await registry(ctx));
  const why = Object.entries(decision.matches).map(([mode, words]) => `${mode}: ${words.join(", ")}`);
  ctx.output.success(
    { classification: classificationView(decision) } satisfies CommandResult<"classify">,
    `${decision.mode}${decision.tie ? " (tie, broken by table order)" : ""}\n  matched ${why.join("; ")}`,
  );
}
