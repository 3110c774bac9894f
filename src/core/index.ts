export * from "./canonical-json.js";
export * from "./clock.js";
export * from "./digest.js";
export * from "./errors.js";
export * from "./ids.js";
export * from "./list-some.js";
export * from "./file-kind.js";
export { parseDuration } from "./duration.js";
export * from "./state-dir.js";
