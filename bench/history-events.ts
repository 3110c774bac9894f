import { randomUUID } from "node:crypto";
import type { Actor } from "../src/contracts/common.js";
import type { NewEvent } from "../src/ledger/ledger-event.js";

const ENGINE: Actor = Object.freeze({ kind: "service", id: "runledger-engine" } as const);
const APPROVER: Actor = Object.freeze({ kind: "human", id: "ada", profile: "approver" } as const);
const TASKS = ["extract", "transform", "validate", "report", "publish"] as const;
const PIPELINES = ["market-daily", "orders-hourly", "ledger-close"] as const;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1);

type Data = Record<string, unknown>;
type Output = { digest: string; path: string; size_bytes: number };

/** A task of a run the history holds in full: what `show` and `explain` are pointed at. */
export interface HistoryMark {
  readonly runId: string;
  readonly task: string;
}

/** How often each thing happens, in runs: the shape of a busy workspace's history. */
const EVERY = { reusedExtract: 2, gate: 5, approval: 10, failure: 50, debugPacket: 1000, pauseResume: 200 } as const;

/**
 * A realistic history as ledger events, run after run of a five-task pipeline (three pipelines in
 * turn): every task with its attempt, output and receipt artifacts, a check and its success, half
 * the extracts reused from the pipeline's previous run by cache key; every 5th run ends in a gate
 * that advances a watermark, every 10th waiting for a person's approval (an admin gate_approve);
 * every 50th run fails (the rest of its tasks skipped), every 1,000th with a DebugPacket; a pipeline
 * paused and resumed every 200 runs. Ids are random UUIDs as the engine's are.
 */
export class HistoryMix {
  readonly #project: string;
  #queue: NewEvent[] = [];
  #runs = 0;
  #digests = 0;
  readonly #lastExtract = new Map<string, { attemptId: string; outputs: Output[]; receipt: string }>();
  /** The newest run whose every event a previous next() returned, with a task it reused. */
  #complete: HistoryMark | undefined;
  #pending: HistoryMark | undefined;

  constructor(project: string) {
    this.#project = project;
  }

  /** The next `size` events of the history. */
  next(size: number): NewEvent[] {
    while (this.#queue.length < size) {
      // Only the run generated last can be left partly in the queue: the one before it is whole.
      this.#complete = this.#pending ?? this.#complete;
      this.#queue.push(...this.#run(this.#runs++));
    }
    return this.#queue.splice(0, size);
  }

  /** A run returned in full whose `extract` was reused: `show` and `explain` read it back. */
  get mark(): HistoryMark | undefined {
    return this.#complete;
  }

  get runs(): number {
    return this.#runs;
  }

  #event(type: string, data: Data, actor: Actor = ENGINE): NewEvent {
    return { type, project: this.#project, actor, data } as NewEvent;
  }

