import type { Command } from "commander";
import { ISO_TIME_FORM } from "../../core/iso-time.js";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/** `runledger watermark list|show|override`: named monotonic pointers that only gates (or an audited override) move. */
export function registerWatermark(program: Command, context: () => CommandContext): void {
  const watermark = program.command("watermark").description("watermarks (CTT, Truth Epoch): monotonic pointers advanced only by passed gates");
  watermark
    .command("list")
    .description("every watermark with its value, definition version and validity; broken sync rules warn")
    .action(deferredAction(context, async () => (await import("../actions/watermark-read.js")).listWatermarks));
  watermark
    .command("show")
    .description("one watermark and its history")
    .argument("<name>")
    .action(deferredAction(context, async () => (await import("../actions/watermark-read.js")).showWatermark));
  watermark
    .command("override")
    .description("emergency advance or rollback (seed 001 §4.4): needs --justification, --confirm and an actor; recorded as an admin event")
    .argument("<name>")
    .requiredOption("--to <value>", `the new value (earlier than the current one for a rollback); a time is ISO-8601: ${ISO_TIME_FORM}`)
    .option("--justification <text>", "why this cannot wait for the gate (required, audited)")
    .option("--confirm", "confirm the override")
    .option("--definition <name@version>", "the definition version the value is bound to (default: the current one)")
    .action(deferredAction(context, async () => (await import("../actions/watermark.js")).overrideWatermarkCommand));
}
