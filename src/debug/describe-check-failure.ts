const MAX_CHARS = 300;

/**
 * One line for a failed check, from the evidence it left: its message or reason, the failing rows
 * of a rows check, the exit code and output tail of a command check, else its evidence as JSON.
 */
export function describeCheckFailure(evidence: unknown): string {
  if (typeof evidence !== "object" || evidence === null) return clip(JSON.stringify(evidence) ?? "no evidence");
  const e = evidence as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof e["reason"] === "string") parts.push(e["reason"]);
  if (typeof e["message"] === "string") parts.push(e["message"]);
  if (typeof e["failingRows"] === "number") {
    parts.push(`${e["failingRows"]} of ${String(e["rowsChecked"])} rows fail`);
    const first = Array.isArray(e["failures"]) ? (e["failures"][0] as unknown) : undefined;
    if (first !== undefined) parts.push(`first: ${JSON.stringify(first)}`);
  }
  if ("exitCode" in e && Array.isArray(e["command"])) {
    if (typeof e["reason"] !== "string") parts.push(e["signal"] ? `killed by ${String(e["signal"])}` : `exit code ${String(e["exitCode"])}`);
    const tail = [e["stderrTail"], e["stdoutTail"]].find((t) => typeof t === "string" && t.trim() !== "") as string | undefined;
    if (tail !== undefined) parts.push(`output: ${tail.trim().split("\n").slice(-3).join(" | ")}`);
  }
  if (typeof e["rows"] === "number" && typeof e["reason"] === "string") parts.push(`${e["rows"]} ${String(e["unit"] ?? "rows")}`);
  if (typeof e["totalErrors"] === "number") parts.push(`${e["totalErrors"]} schema errors`);
  return clip(parts.length > 0 ? parts.join("; ") : JSON.stringify(e));
}

function clip(text: string): string {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
