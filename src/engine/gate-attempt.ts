import { RunledgerError, toRunledgerError } from "../core/errors.js";
import { gateOutputPath, substitute, type GateSpec } from "../operators/gate-spec.js";
import { compareValues } from "../governance/watermarks.js";
import type { DefinitionVersion, WatermarkView } from "../ledger/projections/watermark-state.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import type { ProjectionState } from "../ledger/projections/projection-state.js";
import { readModelsOf } from "../ledger/read-models/read-models-of.js";
import { runEvent, type AttemptOutcome, type EngineDeps, type RunContext } from "./attempt-context.js";
import type { Verdict } from "../contracts/verdict.js";

/** The watermark move a gate proposes. */
export interface GateAdvance {
  readonly watermark: string;
  readonly value: string;
  readonly definition?: DefinitionVersion;
}

/** Whether moving `mark` to `advance` goes forward: a later value, or the same value re-established under a new definition. */
export function movesForward(mark: WatermarkView | undefined, advance: GateAdvance): boolean {
  if (!mark) return true;
  const order = compareValues(advance.value, mark.value);
  return order > 0 || (order === 0 && (!mark.valid || (advance.definition !== undefined && advance.definition.version !== mark.definition?.version)));
}

/** Reads a chosen output's text by its `<task>/<path>` among the gate attempt's stored outputs. */
async function outputText(deps: EngineDeps, outputs: AttemptOutcome["outputs"], over: string, gate: string): Promise<string> {
  const stored = outputs.find((o) => o.path === gateOutputPath(over));
  if (!stored) throw new RunledgerError("ERR_INPUTS", { detail: `gate ${gate}: ${over} is not among its chosen outputs (gate.over)` });
  const text = new TextDecoder().decode(await deps.artifacts.get(stored.digest)).trim();
  if (text === "") throw new RunledgerError("ERR_INPUTS", { detail: `gate ${gate}: ${over} is empty` });
  return text;
}

async function resolveAdvance(
  deps: EngineDeps,
  gate: string,
  spec: NonNullable<GateSpec["advances"]>,
  outputs: AttemptOutcome["outputs"],
  env: Readonly<Record<string, string>>,
): Promise<GateAdvance> {
  const where = `gate ${gate}`;
  const value = spec.value !== undefined ? substitute(spec.value, env, where) : await outputText(deps, outputs, spec.valueFrom as string, gate);
  const d = spec.definition;
  if (!d) return { watermark: spec.watermark, value };
  const version = d.version !== undefined ? substitute(d.version, env, where) : await outputText(deps, outputs, d.versionFrom as string, gate);
  return { watermark: spec.watermark, value, definition: { name: d.name, version } };
}

/** The watermarks as they are now (moved by gates, invalidations and overrides until this moment), read from the read models. */
async function watermarksNow(deps: EngineDeps): Promise<ProjectionState["watermarks"]> {
  const marks = await (await readModelsOf(deps.ledger)).watermarks();
  return Object.fromEntries(marks.map((mark) => [mark.name, mark]));
}

/** What the watermarks say of a gate's proposed move: the checks it adds, the definition change that invalidates the mark, and why it fails, if it does. */
interface MoveJudgement {
  readonly checks: { readonly name: string; readonly result: Verdict }[];
  readonly invalidation?: string;
  readonly failure?: string;
}

