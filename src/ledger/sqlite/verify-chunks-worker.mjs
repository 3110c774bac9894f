// @ts-check
// Takes chunks of a SQLite ledger's hash chain to verify in a worker thread, beside the thread that
// started it, until none is left; then posts its findings. Plain JavaScript, so it loads the same from src/ and dist/.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { chunkStatements, verifyNextChunk } from "./verify-chunks.mjs";

// Started as a worker thread (sqlite-ledger-store.ts), so there is a parent port.
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
/** @type {{ path: string, to: number, chunkRows: number, counter: SharedArrayBuffer }} */
const { path, to, chunkRows, counter } = workerData;
const db = new Database(path, { readonly: true, fileMustExist: true });
const statements = chunkStatements(db);
const job = { to, chunkRows, counter: new Int32Array(counter) };
/** @type {import("./verify-chunks.d.mts").ChunkFinding[]} */
const findings = [];
for (let finding; (finding = verifyNextChunk(statements, job));) findings.push(finding);
db.close();
port.postMessage(findings);
