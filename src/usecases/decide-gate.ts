import { decideGate as decide } from "../engine/index.js";
import type { RunView } from "../ledger/projections/projection-state.js";
import { findGate } from "../views/find-gate.js";
import { continueOptions, type EngineUseCaseDeps } from "./engine-deps.js";
import { pruneToRetention } from "./prune-to-retention.js";
import { findRunView } from "../views/find-run.js";
import { pipelineOfRun } from "./run-pipeline-of.js";

/** A gate decision as requested: the gate, its run (default: the only one awaiting it), approve or reject, and why. */
export interface DecideGateInput {
  readonly gate: string;
  readonly run: string | undefined;
  readonly approve: boolean;
  readonly reason: string | undefined;
}

/** Approves or rejects a gate awaiting approval, continues its run, then prunes to the retention in force; resolves to the run. */
export async function decideGate(deps: EngineUseCaseDeps, input: DecideGateInput): Promise<RunView> {
  const models = await deps.readModels();
  // A named run's gates, else every gate (to find the only one awaiting): never the other runs.
  const named = input.run === undefined ? undefined : await findRunView(models, input.run);
  const state = await models.stateFor(named ? { runs: [named.id] } : { gates: true });
  const found = findGate(state, input.gate, input.run);
  const run = named ?? ((await models.run(found.run_id)) as RunView);
  const pipeline = await pipelineOfRun(run, "decide its gate from code with decideGate()");
  await decide(pipeline, deps.engine, run.id, { gate: input.gate, approve: input.approve, reason: input.reason }, continueOptions(deps, run, {}));
  await pruneToRetention(deps);
  return run;
}
