// What front doors show: read models shaped for output, typed by the contracts they publish.
export { accessView, readAccess } from "./access.js";
export { auditView } from "./audit.js";
export type { CommandResult } from "./command-result.js";
export { debugPacketJson } from "./debug-packet.js";
export { debugPacketSummary, debugPacketsView } from "./debug-packet-summary.js";
export { findGate } from "./find-gate.js";
export { explanationView } from "./explanation.js";
export { findRun, findRunId, findRunView } from "./find-run.js";
export { gatesView } from "./gates.js";
export { modesView, classificationView } from "./modes.js";
export { operatorTransition, operatorView, operatorViews, type OperatorFacts } from "./operators.js";
export { loadReceipt, receiptView } from "./receipt.js";
export { runJson, runJsonOf } from "./run.js";
export { runSummary } from "./run-summary.js";
export { runsView, type RunsPage, type RunsQuery, DEFAULT_RUNS_LIMIT } from "./runs.js";
export { secretChangeView, type ChangedSecret } from "./secret-change.js";
export { secretsView } from "./secrets.js";
export { watermarkView, watermarksView } from "./watermarks.js";
