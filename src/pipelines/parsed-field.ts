import { z } from "zod";

/**
 * A zod schema for a field written as a string or a number and read by `parse` (a duration, a
 * size): it outputs what `parse` returns, and where `parse` throws, an issue saying `invalid
 * <what> <value>: <hint>`.
 */
export function parsedField<T>(parse: (value: string | number) => T, what: string, hint: string) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      return parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `invalid ${what} ${JSON.stringify(value)}: ${hint}` });
      return z.NEVER;
    }
  });
}
