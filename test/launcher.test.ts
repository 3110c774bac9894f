import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCommand, type CommandSpec } from "../src/engine/run-command.js";
import type { SandboxSpec } from "../src/processes/sandbox.js";

const dir = mkdtempSync(join(tmpdir(), "runledger-launcher-"));

function spec(name: string, script: string, timeoutMs = 10_000): CommandSpec {
  return {
    argv: ["sh", "-c", script],
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", TAG: name },
    timeoutMs,
    stdoutPath: join(dir, `${name}.out`),
    stderrPath: join(dir, `${name}.err`),
    tag: `TAG=${name}`,
  };
}

/** Whether a process runs (a zombie waiting to be reaped does not). */
function alive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "latin1"));
  } catch {
    return false;
  }
}

/** Live processes whose environment carries `entry` (`NAME=value`). */
function carrying(entry: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name) && alive(Number(name)))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const SANDBOX: SandboxSpec = { hide: [], writable: [dir], revealed: [], network: false };

async function waitFor(path: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return "";
      }
    })();
    if (text.endsWith("\n")) return text.trim();
    await sleep(10);
  }
  throw new Error(`${path} was never written`);
}

describe("command launcher", () => {
  it("starts commands from a small resident process, not from the engine, each in its own process group", async () => {
    const first = await runCommand(spec("parent", "echo $$; cat /proc/$$/stat"));
    expect(first).toMatchObject({ exitCode: 0, timedOut: false });
    const [self, stat] = readFileSync(join(dir, "parent.out"), "utf8").trim().split("\n");
    // /proc/<pid>/stat after the command name: state, ppid, pgrp, …
    const [, parent, group] = (stat as string)
      .slice((stat as string).lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    expect(parent).not.toBe(process.pid);
    expect(readFileSync(`/proc/${parent}/cmdline`, "latin1")).toContain("launcher-process.mjs");
    expect(group).toBe(Number(self));
    // The same launcher serves the next command.
    await runCommand(spec("again", "echo $PPID"));
    expect(Number(readFileSync(join(dir, "again.out"), "utf8"))).toBe(parent);
  });

  it("reports a command that cannot start, with the reason", async () => {
    const outcome = await runCommand({ ...spec("missing", ""), argv: ["/no/such/program"] });
    expect(outcome.exitCode).toBeNull();
    expect(outcome.spawnError).toMatch(/ENOENT/);
  });

  it("ends what a command left running outside its group (setsid) before its exit is reported", async () => {
    const outcome = await runCommand(spec("escape", "setsid sleep 1000 & echo $! > escape.pid; sleep 0.2"));
    expect(outcome.exitCode).toBe(0);
    const escaped = Number(readFileSync(join(dir, "escape.pid"), "utf8"));
    expect(escaped).toBeGreaterThan(0);
    expect(alive(escaped)).toBe(false);
  });

  it("a lost launcher fails the command it was running, whose group the engine then ends; the next command gets a new launcher", async () => {
    const running = runCommand(spec("lost", "echo $PPID > lost.ppid; sleep 1000 & echo $! > lost.pid; wait"));
    const launcher = Number(await waitFor(join(dir, "lost.ppid")));
    const sleeper = Number(await waitFor(join(dir, "lost.pid")));
    expect(alive(sleeper)).toBe(true);
    process.kill(launcher, "SIGKILL");
    const outcome = await running;
    expect(outcome.spawnError).toMatch(/the command launcher exited/);
    expect(alive(sleeper)).toBe(false);
    await runCommand(spec("after", "echo $PPID"));
    const next = Number(readFileSync(join(dir, "after.out"), "utf8"));
    expect(next).not.toBe(launcher);
    expect(alive(next)).toBe(true);
  });

  it("a sandboxed command runs in a PID namespace of its own, which ends with it: an escapee without its tag, in a new session, is gone", async () => {
    const mark = `MARK=sandboxed-${process.pid}`;
    const outcome = await runCommand({
      ...spec("sandboxed", "env -u TAG setsid sleep 1000 & sleep 0.3; echo $$"),
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", TAG: "sandboxed", MARK: mark.slice(5) },
      sandbox: SANDBOX,
    });
    expect(outcome).toMatchObject({ exitCode: 0, timedOut: false });
    // The shell is the second process of its namespace, after bubblewrap's init.
    expect(Number(readFileSync(join(dir, "sandboxed.out"), "utf8"))).toBe(2);
    expect(carrying(mark)).toEqual([]);
  });

  it("a lost launcher takes its sandboxed commands with it", async () => {
    const mark = `MARK=lost-sandboxed-${process.pid}`;
    const running = runCommand({
      ...spec("lost-sandboxed", "setsid sleep 1000 & sleep 1000"),
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", MARK: mark.slice(5) },
      sandbox: SANDBOX,
    });
    let launcher: number | undefined;
    for (let i = 0; i < 500 && launcher === undefined; i++) {
      const sleepers = carrying(mark).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "latin1").startsWith("bwrap\0"));
      const outer = sleepers
        .map((pid) => Number(readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]!.split(" ")[1]))
        .find((parent) => readFileSync(`/proc/${parent}/cmdline`, "latin1").includes("launcher-process.mjs"));
      if (outer !== undefined && carrying(mark).length >= 4) launcher = outer;
      else await sleep(10);
    }
    expect(launcher).toBeDefined();
    process.kill(launcher!, "SIGKILL");
    expect((await running).spawnError).toMatch(/the command launcher exited/);
    for (let i = 0; i < 100 && carrying(mark).length > 0; i++) await sleep(20);
    expect(carrying(mark)).toEqual([]);
  });
});
