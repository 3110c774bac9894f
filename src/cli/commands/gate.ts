import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

/** `runledger gate status|approve|reject`: gates over chosen outputs; approval is a recorded decision with actor and reason. */
export function registerGate(program: Command, context: () => CommandContext): void {
  const gate = program.command("gate").description("gates: checks over chosen outputs, optional human approval, watermark advance");
  gate
    .command("status")
    .description("the gate decisions, newest first: checks, status, who decided and why; the 50 last evaluated or decided, unless --limit says")
    .argument("[gate]", "only this gate")
    .option("--run <id>", "only this run's gates")
    .option("--limit <n>", "list at most n gate decisions (default 50)")
    .action(deferredAction(context, async () => (await import("../actions/gate-status.js")).gateStatus));
  const decide = (verb: "approve" | "reject") =>
    gate
      .command(verb)
      .description(
        verb === "approve"
          ? "approve a gate awaiting approval (its checks passed); advances its watermark and continues the run"
          : "reject a gate awaiting approval; what depends on it is skipped",
      )
      .argument("<gate>")
      .option("--run <id>", "the run (default: the only run awaiting this gate)")
      .option("--reason <text>", "why (required, audited)")
      .action(
        deferredAction(context, async () => {
          const { decideGateCommand } = await import("../actions/gate.js");
          return (ctx, name: string, flags: { run?: string; reason?: string }) => decideGateCommand(ctx, verb === "approve", name, flags);
        }),
      );
  decide("approve");
  decide("reject");
}
