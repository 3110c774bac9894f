import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Projector } from "../src/ledger/projections/projector.js";
import { lockRun } from "../src/workspace/run-lock.js";
import { openWorkspace } from "../src/workspace/workspace.js";
import { CLI, runledger } from "./support/cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-crash-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pipeline = (sandbox: "on" | "off") => `
pipeline: crashy
sandbox: ${sandbox}
tasks:
  first:
    run: "seq 1 10 > outputs/n.txt"
    outputs: [outputs/n.txt]
    checks: [{ nonEmpty: outputs/n.txt }]
  slow:
    needs: [first]
    run: "sleep 3; awk '{s+=$1} END {print s}' inputs/first/n.txt > outputs/sum.txt"
    outputs: [outputs/sum.txt]
    checks: [{ nonEmpty: outputs/sum.txt }]
  last:
    needs: [slow]
    run: "cat inputs/slow/sum.txt > outputs/final.txt"
    outputs: [outputs/final.txt]
    checks: [{ nonEmpty: outputs/final.txt }]
`;

/** The live processes whose environment names this attempt (Linux /proc). */
function processesOf(attemptId: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`RUNLEDGER_ATTEMPT_ID=${attemptId}`) &&
          !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("crash safety", () => {
  it.each(["on", "off"] as const)(
    "kill -9 of the engine loses no passed attempt; resume abandons the in-flight attempt and finishes without re-running what passed (sandbox %s)",
    async (sandbox) => {
      const root = join(dir, `ws-${sandbox}`);
      expect(runledger(["init", root], { cwd: dir }).code).toBe(0);
      writeFileSync(join(root, "crashy.yaml"), pipeline(sandbox));
      const engine = spawn(process.execPath, [CLI, "run", "crashy.yaml", "--json"], {
        cwd: root,
        stdio: "ignore",
        env: { ...process.env, RUNLEDGER_ACTOR: "human:tester" },
      });

      // Kill only once the slow command is really running: the attempt is recorded before its process starts.
      const { runId, abandonedId } = await waitFor(async () => {
        const ws = await openWorkspace(root);
        try {
          const state = await new Projector(ws.ledger).catchUp();
          const run = Object.values(state.runs)[0];
          const attemptId = run?.tasks["slow"]?.outcome === "RUNNING" ? run.tasks["slow"].attempts[0] : undefined;
          return run && attemptId && processesOf(attemptId).length > 0 ? { runId: run.id, abandonedId: attemptId } : undefined;
        } finally {
          await ws.close();
        }
      }, 20_000);
      engine.kill("SIGKILL");
      await new Promise((resolve) => engine.once("exit", resolve));
      if (sandbox === "on") {
        // The sandbox dies with the launcher, which exits with its engine: nothing of the command runs on.
        await waitFor(async () => (processesOf(abandonedId).length === 0 ? true : undefined), 5_000);
      } else expect(processesOf(abandonedId)).not.toEqual([]);

      const resumed = runledger(["resume", runId.slice(0, 8), "--json"], { cwd: root });
      // The command the dead engine left running was stopped, not left to write into its old directory.
      expect(processesOf(abandonedId)).toEqual([]);
      expect(resumed.code).toBe(0);
      const run = (JSON.parse(resumed.stdout) as { run: { status: string; result: string; tasks: { name: string; attempts: { status: string }[] }[] } }).run;
      expect(run).toMatchObject({ status: "succeeded", result: "PASS" });
      const attempts = Object.fromEntries(run.tasks.map((t) => [t.name, t.attempts.map((a) => a.status)]));
      expect(attempts).toEqual({ first: ["succeeded"], slow: ["abandoned", "succeeded"], last: ["succeeded"] });
      const final = runledger(["show", runId, "--json"], { cwd: root });
      expect(final.code).toBe(0);
      expect(runledger(["verify"], { cwd: root }).code).toBe(0);
      expect(runledger(["resume", runId], { cwd: root }).code).toBe(2);
    },
  );

  it("one engine per run: a live holder keeps the lock, a dead one's lock is taken over", async () => {
    const locks = join(dir, "locks");
    const release = await lockRun(locks, "run-1");
    await expect(lockRun(locks, "run-1")).rejects.toMatchObject({ code: "ERR_RUN_LOCKED", message: expect.stringContaining("run is held by another engine") });
    await release();
    const again = await lockRun(locks, "run-1");
    await again();
    writeFileSync(join(locks, "run-2.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import("node:os")).hostname() }));
    const takenOver = await lockRun(locks, "run-2");
    await takenOver();
  });
});
