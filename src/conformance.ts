// The `runledger/conformance` entry point: the suites every backend of a port passes, for
// third-party backends to run in their own tests. They register vitest tests, so they need the
// optional peer dependency `vitest`.
export type { StoredRow } from "./ledger/hash-chain.js";
export {
  HUMAN_ACTOR,
  SERVICE_ACTOR,
  readModelConformance,
  runLedgerConformance,
  sampleRunEvents,
  type LedgerConformanceFactory,
  type LedgerFixture,
  type ReadModelFixture,
} from "./ledger/conformance/index.js";
export {
  expectRunledgerError,
  patternBytes,
  runArtifactStoreConformance,
  type ArtifactStoreFactory,
  type ConformanceContext,
} from "./artifacts/conformance/index.js";
