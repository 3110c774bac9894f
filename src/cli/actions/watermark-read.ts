import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { watermarksView, watermarkView } from "../../views/watermarks.js";
import type { CommandContext } from "../command-context.js";
import type { CommandResult } from "../../views/command-result.js";
import type { Workspace } from "../../workspace/workspace.js";
import { syncRules } from "./sync-rules.js";

/** `runledger watermark list`: every watermark; broken sync rules warn. */
export async function listWatermarks(ctx: CommandContext): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const view = watermarksView(await watermarkState(workspace), syncRules(workspace));
    const lines = view.watermarks.map(
      (m) =>
        `${m.name.padEnd(16)} ${m.value}  ${m.definition ? `${m.definition.name}@${m.definition.version}` : "-"}  ${m.valid ? "valid" : `INVALID (${m.invalidated?.reason ?? ""})`}`,
    );
    for (const b of view.sync_warnings) lines.push(`warning: sync rule broken: ${b.message}`);
    ctx.output.success(view, lines.length > 0 ? lines : "no watermarks yet");
  });
}

/** `runledger watermark show <name>`: one watermark and its history. */
export async function showWatermark(ctx: CommandContext, name: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const mark = watermarkView(await watermarkState(workspace), name);
    const how = (m: (typeof mark.history)[number]["moved_by"]) =>
      m.kind === "gate" ? `gate ${m.gate} of run ${m.run_id}` : `override ${m.admin_event_id}: ${m.justification}`;
    const lines = [
      `${mark.name} = ${mark.value}  ${mark.valid ? "valid" : `INVALID: ${mark.invalidated?.reason ?? ""}`}`,
      ...mark.history.map((h) => `  ${h.at_utc}  ${h.value}  ${h.definition ? `${h.definition.name}@${h.definition.version}  ` : ""}by ${how(h.moved_by)}`),
    ];
    ctx.output.success({ watermark: mark } satisfies CommandResult<"watermark show">, lines);
  });
}

/** The watermarks alone: what both commands show. */
async function watermarkState(workspace: Workspace) {
  return (await readModelsOf(workspace.ledger)).stateFor({ watermarks: true });
}
