import type { TaskState } from "./task-state.js";

/** What the scheduler needs of a task: its name and the tasks it needs. */
export interface SchedulableTask {
  readonly name: string;
  readonly needs: readonly string[];
}

/**
 * Starts each task, in plan order, as soon as every task it needs has settled; the work limits
 * itself (see Slots). A task whose work resolves "held" (a manual task waiting) holds every task
 * downstream of it: those never start, and the schedule ends when all others settled. After a
 * task's work throws (the run halts) nothing new starts, and the promise rejects with that error
 * once the work in flight has settled: none is left running behind the run's end. Each settle
 * touches only the tasks that need the settled one. Tasks in `done` count as settled already.
 */
export async function schedule<T extends SchedulableTask>(
  order: readonly string[],
  tasks: Readonly<Record<string, T>>,
  done: ReadonlySet<string>,
  work: (task: T) => Promise<"held" | void>,
): Promise<void> {
  const position = new Map(order.map((name, i) => [name, i]));
  const { waitingOn, dependents } = dependencyGraph(order, tasks, done);
  let open = order.length;
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let failure: unknown;
    const finish = () => {
      if (running > 0) return;
      if (failed) reject(failure);
      else if (open === 0) resolve();
    };
    const hold = (name: string) => {
      for (const dependent of dependents.get(name) ?? []) {
        if (waitingOn.get(dependent) === -1) continue;
        waitingOn.set(dependent, -1);
        open--;
        hold(dependent);
      }
    };
    const start = (names: readonly string[]) => {
      for (const name of [...names].sort((a, b) => (position.get(a) as number) - (position.get(b) as number))) {
        if (failed) return;
        running++;
        work(tasks[name] as T).then(
          (outcome) => {
            running--;
            open--;
            if (outcome === "held") hold(name);
            else {
              const ready: string[] = [];
              for (const dependent of dependents.get(name) ?? []) {
                const left = (waitingOn.get(dependent) as number) - 1;
                waitingOn.set(dependent, left);
                if (left === 0) ready.push(dependent);
              }
              start(ready);
            }
            finish();
          },
          (error: unknown) => {
            running--;
            open--;
            if (!failed) failure = error;
            failed = true;
            finish();
          },
        );
      }
    };
    start(order.filter((name) => waitingOn.get(name) === 0));
    finish();
  });
}

/** For each task, how many of its needs have not settled yet (-1 once held), and for each task the tasks that need it. */
function dependencyGraph(
  order: readonly string[],
  tasks: Readonly<Record<string, SchedulableTask>>,
  done: ReadonlySet<string>,
): { waitingOn: Map<string, number>; dependents: Map<string, string[]> } {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of order) {
    const needs = (tasks[name] as SchedulableTask).needs.filter((need) => !done.has(need));
    waitingOn.set(name, needs.length);
    for (const need of needs) {
      const list = dependents.get(need);
      if (list) list.push(name);
      else dependents.set(need, [name]);
    }
  }
  return { waitingOn, dependents };
}

/**
 * The concurrency limit: at most this many tasks hold a slot, handed out first come, first
 * served. Releasing twice is harmless, so a task may give its slot back early.
 */
export class Slots {
  #free: number;
  readonly #queue: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = Math.max(1, limit);
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** A task that may or may not take a WARN from the tasks it needs, with its staleness bound. */
export interface GuardedTask extends SchedulableTask {
  readonly allowWarn: boolean;
  readonly maxStalenessMs?: number;
}

/**
 * Why a task whose needs all settled must be skipped instead of started, or undefined when it may
 * start: a need that did not pass (or passed with WARN where the task does not allow it) is
 * `upstream-not-passed`, so no bytes that failed a check are ever read; an input made for an
 * `as_of` older than the task's maxStaleness is `input-stale` (seed 001's staleness precondition).
 */
export function skipReason(task: GuardedTask, states: ReadonlyMap<string, TaskState>, asOf: Date): string | undefined {
  const blocked = task.needs.find((need) => {
    const state = states.get(need);
    return !state?.passed || (state.result === "WARN" && !task.allowWarn);
  });
  return blocked !== undefined ? "upstream-not-passed" : staleInput(task, states, asOf);
}

function staleInput(task: GuardedTask, states: ReadonlyMap<string, TaskState>, asOf: Date): string | undefined {
  if (task.maxStalenessMs === undefined) return undefined;
  for (const need of task.needs) {
    const state = states.get(need);
    if (state?.passed && asOf.getTime() - state.asOf > task.maxStalenessMs) {
      return `input-stale: ${need} is as of ${new Date(state.asOf).toISOString()}, older than maxStaleness ${task.maxStalenessMs} ms`;
    }
  }
  return undefined;
}
