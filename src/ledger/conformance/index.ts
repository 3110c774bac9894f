export { runLedgerConformance, type LedgerConformanceFactory, type LedgerFixture } from "./ledger-conformance.js";
export { HUMAN_ACTOR, SERVICE_ACTOR, sampleRunEvents } from "./sample-events.js";
export { readModelConformance, type ReadModelFixture } from "./read-model-conformance.js";
