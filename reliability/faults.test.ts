import { chmodSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFsArtifactStore } from "../src/artifacts/fs/fs-artifact-store.js";
import { verifyWorkspace } from "../src/cli/actions/verify.js";
import { isRunledgerError } from "../src/core/errors.js";
import type { EngineDeps } from "../src/engine/attempt-context.js";
import { runPipeline } from "../src/engine/run-pipeline.js";
import { Projector } from "../src/ledger/projections/projector.js";
import { loadPipelineYaml } from "../src/pipelines/load-yaml.js";
import { engineDeps, openWorkspace, type Workspace } from "../src/workspace/workspace.js";
import { EnospcFileSystem } from "./support/enospc-file-system.js";
import { initWorkspace, processesWithEnv, sleep } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";
import { lanePipeline } from "./support/pipelines.js";
import { Prng } from "./support/prng.js";
import { SCALE, SEED } from "./support/scale.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-faults-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACTOR = { kind: "human", id: "tester" } as const;

async function withWorkspace<T>(root: string, body: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await openWorkspace(root);
  try {
    return await body(ws);
  } finally {
    await ws.close();
  }
}

/** Waits until no live process carries `RUNLEDGER_RUN_ID=<runId>`, or gives up after `ms`; returns what is left. */
async function survivors(runId: string, ms = 5_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = processesWithEnv("RUNLEDGER_RUN_ID", runId);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(50);
  }
}

