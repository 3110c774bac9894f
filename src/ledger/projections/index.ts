export { applyEvent } from "./apply-event.js";
export { Projector } from "./projector.js";
export * from "./projection-state.js";
