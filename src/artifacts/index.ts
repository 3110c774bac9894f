// The conformance suite imports vitest, so it is reached through ./conformance/index.js only.
export {
  ARTIFACT_REF_PREFIX,
  artifactCorruptError,
  artifactNotFoundError,
  artifactRef,
  storedArtifact,
  type ArtifactSource,
  type ArtifactStat,
  type ArtifactStore,
  type ArtifactStoreCapabilities,
  type PutOptions,
  type StoredArtifact,
  type VerifyAllReport,
} from "./artifact-store.js";
export { FsArtifactStore, openFsArtifactStore, type FsArtifactStoreOptions } from "./fs/fs-artifact-store.js";
export { nodeFileSystem, type FileSystem } from "./fs/file-system.js";
export { fsLayout, type FsLayout } from "./fs/fs-layout.js";
