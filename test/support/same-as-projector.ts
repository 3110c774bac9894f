import { expect } from "vitest";
import type { Ledger } from "../../src/ledger/ledger.js";
import { Projector } from "../../src/ledger/projections/projector.js";
import type { ReadModels } from "../../src/ledger/read-models/read-models.js";

/** Asserts that every view of `models` equals what the Projector replays from the ledger's events. */
export async function expectSameAsProjector(models: ReadModels, ledger: Ledger): Promise<void> {
  const state = await new Projector(ledger).catchUp();
  const runIds = Object.keys(state.runs);
  const listed = await models.runs({ limit: runIds.length + 1 });
  expect(listed.map((r) => r.id).sort()).toEqual([...runIds].sort());
  for (const id of runIds) {
    const run = await models.run(id);
    expect(run).toEqual(state.runs[id]);
    expect(Object.keys(run?.tasks ?? {})).toEqual(Object.keys(state.runs[id]?.tasks ?? {}));
  }
  const attempts = (await Promise.all(runIds.map((id) => models.attemptsOfRun(id)))).flat();
  expect(Object.fromEntries(attempts.map((a) => [a.attempt_id, a]))).toEqual(state.attempts);
  expect(Object.fromEntries((await models.gates()).map((g) => [`${g.run_id}/${g.gate}`, g]))).toEqual(state.gates);
  expect(Object.fromEntries((await models.watermarks()).map((w) => [w.name, w]))).toEqual(state.watermarks);
  expect(await models.adminEvents()).toEqual(state.adminEvents);
  expect(await models.stopRules()).toEqual(state.stopRules);
  expect(await models.violations()).toEqual(state.violations);
  expect(Object.fromEntries((await models.suggestions()).map((s) => [s.key, s]))).toEqual(state.suggestions);
  expect(Object.fromEntries((await models.debugPackets()).map((p) => [p.id, p]))).toEqual(state.debugPackets);
  expect(Object.fromEntries(await models.cached(Object.keys(state.cache)))).toEqual(state.cache);
  for (const digest of Object.keys(state.artifacts)) expect(await models.artifact(digest)).toEqual(state.artifacts[digest]);
}
