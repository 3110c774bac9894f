import { z } from "zod";

/** `sha256:<64 lowercase hex>`. */
export const DigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 lowercase hex>");

/** ISO-8601 UTC timestamp with a `Z` suffix. */
export const TimestampSchema = z.iso.datetime({ offset: false });

export const ACTOR_KINDS = ["human", "llm", "service"] as const;

/**
 * The characters a terminal acts on instead of showing, as the body of a regular-expression class:
 * C0 controls (escape sequences, carriage return, newline, backspace), DEL, C1 controls (0x9b
 * starts a sequence on its own), the line and paragraph separators, and the Unicode bidi controls
 * that reorder what follows them.
 */
export const TERMINAL_CONTROLS = "\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";

/**
 * Text with none of TERMINAL_CONTROLS. Actors are shown wherever runs, audits and grants are, so
 * one recorded with an escape sequence would rewrite every terminal that shows it.
 */
export const PRINTABLE_TEXT = new RegExp(`^[^${TERMINAL_CONTROLS}]*$`);
const PRINTABLE_MESSAGE = "expected no control characters (C0, DEL, C1, line separators or bidi controls)";

/** Who acted: every ledger event names one. Keys in sorted order, like the ledger's payloads (see events.ts). */
export const ActorSchema = z
  .object({
    id: z.string().min(1).max(200).regex(PRINTABLE_TEXT, PRINTABLE_MESSAGE),
    kind: z.enum(ACTOR_KINDS),
    profile: z.string().min(1).max(200).regex(PRINTABLE_TEXT, PRINTABLE_MESSAGE).optional(),
  })
  .strict();
export type Actor = z.infer<typeof ActorSchema>;

/** A project name: the namespace of state; two projects share nothing. */
export const ProjectSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "expected letters, digits, '.', '_' or '-', starting with a letter or digit");

/** An operator id: letters, digits, '.', '_', '-' or '/', starting with a letter or digit. */
export const OperatorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/, "expected letters, digits, '.', '_', '-' or '/', starting with a letter or digit");

/** An operator version: letters, digits, '.', '_', '+' or '-', starting with a letter or digit (e.g. `1.2.0`). */
export const OperatorVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "expected letters, digits, '.', '_', '+' or '-', starting with a letter or digit");

/** An operator reference `id@version`, naming exactly one registered operator version. */
export const OperatorRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}@[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "expected <id>@<version>");

/**
 * A relative path under `outputs/`: segments separated by '/', none empty, none '.' or '..',
 * no backslashes, so it can never leave the outputs folder.
 */
export const OutputPathSchema = z
  .string()
  .regex(/^outputs(?:\/(?!\.{1,2}(?:\/|$))[^/\\]+)+$/, "expected a path under outputs/ without '.' or '..' segments");
