import type { Enforcement, RunMode } from "../contracts/run-mode.js";
import type { ErrorCode, RunledgerError } from "../core/errors.js";
import type { NewEvent } from "../ledger/ledger-event.js";

/** One effect call as the receipt lists it. */
export interface EffectCallRecord {
  readonly call_number: number;
  readonly effect: string;
  readonly outcome: "recorded" | "executed" | "refused" | "failed";
  readonly payload_digest: string;
  readonly result_digest?: string;
  readonly error_code?: ErrorCode;
}

type Stored = { readonly digest: string; readonly size_bytes: number };

/** What a call's record needs of its attempt: where the call runs, and how to store and stamp. */
export interface CallPorts {
  readonly attempt: { readonly id: string; readonly task: string };
  readonly run: { readonly id: string; readonly enforcement: Enforcement; readonly runMode: RunMode };
  store(json: string): Promise<Stored>;
  event(e: Omit<NewEvent, "project" | "actor">): NewEvent;
}

/**
 * The record of one effect call in the making: its payload stored as an artifact, then its
 * outcome (with the result stored too), and a violation if it broke a rule. The broker appends
 * `events` in one batch when the call ends.
 */
export class EffectCallLog {
  readonly events: NewEvent[] = [];

  constructor(
    private readonly ports: CallPorts,
    readonly number: number,
    readonly name: string,
    private readonly payload: Stored,
  ) {
    this.events.push(this.#stored("payload", payload));
  }

  /** Records the call's outcome, storing its result first if it has one; returns the receipt's entry. */
  async outcome(outcome: EffectCallRecord["outcome"], extra: { result?: string; error?: RunledgerError } = {}): Promise<EffectCallRecord> {
    const result = extra.result === undefined ? undefined : await this.ports.store(extra.result);
    if (result) this.events.push(this.#stored("result", result));
    const { attempt, run } = this.ports;
    const error = extra.error && { error_code: extra.error.code };
    const resultDigest = result && { result_digest: result.digest };
    const call = { call_number: this.number, effect: this.name, outcome, payload_digest: this.payload.digest, ...resultDigest, ...error };
    this.events.push(
      this.ports.event({
        type: "effect.called",
        data: { ...call, attempt_id: attempt.id, enforcement: run.enforcement, run_id: run.id, run_mode: run.runMode, task: attempt.task },
      }),
    );
    return call;
  }

  /** Records the rule the call broke, beside its refusal. */
  violation(detail: string): void {
    const { attempt, run } = this.ports;
    this.events.push(
      this.ports.event({ type: "violation.recorded", data: { attempt_id: attempt.id, detail, kind: "undeclared_effect", run_id: run.id, task: attempt.task } }),
    );
  }

  #stored(part: "payload" | "result", stored: Stored): NewEvent {
    const name = `effects/${this.number}.${this.name}.${part}.json`;
    return this.ports.event({
      type: "artifact.stored",
      data: { attempt_id: this.ports.attempt.id, digest: stored.digest, media_type: "application/json", name, size_bytes: stored.size_bytes },
    });
  }
}
