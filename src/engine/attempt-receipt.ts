import { readFileSync, statSync } from "node:fs";
import { readTail, tailText } from "../checks/read-tail.js";
import { ReceiptSchema, type Receipt } from "../contracts/receipt.js";
import { canonicalJson } from "../core/canonical-json.js";
import { systemClock } from "../core/clock.js";
import type { SettlingAttempt, WorkDone } from "./attempt-settling.js";
import type { Verdict } from "../contracts/verdict.js";

const TAIL_BYTES = 2048;
const SMALL_LOG_BYTES = 64 * 1024;

/**
 * Stores the attempt's logs, its receipt (what ran, on what, with what result; passed through the
 * attempt's redactor) and its outputs index, adding their artifact.stored events to the attempt's
 * append. Returns the receipt's digest.
 */
export async function storeReceipt(attempt: SettlingAttempt, done: WorkDone, verdict: Verdict): Promise<string> {
  const { deps, run, plan, settling, event, events } = attempt;
  const { operator } = plan;
  const attemptId = settling.attemptId;
  const streams = await captureStreams(attempt);
  const receipt: Receipt = ReceiptSchema.parse(
    done.secrets.redactor.value({
      execution_id: attemptId,
      run_id: run.id,
      task: plan.task.name,
      attempt_id: attemptId,
      project: run.project,
      processor_ref: operator.ref,
      code_digest: plan.codeDigest,
      env_fingerprint: plan.envFingerprint,
      inputs_hash: plan.inputsHash,
      inputs: plan.inputs.map((i) => ({ task: i.task, path: i.path, digest: i.digest })),
      hash_schema: "runledger.inputs.v1",
      config_versions: (plan.configs ?? []).map((config) => config.ref),
      ...(done.secrets.versions.length > 0 && { secret_versions: [...done.secrets.versions] }),
      outputs_index: done.outputs,
      processor_info: done.returned?.processorInfo ?? settling.processorInfo ?? `${operator.kind}:${operator.ref}`,
      usage: { ...(done.returned?.usage ?? {}) },
      timestamp_utc: settling.started.toISOString(),
      duration_ms: Math.max(0, (deps.clock ?? systemClock).now().getTime() - settling.started.getTime()),
      mode: run.runMode,
      enforcement: run.enforcement,
      sandbox: run.sandbox.kind,
      ...(settling.effects !== undefined &&
        settling.effects.calls.length > 0 && { effects: [...settling.effects.calls].sort((a, b) => a.call_number - b.call_number) }),
      result: verdict,
      ...streams,
    }),
  );
  // Stored side by side: their fsyncs overlap.
  const [receiptRef, index] = await Promise.all([
    deps.artifacts.put(canonicalJson(receipt), { mediaType: "application/json" }),
    deps.artifacts.put(canonicalJson({ attempt_id: attemptId, outputs: done.outputs }), { mediaType: "application/json" }),
  ]);
  events.push(
    event({
      type: "artifact.stored",
      data: { attempt_id: attemptId, digest: receiptRef.digest, media_type: "application/json", name: "receipt.json", size_bytes: receiptRef.size_bytes },
    }),
    event({
      type: "artifact.stored",
      data: { attempt_id: attemptId, digest: index.digest, media_type: "application/json", name: "outputs.json", size_bytes: index.size_bytes },
    }),
  );
  return receiptRef.digest;
}

/** Stores stdout and stderr as artifacts; the receipt keeps their digests and bounded tails. */
async function captureStreams(attempt: SettlingAttempt): Promise<Partial<Pick<Receipt, "stdout" | "stderr">>> {
  const { deps, logs, event, events } = attempt;
  const captured: Partial<Pick<Receipt, "stdout" | "stderr">> = {};
  // Both streams side by side, recorded in a fixed order.
  const streams = await Promise.all(
    (["stdout", "stderr"] as const).map(async (name) => {
      const path = logs[name];
      // A function operator writes no stderr file, and an attempt that failed to start may write neither.
      const size = statSync(path, { throwIfNoEntry: false })?.size;
      if (size === undefined) return undefined;
      if (size <= SMALL_LOG_BYTES) {
        // Most logs are small (or empty): read once, stored and tailed from the same bytes.
        const bytes = readFileSync(path);
        return { name, stored: await deps.artifacts.put(bytes), tail: tailText(bytes, TAIL_BYTES) };
      }
      const stored = await deps.artifacts.putFile(path);
      return { name, stored, tail: (await readTail(path, TAIL_BYTES)).text };
    }),
  );
  for (const stream of streams) {
    if (!stream) continue;
    const { name, stored } = stream;
    events.push(
      event({ type: "artifact.stored", data: { attempt_id: attempt.settling.attemptId, digest: stored.digest, name, size_bytes: stored.size_bytes } }),
    );
    captured[name] = { digest: stored.digest, size_bytes: stored.size_bytes, tail: stream.tail };
  }
  return captured;
}
