import { RunledgerError } from "../core/errors.js";
import { adminEvent } from "../governance/admin-event.js";
import type { Retention } from "../governance/retention.js";
import type { ReadDeps, RecordDeps } from "./deps.js";
import { pruneRuns, retentionOf } from "./prune-to-retention.js";

export interface ChangeRetentionDeps extends RecordDeps, ReadDeps {
  /** The workspace's name: the target of the admin event. */
  readonly workspaceName: string;
  /** Where attempts' working directories are (`.runledger/work`): what retention prunes. */
  readonly workRoot: string;
}

/** `keep_work_runs` from its text: a whole number >= 0, or `all` (null); else ERR_USAGE. */
export function parseKeepWorkRuns(text: string): number | null {
  const keep = text === "all" ? null : Number(text);
  if (keep !== null && (!Number.isInteger(keep) || keep < 0))
    throw new RunledgerError("ERR_USAGE", { detail: `--keep-work-runs ${text}: expected a whole number >= 0, or all` });
  return keep;
}

/** Records the new retention as a change_retention admin event, then prunes to it. Returns it and the runs pruned. */
export async function changeRetention(
  deps: ChangeRetentionDeps,
  input: { readonly keepWorkRuns: string; readonly reason: string | undefined },
): Promise<{ retention: Retention; pruned: string[] }> {
  const keep = parseKeepWorkRuns(input.keepWorkRuns);
  const models = await deps.readModels();
  const before = await retentionOf(models);
  const after = { keep_work_runs: keep };
  await deps.ledger.append([
    adminEvent(deps.project, deps.actor, {
      action_type: "change_retention",
      reason: input.reason,
      targets: [{ kind: "workspace", id: deps.workspaceName }],
      before,
      after,
      result: "applied",
    }),
  ]);
  const pruned = await pruneRuns(models, deps.workRoot, after);
  return { retention: after, pruned };
}
