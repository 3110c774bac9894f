import { digestOf, type Digest } from "../core/digest.js";
import { validationError } from "../core/validation-error.js";
import { operatorCodeDigest } from "../operators/operator-code-digest.js";
import type { OperatorRegistry } from "../operators/operator-registry.js";
import type { PipelineDefinition } from "./define-pipeline.js";
import { findDagIssues } from "./find-dag-issues.js";

/** The execution plan of a pipeline's DAG. */
export interface Plan {
  /** Every task once, each after all it needs; among tasks ready at the same time, alphabetical. */
  readonly order: readonly string[];
  /** Task → the tasks that need it, alphabetical; every task has an entry. */
  readonly dependents: Readonly<Record<string, readonly string[]>>;
  /** Layer 0 needs nothing; a task's layer is one more than the highest layer it needs; each layer alphabetical. */
  readonly layers: readonly (readonly string[])[];
}

/** Plans a pipeline's DAG deterministically. Throws ERR_VALIDATION when a `needs` entry is unknown or the graph has a cycle. */
export function planPipeline(def: PipelineDefinition): Plan {
  const issues = findDagIssues(def.tasks);
  if (issues.length > 0) {
    throw validationError(issues, `the graph of pipeline ${def.name}`);
  }
  const names = Object.keys(def.tasks).sort();
  const dependents = new Map<string, string[]>(names.map((name) => [name, []]));
  const waiting = new Map<string, number>();
  for (const name of names) {
    const needs = new Set(def.tasks[name]?.needs);
    waiting.set(name, needs.size);
    for (const need of needs) dependents.get(need)?.push(name);
  }

  const ready = new MinHeap(names.filter((name) => waiting.get(name) === 0));
  const order: string[] = [];
  const layerOf = new Map<string, number>();
  for (let name = ready.pop(); name !== undefined; name = ready.pop()) {
    order.push(name);
    const layer = Math.max(-1, ...[...new Set(def.tasks[name]?.needs)].map((need) => layerOf.get(need) ?? 0)) + 1;
    layerOf.set(name, layer);
    for (const dependent of dependents.get(name) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }

  const layers: string[][] = [];
  for (const name of names) (layers[layerOf.get(name) ?? 0] ??= []).push(name);
  return {
    order,
    dependents: Object.fromEntries([...dependents].map(([name, list]) => [name, list.sort()])),
    layers,
  };
}

/**
 * A digest of what the pipeline is, for binding watermarks and cache keys to a definition: name,
 * mode, cache, runMode, enforcement, limits, sandbox (when off), effect handlers (their source), and per task its operator (ref and code digest), needs (as a set),
 * critical, retries, params, allowWarn and maxStalenessMs. `source` is left out, so moving the file
 * changes nothing. String refs are resolved through `registry` when given, else digested as written.
 */
export function pipelineDigest(def: PipelineDefinition, registry?: OperatorRegistry): Digest {
  // Keys are written in sorted order, so canonical JSON takes its fast path on large pipelines; the digest is the same either way.
  const tasks = Object.fromEntries(
    Object.entries(def.tasks)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, task]) => {
        const op = typeof task.operator === "string" ? (registry?.resolve(task.operator) ?? task.operator) : task.operator;
        return [
          name,
          {
            allowWarn: task.allowWarn,
            critical: task.critical,
            maxStalenessMs: task.maxStalenessMs,
            needs: [...new Set(task.needs)].sort(),
            operator: typeof op === "string" ? { ref: op } : { code: operatorCodeDigest(op), ref: op.ref },
            params: task.params,
            retries: task.retries,
          },
        ];
      }),
  );
  // Effect handlers count by their source text, as operator bodies do; absent keys leave older digests unchanged.
  const effects =
    def.effects &&
    Object.fromEntries(
      Object.entries(def.effects).map(([name, h]) => [
        name,
        typeof h === "function" ? h.toString() : { execute: h.execute?.toString(), shadow: h.shadow?.toString() },
      ]),
    );
  return digestOf({
    cache: def.cache,
    effects,
    enforcement: def.enforcement,
    limits: def.limits,
    mode: def.mode,
    name: def.name,
    runMode: def.runMode,
    sandbox: def.sandbox === "off" ? "off" : undefined,
    schema: "runledger.pipeline.v1",
    tasks,
  });
}

/** A binary min-heap of strings, so picking the alphabetically first ready task stays O(log n). */
class MinHeap {
  readonly #items: string[] = [];

  constructor(items: readonly string[]) {
    for (const item of items) this.push(item);
  }

  push(item: string): void {
    const items = this.#items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= items[i]!) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && items[left]! < items[smallest]!) smallest = left;
      if (right < items.length && items[right]! < items[smallest]!) smallest = right;
      if (smallest === i) break;
      [items[smallest], items[i]] = [items[i]!, items[smallest]!];
      i = smallest;
    }
    return top;
  }
}
