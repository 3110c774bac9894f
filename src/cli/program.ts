import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { randomIds } from "../core/ids.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import type { CommandContext, GlobalOptions } from "./command-context.js";
import { registerInit } from "./commands/init.js";
import { registerArtifacts, registerReceipt } from "./commands/artifacts.js";
import { registerAccess } from "./commands/access.js";
import { registerAudit } from "./commands/audit.js";
import { registerAdmin } from "./commands/admin.js";
import { registerMonitor } from "./commands/monitor.js";
import { registerOperator } from "./commands/operator.js";
import { registerWatermark } from "./commands/watermark.js";
import { registerGate } from "./commands/gate.js";
import { registerDebug } from "./commands/debug.js";
import { registerEffect } from "./commands/effect.js";
import { registerExplain } from "./commands/explain.js";
import { registerComplete } from "./commands/complete.js";
import { registerClassifyAndModes } from "./commands/modes.js";
import { registerNext } from "./commands/next.js";
import { registerResume, registerRun } from "./commands/run.js";
import { registerRuns, registerShow } from "./commands/runs.js";
import { registerVerify } from "./commands/verify.js";
import { registerSecret } from "./commands/secret.js";
import type { CliIo, Output } from "./output.js";

/** Exit codes: 0 success, 1 a failure at run time, 2 invalid usage or input. */
export const EXIT = { ok: 0, failure: 1, input: 2 } as const;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const executionId = randomIds.next();
  // Where words go and what a command knows load only once they are needed: `--version`,
  // `--help` and most usage errors finish without them (docs/architecture.md, "Performance notes").
  let output: Output | undefined;
  const outputFor = async () => (output ??= new (await import("./output.js")).Output(io, json, executionId));
  let current: CommandContext | undefined;
  const context = () => {
    if (current === undefined) throw new Error("a command's context is made before its action runs");
    return current;
  };
  const program = newProgram(io, json);
  registerCommands(program, context);
  program.hook("preAction", async (_program, action) => {
    const { startCommand } = await import("./start-command.js");
    current = startCommand(await outputFor(), program.opts<GlobalOptions>(), commandPath(action));
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return current?.exitCode ?? EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.exitCode === 0) return EXIT.ok;
      const detail = thrown.code === "commander.help" ? "a command is required" : thrown.message.replace(/^error: /, "");
      (await outputFor()).failure(new RunledgerError("ERR_USAGE", { detail }));
      return EXIT.input;
    }
    const error = toRunledgerError(thrown);
    (await outputFor()).failure(error);
    return error.kind === "input" ? EXIT.input : EXIT.failure;
  }
}

/** The program with its global options, its version and help text going to `io`, and errors thrown rather than exiting. */
function newProgram(io: CliIo, json: boolean): Command {
  return new Command("runledger")
    .description("runledger: a local-first, evidence-first run engine with a hash-chained ledger")
    .version(packageVersion(), "-V, --version")
    .option("--json", "print only the final JSON envelope on stdout; logs go to stderr as JSON")
    .option("-w, --workspace <dir>", "the workspace directory (default: the nearest with runledger.json)")
    .option(
      "--actor <kind:id>",
      "who is acting: kind human, llm or service, then ':' and an id without control characters (default RUNLEDGER_ACTOR, else the logged-in user as human)",
    )
    .option("--token-file <file>", "read the bearer token of the acting actor from the first line of this file (keep it chmod 600)")
    .option("--token <token>", "the bearer token on the command line, where other users can read it (warns; prefer RUNLEDGER_TOKEN or --token-file)")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => (json ? undefined : io.stderr.write(text)),
      outputError: () => undefined,
    });
}

/** Every command of the CLI, registered on `program`. */
function registerCommands(program: Command, context: () => CommandContext): void {
  const registers = [
    registerInit,
    registerRun,
    registerResume,
    registerComplete,
    registerRuns,
    registerShow,
    registerReceipt,
    registerExplain,
    registerNext,
    registerClassifyAndModes,
    registerArtifacts,
    registerVerify,
    registerAccess,
    registerAudit,
    registerAdmin,
    registerOperator,
    registerWatermark,
    registerGate,
    registerMonitor,
    registerDebug,
    registerSecret,
    registerEffect,
  ];
  for (const register of registers) {
    register(program, context);
  }
}

/** The paths of every runnable command (`run`, `artifacts get`), for holding each to an action. */
export function commandPaths(): string[] {
  const program = new Command("runledger");
  registerCommands(program, () => {
    throw new Error("not running");
  });
  const paths: string[] = [];
  const walk = (command: Command) => {
    if (command.commands.length === 0) paths.push(commandPath(command));
    command.commands.forEach(walk);
  };
  program.commands.forEach(walk);
  return paths;
}

/** A command's path below the program: `run`, `artifacts get`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
