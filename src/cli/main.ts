#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps the compiled code of the modules it loads on disk (os.tmpdir()/node-compile-cache,
// or NODE_COMPILE_CACHE; never the workspace), so later starts skip compiling them. It never throws,
// changes no behaviour, reaches no child process, and Node 20 has no such call. It must come before
// the CLI's modules load, hence the dynamic import below.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { runCli } = await import("./program.js");

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
});
