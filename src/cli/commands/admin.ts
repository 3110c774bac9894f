import type { Command } from "commander";
import type { ControlAction } from "../../usecases/index.js";
import type { ScopeFlags } from "../actions/admin.js";
import type { CommandContext } from "../command-context.js";
import { deferredAction } from "../deferred-action.js";

const load = () => import("../actions/admin.js");

/** `runledger admin pause|resume|drain|replay|retention|rebuild-read-models`: audited operator actions over a project, a pipeline, a run or the workspace. */
export function registerAdmin(program: Command, context: () => CommandContext): void {
  const admin = program.command("admin").description("audited operator actions: pause, resume, drain, replay, retention, rebuild-read-models");
  const scoped = (name: ControlAction, description: string) =>
    admin
      .command(name)
      .description(description)
      .option("--pipeline <name>", "only this pipeline (default: the whole project)")
      .option("--reason <text>", "why (required, audited)")
      .action(
        deferredAction(context, async () => {
          const { controlCommand } = await load();
          return (ctx, flags: ScopeFlags) => controlCommand(ctx, name, flags);
        }),
      );
  scoped("pause", "stop starting tasks in the project (or one pipeline): running runs pause at their next task, new runs are refused");
  scoped("drain", "let running runs finish, start no new run in the project (or one pipeline)");
  scoped("resume", "lift a pause or drain");
  admin
    .command("retention")
    .description(
      "change what the workspace keeps: the working directories of failed attempts of the newest N finished runs; the ledger and artifacts are never pruned",
    )
    .requiredOption("--keep-work-runs <n>", "keep the working directories of the newest n finished runs (a whole number), or 'all'")
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await load()).retentionCommand));
  admin
    .command("replay")
    .description("replay a run: the same pipeline, parameters, event time and modes, with no cache; reports whether the outputs are identical")
    .argument("<run>", "a run id, or a unique prefix of one")
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await load()).replayCommand));
  admin
    .command("rebuild-read-models")
    .description("derive the read models (what runs, show and the engine read) again from every event, in one transaction; the events are never changed")
    .option("--reason <text>", "why (required, audited)")
    .action(deferredAction(context, async () => (await import("../actions/rebuild-read-models.js")).rebuildReadModelsCommand));
}
