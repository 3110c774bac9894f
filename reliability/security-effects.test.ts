import { spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, initWorkspace, runledger } from "./support/engine.js";
import { reportFigures } from "./support/figures.js";

/**
 * The effects socket as a hostile command sees it: a request without end, a stale token, a
 * look-alike socket directory of another user. Every run here gets a private TMPDIR, so the socket
 * directories it makes and sweeps are its own to inspect.
 */
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "runledger-rel-fx-"));
  root = initWorkspace(dir, "ws");
  // Sends one request line of `size` payload bytes, with the attempt's token first; `open` leaves the line without its end.
  writeFileSync(
    join(root, "flood.py"),
    [
      "import os, socket, sys",
      "size, mode = int(sys.argv[1]), sys.argv[2]",
      "s = socket.socket(socket.AF_UNIX)",
      's.connect(os.environ["RUNLEDGER_EFFECTS_SOCKET"])',
      "chunk, sent, answer = b'A' * 65536, 0, b''",
      "try:",
      '    s.sendall((\'{"token":"%s","effect":"http.post","payload":"\' % os.environ["RUNLEDGER_EFFECTS_TOKEN"]).encode())',
      "    while sent < size:",
      "        s.sendall(chunk[: size - sent])",
      "        sent += min(len(chunk), size - sent)",
      "    if mode == 'closed':",
      "        s.sendall(b'\"}\\n')",
      "except OSError as error:",
      "    print('dropped after', sent, error, file=sys.stderr)",
      "try:",
      "    answer = s.recv(65536)",
      "except OSError:",
      "    pass",
      "open('outputs/result.json', 'w').write(answer.decode() or '{}')",
      "",
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh private temp dir for one engine. */
function privateTmp(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { mode: 0o700 });
  return path;
}

function fxDirs(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith("runledger-fx-"));
}

/** Runs the CLI in the background and samples its peak resident set (VmHWM) until it exits. */
function runMeasured(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string; peakKiB: number }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: root,
    env: { ...process.env, RUNLEDGER_ACTOR: "human:tester", CI: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let peakKiB = 0;
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const sample = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch {
      // exited between samples
    }
  }, 20);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearInterval(sample);
      resolve({ code: code ?? -1, stdout, stderr, peakKiB });
    });
  });
}

interface RunJson {
  status: string;
  result: string;
  tasks: { name: string; outcome: string; attempts: { error_code: string | null }[] }[];
}