describe("faults", () => {
  it(`a full disk (ENOSPC injected at the artifact store's file-system port, ${SCALE.enospcTrials} seeded points) fails the run with ERR_STORAGE and loses nothing written before`, async () => {
    const prng = new Prng(SEED ^ 0x5ace);
    const figures = { trials: 0, failed_with_err_storage: 0, completed_before_full: 0, passed_attempts_kept: 0 };
    for (let trial = 0; trial < SCALE.enospcTrials; trial++) {
      const root = initWorkspace(dir, `full-${trial}`);
      const file = join(root, "p.yaml");
      writeFileSync(file, lanePipeline("full", 12));
      const spec = loadPipelineYaml(lanePipeline("full", 12), file);
      const writesBeforeFull = prng.int(0, 50);
      const fs = new EnospcFileSystem(writesBeforeFull);
      const outcome = await withWorkspace(root, async (ws) => {
        const artifacts = await openFsArtifactStore(join(root, ".runledger", "artifacts"), { fileSystem: fs });
        const deps: EngineDeps = { ...engineDeps(ws, ACTOR), artifacts };
        return runPipeline(spec, deps, { project: ws.config.project, concurrency: 2 }).then(
          (runId) => ({ runId }),
          (error: unknown) => ({ error }),
        );
      });
      figures.trials++;
      const context = `trial ${trial}, ENOSPC after ${writesBeforeFull} writes (seed ${SEED})`;
      if ("runId" in outcome) {
        expect(fs.failures, context).toBe(0);
        figures.completed_before_full++;
      } else {
        expect(isRunledgerError(outcome.error) && outcome.error.code, context).toBe("ERR_STORAGE");
        expect(isRunledgerError(outcome.error) && outcome.error.context["errno"], context).toBe("ENOSPC");
        figures.failed_with_err_storage++;
      }
      await withWorkspace(root, async (ws) => {
        // Nothing lost: the chain is whole, every blob re-hashes, every blob the ledger names is there.
        await expect(verifyWorkspace(ws), context).resolves.toMatchObject({ events: expect.any(Number) });
        const state = await new Projector(ws.ledger).catchUp();
        const run = Object.values(state.runs)[0];
        expect(run?.finished_at_utc, context).not.toBeNull();
        expect(run?.status, context).toBe("runId" in outcome ? "succeeded" : "halted");
        // Cleanly: no attempt is left looking as if it still ran, and nothing was recorded after run.finished.
        const attempts = Object.values(state.attempts);
        expect(
          attempts.filter((a) => a.status === "running").map((a) => a.correlation_ids.task),
          context,
        ).toEqual([]);
        for (const attempt of attempts.filter((a) => a.result !== null)) {
          for (const output of attempt.outputs) await expect(ws.artifacts.verify(output.digest)).resolves.toBeUndefined();
          figures.passed_attempts_kept++;
        }
        let finishedAt = Infinity;
        for await (const event of ws.ledger.read()) {
          if (event.type === "run.finished") finishedAt = event.seq;
          else expect(event.seq < finishedAt, `${event.type} at ${event.seq} after run.finished (${context})`).toBe(true);
        }
      });
      expect(readdirSync(join(root, ".runledger", "artifacts", "tmp")), `temp files left (${context})`).toEqual([]);
    }
    expect(figures.failed_with_err_storage).toBeGreaterThan(0);
    reportFigures("faults.enospc", figures);
  });

  it("an operator that leaves orphans (background, subshell and setsid children) has its whole tree killed at its timeout", async () => {
    const root = initWorkspace(dir, "orphans");
    const file = join(root, "p.yaml");
    const yaml = [
      "pipeline: orphans",
      "tasks:",
      "  spawner:",
      "    retries: 0",
      "    timeout: 1s",
      `    run: "sleep 1000 & (sleep 1000 &); setsid sleep 1000 & sh -c 'sleep 1000 & wait' & sleep 1000; echo done > outputs/x.txt"`,
      "    outputs: [outputs/x.txt]",
      "    checks: [{ nonEmpty: outputs/x.txt }]",
      "",
    ].join("\n");
    writeFileSync(file, yaml);
    const runId = await withWorkspace(root, (ws) => runPipeline(loadPipelineYaml(yaml, file), engineDeps(ws, ACTOR), { project: ws.config.project }));
    const left = await survivors(runId);
    const state = await withWorkspace(root, (ws) => new Projector(ws.ledger).catchUp());
    const attempt = Object.values(state.attempts)[0];
    expect(attempt).toMatchObject({ status: "failed", error_code: "ERR_TIMEOUT" });
    expect(left, "processes of the timed-out attempt still alive").toEqual([]);
    reportFigures("faults.orphans", { leaked_processes: left.length });
  });

  it("a corrupted upstream artifact is detected when it is read, and the consumer is not run on it", async () => {
    const root = initWorkspace(dir, "corrupt");
    const file = join(root, "p.yaml");
    const marker = join(dir, "consumer-ran");
    const yaml = [
      "pipeline: corrupt",
      // The consumer's marker lies outside its attempt's directory, where the sandbox lets nothing write.
      "sandbox: off",
      "tasks:",
      "  producer:",
      `    run: "seq 1 1000 > outputs/n.txt"`,
      "    outputs: [outputs/n.txt]",
      "    checks: [{ nonEmpty: outputs/n.txt }]",
      "  consumer:",
      "    needs: [producer]",
      "    retries: 0",
      `    run: "touch ${marker}; wc -l < inputs/producer/n.txt > outputs/count.txt"`,
      "    outputs: [outputs/count.txt]",
      "    checks: [{ nonEmpty: outputs/count.txt }]",
      "",
    ].join("\n");
    writeFileSync(file, yaml);
    let flipped: string | undefined;
    const runId = await withWorkspace(root, async (ws) => {
      const deps: EngineDeps = {
        ...engineDeps(ws, ACTOR),
        onProgress: (progress) => {
          if (progress.task !== "producer" || progress.state !== "passed") return;
          // The producer passed and its output is stored: flip one byte of that blob before the consumer starts.
          const blobs = readdirSync(join(root, ".runledger", "artifacts", "sha256"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
          for (const entry of blobs) {
            const path = join(entry.parentPath, entry.name);
            const fd = openSync(path, "r");
            const head = Buffer.alloc(4);
            readSync(fd, head, 0, 4, 0);
            closeSync(fd);
            if (head.toString() !== "1\n2\n") continue;
            chmodSync(path, 0o644);
            const w = openSync(path, "r+");
            writeSync(w, Buffer.from("9"), 0, 1, 0);
            closeSync(w);
            flipped = path;
          }
        },
      };
      return runPipeline(loadPipelineYaml(yaml, file), deps, { project: ws.config.project });
    });
    expect(flipped).toBeDefined();
    const state = await withWorkspace(root, (ws) => new Projector(ws.ledger).catchUp());
    const consumer = Object.values(state.attempts).filter((a) => a.correlation_ids.task === "consumer");
    expect(consumer.map((a) => [a.status, a.error_code])).toEqual([["failed", "ERR_ARTIFACT_CORRUPT"]]);
    expect(state.runs[runId]).toMatchObject({ result: "FAIL" });
    expect(existsSync(marker), "the consumer's command ran on corrupt bytes").toBe(false);
    reportFigures("faults.corrupt-artifact", { detected: true, consumer_ran: existsSync(marker) });
  });
});
