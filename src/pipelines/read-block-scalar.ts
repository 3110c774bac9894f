import { isBlankOrComment, UNSUPPORTED, type Unsupported } from "./simple-yaml-scalars.js";

/**
 * A literal block scalar (`|` or `|-`, the way multi-line commands are written) whose header is
 * `header` and whose lines start at `rows[from]`, under a key or dash at `parentIndent`: its value and
 * the first row after it. Folded (`>`), kept (`|+`) and explicitly indented scalars, and blank lines
 * that carry more spaces than the text's indentation, are left to the full parser.
 */
export function readBlockScalar(header: string, rows: readonly string[], from: number, parentIndent: number): { value: string; next: number } | Unsupported {
  const strip = header.startsWith("|-");
  if (!header.startsWith("|") || !isBlankOrComment(header, strip ? 2 : 1)) return UNSUPPORTED;
  let indent = -1;
  let next = from;
  for (; next < rows.length; next++) {
    const row = rows[next]!;
    const text = row.trimStart();
    const rowIndent = row.length - text.length;
    if (text === "") {
      if (indent !== -1 ? rowIndent > indent : rowIndent > parentIndent) return UNSUPPORTED;
      continue;
    }
    if (indent === -1) {
      if (rowIndent <= parentIndent) break;
      indent = rowIndent;
    } else if (rowIndent < indent) break;
  }
  const lines = rows.slice(from, next).map((row) => row.slice(Math.max(indent, 0)));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return { value: "", next };
  const body = lines.join("\n");
  return { value: strip ? body : `${body}\n`, next };
}
