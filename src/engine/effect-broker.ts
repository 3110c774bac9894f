import { canonicalJson } from "../core/canonical-json.js";
import { RunledgerError, toRunledgerError, type ErrorCode } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";
import { effectHandlerParts, type EffectExecute } from "../pipelines/effect-handler.js";
import { runEvent, type EngineDeps, type RunContext } from "./attempt-context.js";
import { BUILTIN_EFFECTS } from "./builtin-effects.js";
import type { SocketClient } from "./effects-socket.js";
import { haltForEngineError } from "./engine-fault.js";
import { createRedactor, type Redactor } from "../secrets/redact.js";

/** One effect call as the receipt lists it. */
export interface EffectCallRecord {
  readonly call_number: number;
  readonly effect: string;
  readonly outcome: "recorded" | "executed" | "refused" | "failed";
  readonly payload_digest: string;
  readonly result_digest?: string;
  readonly error_code?: ErrorCode;
}

type Outcome = EffectCallRecord["outcome"];

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
    const stored = await this.#store(json);
    const events: NewEvent[] = [
      this.#event({
        type: "artifact.stored",
        data: {
          attempt_id: this.attempt.id,
          digest: stored.digest,
          media_type: "application/json",
          name: `effects/${callNumber}.${name}.payload.json`,
          size_bytes: stored.size_bytes,
        },
      }),
    ];
    const record = async (outcome: Outcome, extra: { result?: string; error?: RunledgerError } = {}) => {
      let resultDigest: string | undefined;
      if (extra.result !== undefined) {
        const result = await this.#store(extra.result);
        resultDigest = result.digest;
        events.push(
          this.#event({
            type: "artifact.stored",
            data: {
              attempt_id: this.attempt.id,
              digest: result.digest,
              media_type: "application/json",
              name: `effects/${callNumber}.${name}.result.json`,
              size_bytes: result.size_bytes,
            },
          }),
        );
      }
      const entry: EffectCallRecord = {
        call_number: callNumber,
        effect: name,
        outcome,
        payload_digest: stored.digest,
        ...(resultDigest && { result_digest: resultDigest }),
        ...(extra.error && { error_code: extra.error.code }),
      };
      events.push(
        this.#event({
          type: "effect.called",
          data: {
            attempt_id: this.attempt.id,
            call_number: callNumber,
            effect: name,
            enforcement: this.run.enforcement,
            ...(extra.error && { error_code: extra.error.code }),
            outcome,
            payload_digest: stored.digest,
            ...(resultDigest && { result_digest: resultDigest }),
            run_id: this.run.id,
            run_mode: this.run.runMode,
            task: this.attempt.task,
          },
        }),
      );
      this.calls.push(entry);
    };

    if (!this.attempt.declared.includes(name)) {
      const detail = `task ${this.attempt.task} called effect ${name}, which its operator does not declare (declared: ${this.attempt.declared.join(", ") || "none"})`;
      const error = new RunledgerError("ERR_EFFECT_UNDECLARED", { detail });
      this.fatal ??= error;
      this.violation ??= detail;
      await record("refused", { error });
      events.push(
        this.#event({
          type: "violation.recorded",
          data: { attempt_id: this.attempt.id, detail, kind: "undeclared_effect", run_id: this.run.id, task: this.attempt.task },
        }),
      );
      await this.#append(events);
      throw error;
    }
    const handler = effectHandlerParts(this.run.effects[name]);
    const sink = this.run.enforcement === "shadow" || this.run.runMode === "mock";
    const execute = handler.execute ?? BUILTIN_EFFECTS[name];
    const parsed: unknown = JSON.parse(json);
    try {
      if (!sink && execute === undefined) {
        const error = new RunledgerError("ERR_EFFECT_UNHANDLED", {
          detail: `effect ${name} has no handler in an enforced run; register one with definePipeline({ effects: { "${name}": … } }) (built in: ${Object.keys(BUILTIN_EFFECTS).join(", ")})`,
        });
        this.fatal ??= error;
        await record("refused", { error });
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
        await record("failed", { error: wrapped });
        throw wrapped;
      }
      await record(sink ? "recorded" : "executed", { result });
      return JSON.parse(result) as unknown;
    } finally {
      await this.#append(events);
    }
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