/** Judges a proposed move against the watermarks as they are now: forward only, every required mark valid and at least the new value. */
function judgeMove(watermarks: ProjectionState["watermarks"], spec: GateSpec, advance: GateAdvance | undefined): MoveJudgement {
  const checks: MoveJudgement["checks"][number][] = [];
  const mark = advance ? watermarks[advance.watermark] : undefined;
  const from = mark?.valid ? mark.definition : undefined;
  const to = advance?.definition;
  const invalidation =
    from && to && from.name === to.name && from.version !== to.version ? `${to.name} changed from ${from.version} to ${to.version}` : undefined;
  const judged = (failure?: string): MoveJudgement => ({ checks, ...(invalidation && { invalidation }), ...(failure !== undefined && { failure }) });
  if (advance) {
    const forward = movesForward(mark, advance);
    checks.push({ name: `forward:${advance.watermark}`, result: forward ? "PASS" : "FAIL" });
    if (!forward) return judged(`${advance.watermark} is at ${mark?.value ?? "?"}; ${advance.value} is not later`);
  }
  for (const name of spec.requires) {
    const required = watermarks[name];
    const ok = required !== undefined && required.valid && (advance === undefined || compareValues(required.value, advance.value) >= 0);
    checks.push({ name: `requires:${name}`, result: ok ? "PASS" : "FAIL" });
    if (!ok) {
      const at = required ? `${required.valid ? "" : "(invalid) "}at ${required.value}` : "(none yet)";
      return judged(`requires ${name} ${at}${advance ? ` to be at least ${advance.value}` : ""}`);
    }
  }
  return judged();
}

/** The event that moves the watermark a passed gate advances, if it advances one. */
function advancedEvents(deps: EngineDeps, run: RunContext, gate: string, advance: GateAdvance | undefined): NewEvent[] {
  if (!advance) return [];
  const definition = advance.definition ? { definition: advance.definition } : {};
  return [
    runEvent(deps, run, { type: "watermark.advanced", data: { ...definition, gate, run_id: run.id, value: advance.value, watermark: advance.watermark } }),
  ];
}

/**
 * Decides a gate after its attempt ran its checks over the chosen outputs. Failed checks fail the
 * gate. Otherwise the gate resolves the value it advances to, invalidates its watermark if the
 * definition's version changed, and checks that the move goes forward and that every required
 * watermark is valid and at least that value. A gate needing approval (always, or on a WARN)
 * then waits (`awaiting`); one that does not advances its watermark at once.
 */
export async function evaluateGate(
  deps: EngineDeps,
  run: RunContext,
  task: string,
  spec: GateSpec,
  outcome: AttemptOutcome,
  env: Readonly<Record<string, string>>,
): Promise<AttemptOutcome | "awaiting"> {
  const now = await watermarksNow(deps);
  const checks = [...outcome.checks];
  const events: NewEvent[] = [];
  const record = (status: "passed" | "failed" | "awaiting_approval", result: Verdict, advance?: GateAdvance) =>
    runEvent(deps, run, {
      type: "gate.evaluated",
      data: { ...(advance ? { advances: advance } : {}), approval: spec.approval !== "never", checks, gate: task, result, run_id: run.id, status, task },
    });
  const fail = async (reason: string): Promise<AttemptOutcome> => {
    await deps.ledger.append([...events, record("failed", "FAIL")]);
    return { ...outcome, result: "FAIL", retryable: false, reason, errorCode: outcome.errorCode ?? "ERR_CHECK_FAILED" };
  };
  if (outcome.result === "FAIL") return fail(outcome.reason ?? "the gate's checks failed");
  let advance: GateAdvance | undefined;
  try {
    advance = spec.advances ? await resolveAdvance(deps, task, spec.advances, outcome.outputs, env) : undefined;
  } catch (error) {
    return fail(toRunledgerError(error).message);
  }
  const judged = judgeMove(now, spec, advance);
  checks.push(...judged.checks);
  if (advance?.definition && judged.invalidation !== undefined) {
    events.push(
      runEvent(deps, run, {
        type: "watermark.invalidated",
        data: { by_version: advance.definition.version, reason: judged.invalidation, watermark: advance.watermark },
      }),
    );
  }
  if (judged.failure !== undefined) return fail(judged.failure);
  if (spec.approval === "always" || (spec.approval === "on-warn" && outcome.result === "WARN")) {
    await deps.ledger.append([...events, record("awaiting_approval", outcome.result, advance)]);
    return "awaiting";
  }
  await deps.ledger.append([...events, record("passed", outcome.result, advance), ...advancedEvents(deps, run, task, advance)]);
  return outcome;
}