describe("security: the effects socket", () => {
  it("a 64 MiB request without a newline: the engine survives with bounded memory, the attempt fails ERR_EFFECTS_LIMIT, the run ends FAIL, no socket directory is left", async () => {
    const pipeline = (name: string, size: number, mode: string) => {
      const file = join(root, `${name}.yaml`);
      writeFileSync(
        file,
        `pipeline: ${name}\ntasks:\n  flood:\n    run: 'python3 "$RUNLEDGER_PIPELINE_DIR/flood.py" ${size} ${mode}'\n    effects: [http.post]\n    outputs: [outputs/result.json]\n    checks: [{ nonEmpty: outputs/result.json }]\n`,
      );
      return file;
    };
    // The same command with a request of 512 KiB, under the limit: the memory the engine needs anyway.
    const controlTmp = privateTmp("tmp-control");
    const control = await runMeasured(["run", pipeline("fx-control", 512 * 1024, "closed"), "--enforcement", "shadow", "--json"], { TMPDIR: controlTmp });
    expect(control.code, control.stderr).toBe(0);
    const floodTmp = privateTmp("tmp-flood");
    const flood = await runMeasured(["run", pipeline("fx-flood", 64 * 1024 * 1024, "open"), "--enforcement", "shadow", "--json"], { TMPDIR: floodTmp });
    expect(flood.stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(flood.code).toBe(1);
    const run = (JSON.parse(flood.stdout) as { run: RunJson }).run;
    expect(run).toMatchObject({ status: "failed", result: "FAIL" });
    expect(run.tasks[0]!.attempts.at(-1)).toMatchObject({ error_code: "ERR_EFFECTS_LIMIT" });
    expect(fxDirs(floodTmp), "the socket directory is removed").toEqual([]);
    const growthMiB = (flood.peakKiB - control.peakKiB) / 1024;
    reportFigures("security-effects.oversize", {
      control_peak_mib: Math.round(control.peakKiB / 1024),
      flood_peak_mib: Math.round(flood.peakKiB / 1024),
      growth_mib: Math.round(growthMiB),
    });
    expect(growthMiB, "the request is never held whole").toBeLessThan(24);
  });

  it("runledger effect with a stale token, and once its socket is gone: ERR_EFFECT_FAILED, exit 1, an envelope and no stack trace", () => {
    const effect = `"${process.execPath}" "${CLI}" effect`;
    const file = join(root, "fx-stale.yaml");
    // `first` keeps its token; `second` calls with it once `first` has ended, on the run's live
    // socket, and fails on purpose so that its directory, with what it saw, is kept.
    writeFileSync(
      file,
      [
        "pipeline: fx-stale",
        "tasks:",
        "  first:",
        `    run: 'printf %s "$RUNLEDGER_EFFECTS_TOKEN" > outputs/token'`,
        "    outputs: [outputs/token]",
        "    checks: [{ nonEmpty: outputs/token }]",
        "  second:",
        "    needs: [first]",
        `    run: 'RUNLEDGER_EFFECTS_TOKEN=$(cat inputs/first/token) ${effect} http.post --payload "{}" --json > answer.json 2> err.txt; echo $? > code; printf %s "$RUNLEDGER_EFFECTS_SOCKET" > socket; exit 3'`,
        "    effects: [http.post]",
        "    outputs: [outputs/none]",
        "    checks: [{ nonEmpty: outputs/none }]",
        "",
      ].join("\n"),
    );
    const tmp = privateTmp("tmp-stale");
    const ran = runledger(["-w", root, "run", file, "--enforcement", "shadow", "--json"], { cwd: root, env: { TMPDIR: tmp } });
    expect(ran.code, ran.stderr).toBe(1);
    const runId = (JSON.parse(ran.stdout) as { run: { id: string } }).run.id;
    const kept = join(root, ".runledger", "work", runId, "second.1");
    const read = (name: string) => readFileSync(join(kept, name), "utf8");
    expect(read("code").trim()).toBe("1");
    expect(JSON.parse(read("answer.json"))).toMatchObject({
      status: "error",
      error: { code: "ERR_EFFECT_FAILED", message: expect.stringContaining("no attempt holds that token") },
    });
    expect(read("err.txt")).not.toMatch(/Unhandled|\n\s+at /);
    const socket = read("socket");
    expect(socket).toMatch(/runledger-fx-/);
    expect(existsSync(socket), "the run's socket is gone once it ended").toBe(false);
    for (const json of [true, false]) {
      const gone = runledger(["effect", "http.post", "--payload", "{}", ...(json ? ["--json"] : [])], {
        cwd: dir,
        env: { RUNLEDGER_EFFECTS_SOCKET: socket, RUNLEDGER_EFFECTS_TOKEN: "stale" },
      });
      expect(gone.code).toBe(1);
      expect(gone.stderr).not.toMatch(/Unhandled|\n\s+at /);
      if (json) expect(JSON.parse(gone.stdout)).toMatchObject({ status: "error", error: { code: "ERR_EFFECT_FAILED" } });
      else expect(gone.stderr).toContain("code: ERR_EFFECT_FAILED");
    }
  });

  it("a run's sweep leaves another user's runledger-fx-* directory, one without runledger's marker and a link alone; its own stale one goes", () => {
    const tmp = privateTmp("tmp-sweep");
    const hourAgo = new Date(Date.now() - 3_600_000);
    const make = (name: string, marker: boolean) => {
      const path = join(tmp, name);
      mkdirSync(path);
      writeFileSync(join(path, "canary"), "canary");
      if (marker) writeFileSync(join(path, "runledger-fx"), "runledger effects socket directory v1\n");
      return path;
    };
    const others = make("runledger-fx-others", true);
    const unmarked = make("runledger-fx-unmarked", false);
    const own = make("runledger-fx-own", true);
    const target = make("elsewhere", true);
    const link = join(tmp, "runledger-fx-link");
    symlinkSync(target, link);
    for (const path of [join(others, "canary"), join(others, "runledger-fx"), others]) chownSync(path, 65534, 65534);
    for (const path of [others, unmarked, own, target]) utimesSync(path, hourAgo, hourAgo);
    const file = join(root, "fx-sweep.yaml");
    // The sweep runs beside the run, from its first command attempt: a second's sleep lets it finish.
    writeFileSync(
      file,
      "pipeline: fx-sweep\ntasks:\n  wait:\n    run: 'sleep 1; echo ok > outputs/ok'\n    outputs: [outputs/ok]\n    checks: [{ nonEmpty: outputs/ok }]\n",
    );
    const ran = runledger(["-w", root, "run", file], { cwd: root, env: { TMPDIR: tmp } });
    expect(ran.code, ran.stderr).toBe(0);
    expect(existsSync(own), "runledger's own stale directory went").toBe(false);
    expect(readFileSync(join(others, "canary"), "utf8")).toBe("canary");
    expect(readFileSync(join(unmarked, "canary"), "utf8")).toBe("canary");
    expect(readFileSync(join(link, "canary"), "utf8")).toBe("canary");
    expect(readFileSync(join(target, "canary"), "utf8")).toBe("canary");
  });
});
