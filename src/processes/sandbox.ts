import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";

/** The sandbox commands run in, by the tool that makes it: Debian's (and most distributions') bubblewrap. */
export const SANDBOX_KIND = "bubblewrap";

/** The environment variable naming the bubblewrap binary; default `bwrap` from PATH. */
export const BWRAP_ENV = "RUNLEDGER_BWRAP";

/**
 * What one sandboxed command may see. The whole file system is read-only, `/tmp` included (a
 * private `/tmp` would hide the tools, data and checkouts people keep there; commands get TMPDIR in
 * their attempt's directory); on top of it, in this order: `hide` covered by empty directories (a
 * file by /dev/null), `writable` bound back read-write (the attempt's directory, under a hidden work
 * root) and `revealed` bound back read-only (a check's view of the attempt's directory; the effects
 * socket's directory, as a unix socket needs no write access to be connected to).
 */
export interface SandboxSpec {
  readonly hide: readonly string[];
  readonly writable: readonly string[];
  readonly revealed: readonly string[];
  /** false: the command gets a network namespace of its own, with only a loopback device. */
  readonly network: boolean;
}

/** The bubblewrap binary: `$RUNLEDGER_BWRAP`, else `bwrap` from PATH. */
export function bwrapBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env[BWRAP_ENV] || "bwrap";
}

/**
 * The descriptor on which bubblewrap writes, as JSON, the pid of the sandbox's init: the launcher
 * waits for that process, whose exit ends every other in the namespace (bubblewrap itself may
 * report the command's exit before).
 */
export const SANDBOX_INFO_FD = 3;

/**
 * `argv` wrapped in bubblewrap. Its own PID namespace: when the command exits, bubblewrap (the
 * namespace's init) exits and the kernel kills every process left in it, whatever it did with its
 * session or environment. No capabilities, even for root, so mounts cannot be undone from inside.
 */
export function sandboxedArgv(argv: readonly string[], spec: SandboxSpec, cwd: string, binary: string = bwrapBinary()): string[] {
  const out = [binary, ...BASE_FLAGS];
  if (!spec.network) out.push("--unshare-net");
  for (const path of outermost(spec.hide)) {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isDirectory()) out.push("--tmpfs", path);
    else if (info) out.push("--ro-bind", "/dev/null", path);
  }
  for (const path of spec.writable) out.push("--bind", path, path);
  for (const path of spec.revealed) out.push("--ro-bind-try", path, path);
  out.push("--info-fd", String(SANDBOX_INFO_FD), "--chdir", cwd, "--", ...argv);
  return out;
}

/** The paths not under another of them: a hidden directory hides what it holds. */
function outermost(paths: readonly string[]): string[] {
  return paths.filter((path, i) => !paths.some((other, j) => j !== i && (path.startsWith(`${other}/`) || (other === path && j < i))));
}

/** The namespaces that cost nothing, no capabilities, and an end with the launcher. */
const BASE_FLAGS = [
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-uts",
  "--unshare-cgroup-try",
  "--cap-drop",
  "ALL",
  "--die-with-parent",
  "--new-session",
];

const probed = new Map<string, string | null>();

/**
 * Why the sandbox cannot start here, or null when it can: bubblewrap is run once per binary and
 * process, with the namespaces a command gets (the network one included), and its stderr is the reason.
 */
export function sandboxUnavailable(binary: string = bwrapBinary()): string | null {
  const known = probed.get(binary);
  if (known !== undefined) return known;
  const probe = spawnSync(binary, [...BASE_FLAGS, "--unshare-net", "--", "true"], { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000, encoding: "utf8" });
  const why = probe.error
    ? `${binary} could not be started (${probe.error.message})`
    : probe.status === 0
      ? null
      : `${binary} failed: ${probe.stderr.trim() || `exit ${probe.status ?? probe.signal}`}`;
  probed.set(binary, why);
  return why;
}
