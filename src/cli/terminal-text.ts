import { TERMINAL_CONTROLS } from "../contracts/common.js";

/** Every character a terminal would act on (see TERMINAL_CONTROLS), tab and newline included. */
const UNSAFE = new RegExp(`[${TERMINAL_CONTROLS}]`, "g");

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * One line of text as a terminal shows it safely: every unsafe character written out as an
 * escape (`\x1b`, `\n`, `\u202e`), so text from a user or the ledger can neither move the cursor,
 * recolour or erase the screen, forge a line nor reverse what is shown after it.
 */
export function escapeTerminalLine(line: string): string {
  return line.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

/**
 * Text for a terminal: a string is lines its renderer joined with "\n" (each kept a line); an
 * array holds one line per element, so a newline inside an element came from a field and is
 * escaped with everything else.
 */
export function terminalText(text: string | readonly string[]): string {
  const lines = typeof text === "string" ? text.split("\n") : text;
  return lines.map(escapeTerminalLine).join("\n");
}
