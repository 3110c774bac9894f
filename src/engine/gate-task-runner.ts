import type { GateSpec } from "../operators/gate-spec.js";
import { evaluateGate } from "./gate-attempt.js";
import { runAttempt } from "./run-attempt.js";
import { attemptPlan, ranHere, type TaskRunner } from "./task-runner.js";

/** A gate decides anew in every run: its checks, then (where needed) a person's approval. Never reused. */
export const gateTaskRunner: TaskRunner = {
  async run(session, task, prior) {
    const { deps, run, past } = session;
    if (past.gates[`${run.id}/${task.task.name}`]?.status === "awaiting_approval") return { waiting: true };
    const attempt = await runAttempt(deps, run, attemptPlan(task, prior.numbered + 1));
    const decided = await evaluateGate(deps, run, task.task.name, task.operator.gate as GateSpec, attempt, task.env);
    return decided === "awaiting" ? { waiting: true } : ranHere(session, decided);
  },
};
