/** Writes contracts/runledger.schema.json from the zod schemas in src/contracts (`npm run contracts`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTRACTS_SCHEMA_PATH, renderContracts } from "../src/contracts/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, CONTRACTS_SCHEMA_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderContracts());
process.stdout.write(`wrote ${CONTRACTS_SCHEMA_PATH}\n`);
