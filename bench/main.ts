import { engineBench } from "./engine-bench.js";
import { historyBench } from "./history-bench.js";
import { ledgerBench } from "./ledger-bench.js";
import { pipelinesBench } from "./pipelines-bench.js";
import { sandboxBench } from "./sandbox-bench.js";
import { startupBench } from "./startup-bench.js";

const BENCHES: Record<string, () => Promise<void>> = {
  ledger: ledgerBench,
  engine: engineBench,
  sandbox: sandboxBench,
  pipelines: pipelinesBench,
  startup: startupBench,
  history: historyBench,
};

const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const selected = names.length > 0 ? names : Object.keys(BENCHES);
for (const name of selected) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; choose from: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  await bench();
}
