import type { EventReducers } from "./event-reducer.js";

/** Content-addressed artifacts: one entry per digest, gathering every name and attempt that stored it. */
export const ARTIFACT_REDUCERS: EventReducers<"artifact.stored"> = {
  "artifact.stored": (state, event) => {
    const d = event.data;
    const artifact = (state.artifacts[d.digest] ??= { digest: d.digest, size_bytes: d.size_bytes, first_seq: event.seq, names: [], attempts: [] });
    if (d.name !== undefined && !artifact.names.includes(d.name)) artifact.names.push(d.name);
    if (d.attempt_id !== undefined && !artifact.attempts.includes(d.attempt_id)) artifact.attempts.push(d.attempt_id);
  },
};
