import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";

const worker = resolve(import.meta.dirname, "../fixtures/append-worker.ts");

/**
 * Starts one appender process per project (test/fixtures/append-worker.ts), each to append `batches`
 * batches of `size` run.started events to the SQLite ledger at `path`. Resolves once every process
 * has opened the ledger; `go()` then releases them all together, so their appends overlap however
 * long each process took to start, and resolves with their exit codes. `pauseMs` between batches
 * lets the others take the write lock, so the appends interleave however fast each one is.
 */
export async function readyAppenders(
  path: string,
  projects: readonly string[],
  batches: number,
  size: number,
  pauseMs = 0,
): Promise<{ go(): Promise<(number | null)[]> }> {
  const children = projects.map((project) =>
    spawn(process.execPath, ["--import", "tsx", worker, path, project, String(batches), String(size), String(pauseMs)], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const exits = children.map((child) => once(child, "exit") as Promise<[number | null]>);
  await Promise.race([
    Promise.all(children.map((child) => once(child.stdout, "data"))),
    ...exits.map((exit) =>
      exit.then(([code]) => {
        throw new Error(`an appender exited with ${code} before it was ready`);
      }),
    ),
  ]);
  return {
    go: async () => {
      for (const child of children) child.stdin.end("go\n");
      return (await Promise.all(exits)).map(([code]) => code);
    },
  };
}