  #digest(): string {
    return `sha256:${(++this.#digests).toString(16).padStart(64, "0")}`;
  }

  #run(i: number): NewEvent[] {
    const runId = randomUUID();
    const pipeline = PIPELINES[i % PIPELINES.length]!;
    const day = new Date(FIRST_DAY + Math.floor(i / PIPELINES.length) * DAY_MS).toISOString();
    const failed = i % EVERY.failure === EVERY.failure - 1;
    const events = [
      this.#event(
        "run.requested",
        { as_of: day, enforcement: "shadow", params: { market: "us" }, pipeline, run_id: runId, run_mode: "mock", tasks: [...TASKS], work_mode: "PIPELINE" },
        APPROVER,
      ),
      this.#event("run.started", { run_id: runId }),
    ];
    let reused = false;
    for (const [t, task] of TASKS.entries()) {
      if (failed && t > 1) {
        events.push(this.#event("task.skipped", { reason: "upstream-not-passed", run_id: runId, task }));
        continue;
      }
      const previous = task === "extract" && i % EVERY.reusedExtract === 1 ? this.#lastExtract.get(pipeline) : undefined;
      if (previous) {
        reused = true;
        events.push(this.#reuse(runId, task, previous));
        continue;
      }
      events.push(...this.#attempt(runId, pipeline, task, failed && t === 1));
      if (task === "publish" && i % EVERY.gate === 0) events.push(...this.#gate(runId, pipeline, task, day.slice(0, 10), i % EVERY.approval === 0));
    }
    events.push(...this.#close(runId, failed, i % EVERY.debugPacket === EVERY.debugPacket - 1));
    if (i % EVERY.pauseResume === EVERY.pauseResume - 1) events.push(...this.#pauseAndResume(pipeline));
    if (reused && !failed) this.#pending = { runId, task: "extract" };
    return events;
  }

  #attempt(runId: string, pipeline: string, task: string, fails: boolean): NewEvent[] {
    const attemptId = randomUUID();
    const path = `outputs/${task}.csv`;
    const output = { digest: this.#digest(), path, size_bytes: 4096 };
    const receipt = this.#digest();
    const started = {
      attempt_id: attemptId,
      attempt_number: 1,
      cache_key: this.#digest(),
      job_id: randomUUID(),
      operator_ref: `${task}@1.0.0`,
      run_id: runId,
      task,
    };
    const events = [
      this.#event("attempt.started", started),
      this.#event("artifact.stored", { attempt_id: attemptId, digest: output.digest, name: path, size_bytes: output.size_bytes }),
      this.#event("artifact.stored", { attempt_id: attemptId, digest: receipt, media_type: "application/json", name: "receipt.json", size_bytes: 1_200 }),
      this.#event("check.evaluated", {
        attempt_id: attemptId,
        evidence: { bytes: fails ? 0 : output.size_bytes },
        name: "nonEmpty",
        result: fails ? "FAIL" : "PASS",
      }),
    ];
    if (fails) {
      const reason = `check nonEmpty failed on ${path}`;
      return [
        ...events,
        this.#event("attempt.failed", { attempt_id: attemptId, error_code: "ERR_CHECK_FAILED", reason, receipt_digest: receipt, retryable: false }),
      ];
    }
    if (task === "extract") this.#lastExtract.set(pipeline, { attemptId, outputs: [output], receipt });
    return [...events, this.#event("attempt.succeeded", { attempt_id: attemptId, outputs: [output], receipt_digest: receipt, result: "PASS" })];
  }

  #reuse(runId: string, task: string, source: { attemptId: string; outputs: Output[]; receipt: string }): NewEvent {
    return this.#event("attempt.reused", {
      attempt_id: randomUUID(),
      job_id: randomUUID(),
      outputs: source.outputs,
      receipt_digest: source.receipt,
      result: "PASS",
      run_id: runId,
      source_attempt_id: source.attemptId,
      task,
    });
  }

  /** A gate on the run's last task that advances its pipeline's watermark to the run's day, at once or once approved. */
  #gate(runId: string, pipeline: string, task: string, value: string, approval: boolean): NewEvent[] {
    const advances = { value, watermark: `${pipeline}.close` };
    const checks = [
      { name: "nonEmpty", result: "PASS" },
      { name: `forward:${advances.watermark}`, result: "PASS" },
    ];
    const gate = { advances, approval, checks, gate: task, result: "PASS", run_id: runId, task };
    const advanced = this.#event("watermark.advanced", { gate: task, run_id: runId, ...advances });
    if (!approval) return [this.#event("gate.evaluated", { ...gate, status: "passed" }), advanced];
    const decision = {
      action_type: "gate_approve",
      admin_event_id: randomUUID(),
      after: { advances, status: "approved" },
      before: { checks, status: "awaiting_approval" },
      reason: "figures reconciled with the source",
      result: "applied",
      targets: [
        { id: task, kind: "gate" },
        { id: runId, kind: "run" },
      ],
    };
    return [this.#event("gate.evaluated", { ...gate, status: "awaiting_approval" }), this.#event("admin.recorded", decision, APPROVER), advanced];
  }

  #close(runId: string, failed: boolean, debugPacket: boolean): NewEvent[] {
    const manifest = this.#event("artifact.stored", { digest: this.#digest(), media_type: "application/json", name: "manifest.json", size_bytes: 2_048 });
    if (!failed)
      return [manifest, this.#event("run.finished", { manifest_digest: this.#digest(), next: null, result: "PASS", run_id: runId, status: "succeeded" })];
    const finished = this.#event("run.finished", { next: "fix the transform input", result: "FAIL", run_id: runId, status: "failed" });
    return [manifest, finished, ...(debugPacket ? this.#debugPacket(runId) : [])];
  }

  #debugPacket(runId: string): NewEvent[] {
    const id = randomUUID();
    const repro = { actual: "0 bytes", commands: ["runledger resume " + runId], expected: "a non-empty transform output", inputs: ["outputs/extract.csv"] };
    return [
      this.#event("debug.opened", {
        context: "the vendor feed changed its column order",
        debug_packet_id: id,
        minimal_repro: repro,
        run_id: runId,
        symptom: "transform wrote nothing",
        work_mode: "DEBUG",
      }),
      this.#event("debug.hypothesized", { debug_packet_id: id, hypothesis: "the parser keys columns by position" }),
      this.#event("debug.closed", {
        debug_packet_id: id,
        decision: "parse by header name",
        next: "rerun the day",
        regression_guard: "a header-order fixture",
        time_spent_minutes: 25,
      }),
    ];
  }

  #pauseAndResume(pipeline: string): NewEvent[] {
    const control = (action_type: "pause" | "resume", before: string, after: string) =>
      this.#event(
        "admin.recorded",
        {
          action_type,
          admin_event_id: randomUUID(),
          after: { state: after },
          before: { state: before },
          reason: "vendor maintenance window",
          result: "applied",
          targets: [{ id: pipeline, kind: "pipeline" }],
        },
        APPROVER,
      );
    return [control("pause", "open", "paused"), control("resume", "paused", "open")];
  }
}
