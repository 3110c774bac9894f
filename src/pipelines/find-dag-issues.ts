import type { Issue } from "../core/errors.js";
import { closestName } from "../core/closest-name.js";

type Graph = Readonly<Record<string, { readonly needs: readonly string[] }>>;

/**
 * The graph problems of a pipeline's tasks: a `needs` entry naming no task (ERR_UNKNOWN_NEEDS), a
 * task needing itself, and cycles (ERR_DAG_CYCLE). Each strongly connected group of tasks is
 * reported once, as its shortest cycle through its alphabetically first task (`a -> b -> a`, read
 * "a needs b, b needs a"), at the `needs` entry that starts the cycle.
 */
export function findDagIssues(tasks: Graph): Issue[] {
  const names = Object.keys(tasks).sort();
  const issues: Issue[] = [];
  const edges = new Map<string, string[]>();
  for (const name of names) {
    const needs = tasks[name]?.needs ?? [];
    const known: string[] = [];
    needs.forEach((need, i) => {
      if (need === name) {
        issues.push({ code: "ERR_DAG_CYCLE", path: ["tasks", name, "needs", i], message: `dependency cycle: task ${name} needs itself (${name} -> ${name})` });
      } else if (!Object.hasOwn(tasks, need)) {
        const near = closestName(String(need), names);
        const hint = near === undefined ? "" : `; did you mean ${near}?`;
        issues.push({
          code: "ERR_UNKNOWN_NEEDS",
          path: ["tasks", name, "needs", i],
          message: `task ${name} needs an unknown task ${JSON.stringify(need)}${hint}`,
        });
      } else if (!known.includes(need)) {
        known.push(need);
      }
    });
    edges.set(name, known.sort());
  }
  for (const group of stronglyConnected(names, edges)) {
    if (group.length < 2) continue;
    const members = new Set(group);
    const start = group[0] as string;
    const cycle = shortestCycle(start, edges, members);
    const index = tasks[start]?.needs.indexOf(cycle[1] as string) ?? 0;
    const rest = group.length > cycle.length - 1 ? ` (tasks ${group.join(", ")} all lie on cycles)` : "";
    issues.push({ code: "ERR_DAG_CYCLE", path: ["tasks", start, "needs", index], message: `dependency cycle: ${cycle.join(" -> ")}${rest}` });
  }
  return issues;
}

/** Tarjan's algorithm without recursion, so long chains cannot overflow the stack; each group sorted, groups by first member. */
function stronglyConnected(names: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group.sort());
      }
    }
  }
  return groups.sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1));
}

/** Breadth-first search inside one group for the shortest path from `start` back to itself. */
function shortestCycle(start: string, edges: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const target of edges.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
