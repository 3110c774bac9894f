import { z } from "zod";
import { ERROR_CODES } from "../core/errors.js";

/** One of the stable `ERR_*` codes of the error canon (`ERROR_CODES` in core). */
export const ErrorCodeSchema = z.enum(ERROR_CODES);
