import type { CliIo } from "./output.js";

/**
 * On a terminal's stderr, one line that a rebuild of the read models rewrites as it goes
 * (`rebuilding read models: 120,000 / 1,000,000 events`) and ends when it reaches the head;
 * nothing when stderr is not a terminal or with --json, whose stderr carries log lines only.
 */
export function readModelProgress(io: CliIo, json: boolean): ((seq: number, head: number) => void) | undefined {
  const stderr = io.stderr as CliIo["stderr"] & { readonly isTTY?: boolean };
  if (json || stderr.isTTY !== true) return undefined;
  const count = new Intl.NumberFormat("en-US");
  // Written straight to the terminal, not through Output: the line holds numbers only, and its
  // carriage return, which Output would escape, is what rewrites it in place.
  return (seq, head) => {
    stderr.write(`\rrebuilding read models: ${count.format(seq)} / ${count.format(head)} events${seq >= head ? "\n" : ""}`);
  };
}
