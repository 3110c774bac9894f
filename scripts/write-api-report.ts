/** Writes api/runledger.api.txt, the list of every public name (`npm run api`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { API_REPORT_PATH, renderApiReport } from "./api-report.js";

const target = join(dirname(fileURLToPath(import.meta.url)), "..", API_REPORT_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderApiReport());
process.stdout.write(`wrote ${API_REPORT_PATH}\n`);
