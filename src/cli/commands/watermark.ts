import type { Command } from "commander";
import { ISO_TIME_FORM } from "../../core/iso-time.js";
import type { SyncRule } from "../../governance/watermarks.js";
import { Projector } from "../../ledger/projections/projector.js";
import { overrideWatermark, overrideWatermarkInput } from "../../usecases/index.js";
import { watermarksView, watermarkView } from "../../views/watermarks.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { recordDeps } from "../workspace-deps.js";
import type { CommandResult } from "../../views/command-result.js";

/** The workspace's sync rules between watermarks. */
export function syncRules(workspace: Workspace): SyncRule[] {
  return (workspace.config.watermarks?.sync ?? []).map((r) => ({ between: r.between, maxGapMs: r.maxGap }));
}

/** `runledger watermark list|show|override`: named monotonic pointers that only gates (or an audited override) move. */
export function registerWatermark(program: Command, context: () => CommandContext): void {
  const watermark = program.command("watermark").description("watermarks (CTT, Truth Epoch): monotonic pointers advanced only by passed gates");
  watermark
    .command("list")
    .description("every watermark with its value, definition version and validity; broken sync rules warn")
    .action(async () => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const view = watermarksView(await new Projector(workspace.ledger).catchUp(), syncRules(workspace));
        const lines = view.watermarks.map(
          (m) =>
            `${m.name.padEnd(16)} ${m.value}  ${m.definition ? `${m.definition.name}@${m.definition.version}` : "-"}  ${m.valid ? "valid" : `INVALID (${m.invalidated?.reason ?? ""})`}`,
        );
        for (const b of view.sync_warnings) lines.push(`warning: sync rule broken: ${b.message}`);
        ctx.output.success(view, lines.length > 0 ? lines : "no watermarks yet");
      });
    });
  watermark
    .command("show")
    .description("one watermark and its history")
    .argument("<name>")
    .action(async (name: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const mark = watermarkView(await new Projector(workspace.ledger).catchUp(), name);
        const how = (m: (typeof mark.history)[number]["moved_by"]) =>
          m.kind === "gate" ? `gate ${m.gate} of run ${m.run_id}` : `override ${m.admin_event_id}: ${m.justification}`;
        const lines = [
          `${mark.name} = ${mark.value}  ${mark.valid ? "valid" : `INVALID: ${mark.invalidated?.reason ?? ""}`}`,
          ...mark.history.map((h) => `  ${h.at_utc}  ${h.value}  ${h.definition ? `${h.definition.name}@${h.definition.version}  ` : ""}by ${how(h.moved_by)}`),
        ];
        ctx.output.success({ watermark: mark } satisfies CommandResult<"watermark show">, lines);
      });
    });
  watermark
    .command("override")
    .description("emergency advance or rollback (seed 001 §4.4): needs --justification, --confirm and an actor; recorded as an admin event")
    .argument("<name>")
    .requiredOption("--to <value>", `the new value (earlier than the current one for a rollback); a time is ISO-8601: ${ISO_TIME_FORM}`)
    .option("--justification <text>", "why this cannot wait for the gate (required, audited)")
    .option("--confirm", "confirm the override")
    .option("--definition <name@version>", "the definition version the value is bound to (default: the current one)")
    .action(async (name: string, flags: { to: string; justification?: string; confirm?: boolean; definition?: string }) => {
      const ctx = context();
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
    });
}
