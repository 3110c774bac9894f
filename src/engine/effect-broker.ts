import { canonicalJson } from "../core/canonical-json.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { effectHandlerParts, type EffectExecute } from "../pipelines/effect-handler.js";
import { runEvent, type EngineDeps, type RunContext } from "./attempt-context.js";
import { BUILTIN_EFFECTS } from "./builtin-effects.js";
import { EffectCallLog, type CallPorts, type EffectCallRecord } from "./effect-call-log.js";
import type { SocketClient } from "./effects-socket.js";
import { haltForEngineError } from "./engine-fault.js";
import { createRedactor, type Redactor } from "../secrets/redact.js";

/**
 * An attempt's effects client (seed 001 §2.4). Every call is recorded as `effect.called` with its
 * payload stored as an artifact: in a shadow or mock run it goes to the sink (`{ shadow: true }`
 * plus the pipeline's fake); in an enforced real run the pipeline's handler, else the built-in one,
 * performs it. A call to an undeclared effect is refused and recorded as `violation.recorded`;
 * it and an enforced call without a handler fail the attempt even if the operator catches them.
 * Its own bookkeeping failing (storing a payload, appending the call) is an engine error: the run
 * halts (engine-fault.ts), and the caller gets the error too.
 */
export class EffectBroker implements SocketClient {
  /** The calls made, in the order they were numbered. */
  readonly calls: EffectCallRecord[] = [];
  /** The error that fails the attempt whatever the operator does: a violation, a missing handler, a socket limit broken. */
  fatal: RunledgerError | undefined;
  /** Set when the fatal error is a violation: the run halts. */
  violation: string | undefined;
  /** Masks the attempt's secret values (and credentials) in the payloads and results it records; the handler gets them whole. */
  redactor: Pick<Redactor, "text"> = createRedactor([]);
  readonly #controller = new AbortController();
  readonly #stop = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  #numbered = 0;
  #closed = false;

  constructor(
    private readonly deps: Pick<EngineDeps, "ledger" | "artifacts" | "actor">,
    private readonly run: RunContext,
    private readonly attempt: { readonly id: string; readonly task: string; readonly declared: readonly string[] },
  ) {
    this.call = this.call.bind(this);
  }

  /** Aborted when a broken limit failed the attempt: its command is stopped then, not left to run out its timebox. */
  get stopped(): AbortSignal {
    return this.#stop.signal;
  }

  /** Fails the attempt whatever its operator does next, and stops its command; the effects socket calls it when a limit is broken. */
  failAttempt(error: RunledgerError): void {
    this.fatal ??= error;
    this.#stop.abort();
  }

  /** Calls an effect; see EffectsClient. */
  call(name: string, payload?: unknown): Promise<unknown> {
    const call = this.#call(name, payload);
    this.#inFlight.add(call);
    const forget = () => this.#inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Refuses further calls, aborts the handlers still running and waits for their records. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#controller.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #call(name: unknown, payload: unknown): Promise<unknown> {
    if (this.#closed)
      throw new RunledgerError("ERR_EFFECT_FAILED", { detail: `attempt ${this.attempt.id} has ended; effects are callable only while it runs` });
    if (typeof name !== "string" || name === "") throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: "an effect call needs the effect's name" });
    const json = asJson(payload === undefined ? null : payload, `payload of effect ${name}`);
    const callNumber = ++this.#numbered;
    const log = new EffectCallLog(this.#ports, callNumber, name, await this.#store(json));
    if (!this.attempt.declared.includes(name)) return this.#refuseUndeclared(log);
    try {
      return await this.#perform(log, JSON.parse(json));
    } finally {
      await this.#append(log.events);
    }
  }

  /** A call to an effect the operator does not declare: refused, recorded as a violation, and fatal to the attempt. */
  async #refuseUndeclared(log: EffectCallLog): Promise<never> {
    const detail = `task ${this.attempt.task} called effect ${log.name}, which its operator does not declare (declared: ${this.attempt.declared.join(", ") || "none"})`;
    const error = new RunledgerError("ERR_EFFECT_UNDECLARED", { detail });
    this.fatal ??= error;
    this.violation ??= detail;
    this.calls.push(await log.outcome("refused", { error }));
    log.violation(detail);
    await this.#append(log.events);
    throw error;
  }

  /** Sends a declared call to the sink (shadow or mock) or to its handler (enforced and real), and records what came of it. */
  async #perform(log: EffectCallLog, parsed: unknown): Promise<unknown> {
    const name = log.name;
    const handler = effectHandlerParts(this.run.effects[name]);
    const sink = this.run.enforcement === "shadow" || this.run.runMode === "mock";
    const execute = handler.execute ?? BUILTIN_EFFECTS[name];
    if (!sink && execute === undefined) {
      const error = new RunledgerError("ERR_EFFECT_UNHANDLED", {
        detail: `effect ${name} has no handler in an enforced run; register one with definePipeline({ effects: { "${name}": … } }) (built in: ${Object.keys(BUILTIN_EFFECTS).join(", ")})`,
      });
      this.fatal ??= error;
      this.calls.push(await log.outcome("refused", { error }));
      throw error;
    }
    let result: string;
    try {
      const context = { effect: name, runId: this.run.id, task: this.attempt.task, attemptId: this.attempt.id, signal: this.#controller.signal };
      const returned = sink
        ? shadowResult(handler.shadow === undefined ? undefined : await handler.shadow(parsed))
        : await (execute as EffectExecute)(parsed, context);
      result = asJson(returned === undefined ? null : returned, `${sink ? "shadow result" : "result"} of effect ${name}`);
    } catch (error) {
      const wrapped = error instanceof RunledgerError ? error : toRunledgerError(error, "ERR_EFFECT_FAILED");
      this.calls.push(await log.outcome("failed", { error: wrapped }));
      throw wrapped;
    }
    this.calls.push(await log.outcome(sink ? "recorded" : "executed", { result }));
    return JSON.parse(result) as unknown;
  }

  /** What each call's log needs of this attempt. */
  get #ports(): CallPorts {
    return { attempt: this.attempt, run: this.run, store: (json) => this.#store(json), event: (e) => this.#event(e) };
  }

  /** Stores a payload or result, redacted. */
  #store(json: string): Promise<{ digest: string; size_bytes: number }> {
    return this.#engine(this.deps.artifacts.put(this.redactor.text(json), { mediaType: "application/json" }));
  }

  #append(events: readonly NewEvent[]): Promise<unknown> {
    return this.#engine(this.deps.ledger.append(events));
  }

  /** The engine's own work for a call: failing, it halts the run, and the caller hears of it too. */
  async #engine<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      haltForEngineError(this.run.halting, error);
      throw error;
    }
  }

  #event(e: Omit<NewEvent, "project" | "actor">): NewEvent {
    return runEvent(this.deps, this.run, e);
  }
}

/** The sink's answer: `{ shadow: true }`, with a fake object's fields merged in, or a fake of another kind under `result`. */
function shadowResult(fake: unknown): unknown {
  if (fake === undefined) return { shadow: true };
  if (typeof fake === "object" && fake !== null && !Array.isArray(fake)) return { ...fake, shadow: true };
  return { shadow: true, result: fake };
}

function asJson(value: unknown, what: string): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
}
