import type { Command } from "commander";
import { RunledgerError } from "../../core/errors.js";
import { ISO_TIME_FORM, parseIsoTime } from "../../core/iso-time.js";
import { adminEvent } from "../../governance/admin-event.js";
import { brokenSyncRules, type SyncRule } from "../../governance/watermarks.js";
import { Projector } from "../../ledger/projections/projector.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";

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
        const { watermarks } = await new Projector(workspace.ledger).catchUp();
        const marks = Object.values(watermarks).sort((a, b) => (a.name < b.name ? -1 : 1));
        const broken = brokenSyncRules(watermarks, syncRules(workspace));
        const lines = marks.map((m) => `${m.name.padEnd(16)} ${m.value}  ${m.definition ? `${m.definition.name}@${m.definition.version}` : "-"}  ${m.valid ? "valid" : `INVALID (${m.invalidated?.reason ?? ""})`}`);
        for (const b of broken) lines.push(`warning: sync rule broken: ${b.message}`);
        ctx.output.success({ watermarks: marks, sync_warnings: broken.map((b) => ({ between: b.rule.between, gap_ms: b.gapMs, message: b.message })) }, lines.length > 0 ? lines : "no watermarks yet");
      });
    });
  watermark
    .command("show")
    .description("one watermark and its history")
    .argument("<name>")
    .action(async (name: string) => {
      const ctx = context();
      await ctx.withWorkspace(async (workspace) => {
        const mark = (await new Projector(workspace.ledger).catchUp()).watermarks[name];
        if (!mark) throw new RunledgerError("ERR_WATERMARK_NOT_FOUND", { detail: name });
        const how = (m: (typeof mark.history)[number]["moved_by"]) => (m.kind === "gate" ? `gate ${m.gate} of run ${m.run_id}` : `override ${m.admin_event_id}: ${m.justification}`);
        const lines = [`${mark.name} = ${mark.value}  ${mark.valid ? "valid" : `INVALID: ${mark.invalidated?.reason ?? ""}`}`, ...mark.history.map((h) => `  ${h.at_utc}  ${h.value}  ${h.definition ? `${h.definition.name}@${h.definition.version}  ` : ""}by ${how(h.moved_by)}`)];
        ctx.output.success({ watermark: mark }, lines);
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
      if ((flags.justification ?? "").trim() === "" || flags.confirm !== true) {
        throw new RunledgerError("ERR_CONFIRM_REQUIRED", { detail: `overriding ${name} needs ${[(flags.justification ?? "").trim() === "" ? "--justification \"…\"" : "", flags.confirm ? "" : "--confirm"].filter(Boolean).join(" and ")}` });
      }
      // A value that starts like a date is a time, ordered as one: it must be a real instant.
      if (/^\d{4}-\d{2}-\d{2}/.test(flags.to)) parseIsoTime(flags.to, "--to");
      const at = flags.definition?.lastIndexOf("@") ?? -1;
      if (flags.definition !== undefined && at <= 0) throw new RunledgerError("ERR_USAGE", { detail: `--definition ${flags.definition}: expected name@version` });
      await ctx.withWorkspace(async (workspace) => {
        const current = (await new Projector(workspace.ledger).catchUp()).watermarks[name];
        const definition = flags.definition === undefined ? (current?.definition ?? undefined) : { name: flags.definition.slice(0, at), version: flags.definition.slice(at + 1) };
        const before = current ? { value: current.value, valid: current.valid, ...(current.definition ? { definition: current.definition } : {}) } : { value: null };
        const after = { value: flags.to, ...(definition ? { definition } : {}) };
        await workspace.ledger.append([adminEvent(workspace.config.project, ctx.actor(), { action_type: "watermark_override", reason: flags.justification, targets: [{ kind: "watermark", id: name }], before, after, result: "applied" })]);
        const actor = ctx.actor();
        ctx.output.success({ watermark: { name, before, after, by: actor } }, [`${name}: ${current?.value ?? "(none)"} → ${flags.to} (override by ${actor.kind}:${actor.id}, recorded in the audit)`]);
      });
    });
}
