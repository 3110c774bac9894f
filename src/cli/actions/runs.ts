import { readModelsOf } from "../../ledger/read-models/read-models-of.js";
import { workRootOf } from "../../workspace/workspace.js";
import type { CommandContext } from "../command-context.js";
import { limitFlag } from "../limit-flag.js";
import { runJsonOf } from "../../views/run.js";
import { runsView, type RunsQuery } from "../../views/runs.js";
import { RUN_STATUSES } from "../../contracts/run.js";
import { RunledgerError } from "../../core/errors.js";
import { parseIsoTime } from "../../core/iso-time.js";
import type { RunStatus } from "../../ledger/projections/projection-state.js";
import { runText } from "../run-text.js";
import type { CommandResult } from "../../views/command-result.js";

interface RunsFlags {
  readonly missingNext?: boolean;
  readonly notCounted?: boolean;
  readonly pipeline?: string;
  readonly status?: string;
  readonly mode?: string;
  readonly since?: string;
  readonly until?: string;
  readonly before?: string;
  readonly limit?: string;
}

/** The flags of `runs` as a query; a bad status, time or limit is ERR_USAGE. */
function runsQuery(flags: RunsFlags): RunsQuery {
  const status = flags.status;
  if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new RunledgerError("ERR_USAGE", { detail: `--status ${status}: expected one of ${RUN_STATUSES.join(", ")}` });
  }
  const limit = limitFlag(flags.limit);
  return {
    ...flags,
    status: status as RunStatus | undefined,
    since: flags.since === undefined ? undefined : parseIsoTime(flags.since, "--since"),
    until: flags.until === undefined ? undefined : parseIsoTime(flags.until, "--until"),
    limit,
  };
}

/** `runledger runs`: a page of the workspace's runs, newest last. */
export async function listRuns(ctx: CommandContext, flags: RunsFlags): Promise<void> {
  const query = runsQuery(flags);
  await ctx.withWorkspace(async (workspace) => {
    const page = await runsView(await readModelsOf(workspace.ledger), query);
    const text = page.runs.map(
      (r) =>
        `${r.id}  ${r.project}  ${r.pipeline}  ${r.work_mode}  ${r.status}  ${r.result ?? "-"}  ${r.counted ? "counted" : "not-counted"}  ${r.requested_at_utc}`,
    );
    if (page.next_before !== null) text.unshift(`older runs: runledger runs --before ${page.next_before}`);
    const filtered = Object.keys(flags).some((flag) => flag !== "limit");
    ctx.output.success({ ...page } satisfies CommandResult<"runs">, page.runs.length > 0 ? text : filtered ? "no such runs" : "no runs yet");
  });
}

/** `runledger show <run>`: one run, its tasks, outcomes, checks and attempts. */
export async function showRun(ctx: CommandContext, id: string): Promise<void> {
  await ctx.withWorkspace(async (workspace) => {
    const view = await runJsonOf(await readModelsOf(workspace.ledger), id, workRootOf(workspace));
    ctx.output.success({ run: view } satisfies CommandResult<"show">, runText(view));
  });
}
