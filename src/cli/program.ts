import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { randomIds } from "../core/ids.js";
import { RunledgerError, toRunledgerError } from "../core/errors.js";
import { CommandContext, type GlobalOptions } from "./command-context.js";
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
import { COMMAND_ACTIONS } from "./command-roles.js";
import { registerEffect } from "./commands/effect.js";
import { registerExplain } from "./commands/explain.js";
import { registerComplete } from "./commands/complete.js";
import { registerClassifyAndModes } from "./commands/modes.js";
import { registerNext } from "./commands/next.js";
import { registerResume, registerRun } from "./commands/run.js";
import { registerRuns, registerShow } from "./commands/runs.js";
import { registerVerify } from "./commands/verify.js";
import { registerSecret } from "./commands/secret.js";
import { Output, type CliIo } from "./output.js";
import { resolveActor } from "./actor.js";
import { resolveToken } from "./token.js";
import type { Action } from "../usecases/actions.js";

/** Exit codes: 0 success, 1 a failure at run time, 2 invalid usage or input. */
export const EXIT = { ok: 0, failure: 1, input: 2 } as const;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const output = new Output(io, json, randomIds.next());
  const program = new Command("runledger");
  program
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
  let current: CommandContext | undefined;
  const context = () => (current ??= new CommandContext(io, output, program.opts<GlobalOptions>()));
  registerCommands(program, context);
  program.hook("preAction", (_program, action) => {
    const path = commandPath(action);
    const ctx = context();
    ctx.command = { path, action: Object.hasOwn(COMMAND_ACTIONS, path) ? (COMMAND_ACTIONS[path] as Action | null) : undefined };
    // Who acts and with which token is settled before any work: a bad actor or a missing token
    // file is refused at once, whether or not the command turns out to need them.
    resolveActor(ctx.options.actor, io.env);
    ctx.token = resolveToken(ctx.options, io, output);
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return current?.exitCode ?? EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.exitCode === 0) return EXIT.ok;
      const detail = thrown.code === "commander.help" ? "a command is required" : thrown.message.replace(/^error: /, "");
      output.failure(new RunledgerError("ERR_USAGE", { detail }));
      return EXIT.input;
    }
    const error = toRunledgerError(thrown);
    output.failure(error);
    return error.kind === "input" ? EXIT.input : EXIT.failure;
  }
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
