import { describe, expect, it } from "vitest";
import { schedule, skipReason, Slots, type GuardedTask } from "../src/engine/scheduler.js";
import type { TaskState } from "../src/engine/task-state.js";

type Task = GuardedTask & { readonly outcome?: "PASS" | "WARN" | "FAIL" | "held" };

/** Tasks by name, in the order given, with the tasks each needs. */
function dag(...tasks: (Partial<Task> & { name: string })[]): { order: string[]; tasks: Record<string, Task> } {
  return { order: tasks.map((t) => t.name), tasks: Object.fromEntries(tasks.map((t) => [t.name, { needs: [], allowWarn: false, ...t }])) };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What the engine's driver does for each task, in memory: take a slot, skip the task when a need
 * did not pass, else "run" it for a couple of event-loop turns and record its outcome.
 */
function driver(limit: number, asOf = new Date("2026-01-01T00:00:00Z")) {
  const slots = new Slots(limit);
  const states = new Map<string, TaskState>();
  const trace: string[] = [];
  let running = 0;
  let peak = 0;
  const work = async (task: Task): Promise<"held" | void> => {
    const release = await slots.acquire();
    try {
      const reason = skipReason(task, states, asOf);
      if (reason !== undefined) {
        trace.push(`skip ${task.name} (${reason})`);
        states.set(task.name, { passed: false });
        return;
      }
      trace.push(`start ${task.name}`);
      running++;
      peak = Math.max(peak, running);
      await tick();
      await tick();
      running--;
      trace.push(`end ${task.name}`);
      if (task.outcome === "held") return "held";
      const result = task.outcome ?? "PASS";
      states.set(task.name, result === "FAIL" ? { passed: false } : { passed: true, result, outputs: [], asOf: asOf.getTime() });
    } finally {
      release();
    }
  };
  return { work, trace, states, peak: () => peak };
}

describe("scheduler: what runs when", () => {
  it("under concurrency 1 runs one task at a time, in plan order as tasks become ready", async () => {
    const { order, tasks } = dag({ name: "a" }, { name: "b" }, { name: "c", needs: ["a"] }, { name: "d", needs: ["b"] });
    const run = driver(1);
    await schedule(order, tasks, new Set(), run.work);
    expect(run.trace).toEqual(["start a", "end a", "start b", "end b", "start c", "end c", "start d", "end d"]);
    expect(run.peak()).toBe(1);
  });

  it("under concurrency 2 runs two at once, and a task starts only after every task it needs ended", async () => {
    const { order, tasks } = dag({ name: "a" }, { name: "b" }, { name: "c" }, { name: "d", needs: ["a", "b"] });
    const run = driver(2);
    await schedule(order, tasks, new Set(), run.work);
    // c was waiting for a slot since the start: it takes a's as soon as a ends; d waits for b too.
    expect(run.trace).toEqual(["start a", "start b", "end a", "start c", "end b", "start d", "end c", "end d"]);
    expect(run.peak()).toBe(2);
  });

  it("a held task holds only what is downstream of it: independent tasks run and the schedule ends", async () => {
    const { order, tasks } = dag(
      { name: "manual", outcome: "held" },
      { name: "after", needs: ["manual"] },
      { name: "later", needs: ["after"] },
      { name: "side" },
      { name: "side2", needs: ["side"] },
    );
    const run = driver(1);
    await schedule(order, tasks, new Set(), run.work);
    expect(run.trace).toEqual(["start manual", "end manual", "start side", "end side", "start side2", "end side2"]);
    expect(run.states.has("after")).toBe(false);
    expect(run.states.has("later")).toBe(false);
  });

  it("a failed task's dependents are skipped as upstream-not-passed, transitively; independent ones run", async () => {
    const { order, tasks } = dag({ name: "bad", outcome: "FAIL" }, { name: "next", needs: ["bad"] }, { name: "last", needs: ["next"] }, { name: "fine" });
    const run = driver(2);
    await schedule(order, tasks, new Set(), run.work);
    // The skips take bad's slot at once, while fine still runs.
    expect(run.trace).toEqual(["start bad", "start fine", "end bad", "skip next (upstream-not-passed)", "skip last (upstream-not-passed)", "end fine"]);
  });

  it("a WARN passes only to a task that allows it", async () => {
    const { order, tasks } = dag(
      { name: "warned", outcome: "WARN" },
      { name: "strict", needs: ["warned"] },
      { name: "lenient", needs: ["warned"], allowWarn: true },
    );
    const run = driver(1);
    await schedule(order, tasks, new Set(), run.work);
    expect(run.trace).toEqual(["start warned", "end warned", "skip strict (upstream-not-passed)", "start lenient", "end lenient"]);
  });

  it("tasks already settled count as done: their dependents start at once, and they are not run again", async () => {
    const { order, tasks } = dag({ name: "a" }, { name: "b", needs: ["a"] });
    const run = driver(1);
    run.states.set("a", { passed: true, result: "PASS", outputs: [], asOf: 0 });
    await schedule(["b"], tasks, new Set(["a"]), run.work);
    expect(order).toEqual(["a", "b"]);
    expect(run.trace).toEqual(["start b", "end b"]);
  });

  it("after a task's work throws nothing new starts, and the schedule rejects once the work in flight settled", async () => {
    const { order, tasks } = dag({ name: "boom" }, { name: "slow" }, { name: "after", needs: ["slow"] });
    const trace: string[] = [];
    const work = async (task: Task): Promise<void> => {
      trace.push(`start ${task.name}`);
      if (task.name === "boom") throw new Error("engine error");
      for (let i = 0; i < 5; i++) await tick();
      trace.push(`end ${task.name}`);
    };
    await expect(schedule(order, tasks, new Set(), work)).rejects.toThrow("engine error");
    expect(trace).toEqual(["start boom", "start slow", "end slow"]);
  });
});

describe("Slots", () => {
  it("hands slots out first come, first served, and a second release gives nothing back", async () => {
    const slots = new Slots(1);
    const first = await slots.acquire();
    const got: string[] = [];
    const second = slots.acquire().then((release) => (got.push("second"), release));
    const third = slots.acquire().then((release) => (got.push("third"), release));
    await tick();
    expect(got).toEqual([]);
    first();
    first();
    await tick();
    expect(got).toEqual(["second"]);
    (await second)();
    (await third)();
    expect(got).toEqual(["second", "third"]);
  });

  it("a limit below 1 still lets one task run", async () => {
    const slots = new Slots(0);
    const release = await slots.acquire();
    expect(typeof release).toBe("function");
  });
});

describe("skipReason", () => {
  const asOf = new Date("2026-01-10T00:00:00Z");
  const passed = (at: string): TaskState => ({ passed: true, result: "PASS", outputs: [], asOf: Date.parse(at) });
  it("skips a task whose input is older than its maxStaleness, and starts one whose inputs are fresh enough", () => {
    const states = new Map<string, TaskState>([["feed", passed("2026-01-09T00:00:00Z")]]);
    const task = { name: "use", needs: ["feed"], allowWarn: false, maxStalenessMs: 3_600_000 };
    expect(skipReason(task, states, asOf)).toBe("input-stale: feed is as of 2026-01-09T00:00:00.000Z, older than maxStaleness 3600000 ms");
    expect(skipReason({ ...task, maxStalenessMs: 2 * 86_400_000 }, states, asOf)).toBeUndefined();
  });
  it("a need that has not settled blocks the task", () => {
    expect(skipReason({ name: "use", needs: ["missing"], allowWarn: true }, new Map(), asOf)).toBe("upstream-not-passed");
  });
});
