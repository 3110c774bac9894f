// What front doors show: read models shaped for output, typed by the contracts they publish.
export { accessView, readAccess } from "./access.js";
export { auditView } from "./audit.js";
export { debugPacketJson } from "./debug-packet.js";
export { debugPacketSummary } from "./debug-packet-summary.js";
export { findGate } from "./find-gate.js";
export { findRun } from "./find-run.js";
export { gatesView } from "./gates.js";
export { operatorViews } from "./operators.js";
export { loadReceipt, receiptView } from "./receipt.js";
export { runJson } from "./run.js";
export { runSummary } from "./run-summary.js";
export { secretsView } from "./secrets.js";
export { watermarksView } from "./watermarks.js";
