import { DURATION_HINT, parseDuration } from "../core/duration.js";
import { parsedField } from "./parsed-field.js";

/** A zod schema for a duration field: accepts what `parseDuration` accepts and outputs milliseconds. */
export const DurationSchema = parsedField(parseDuration, "duration", DURATION_HINT);
