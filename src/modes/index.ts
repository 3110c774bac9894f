export { assessEvidence, isCounted, type EvidenceResult, type PassedTaskFacts } from "./assess-evidence.js";
export { classifyTitle, type Classification } from "./classify-title.js";
export { DEFAULT_MODES } from "./default-modes.js";
export { ModeRegistry, modeRegistryWith } from "./mode-registry.js";
export { selectMode, type ModeSelection } from "./select-mode.js";
export { EvidenceItemSchema, StopRuleSchema, WorkModeSchema, type EvidenceItem, type StopRule, type WorkMode } from "./work-mode.js";
