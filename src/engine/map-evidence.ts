import { lstat } from "node:fs/promises";
import { basename } from "node:path";
import { RunledgerError, type Issue } from "../core/errors.js";
import type { OperatorDefinition } from "../operators/operator-definition.js";
import { problemCount } from "../core/validation-error.js";

/**
 * Maps evidence files to a manual operator's declared outputs by file name (`/tmp/touches.csv` →
 * `outputs/touches.csv`). Throws ERR_EVIDENCE_MISMATCH listing every problem at once: a file that
 * does not exist or is no regular file (a link included), a file whose name no declared output has, two files of
 * the same name, and a declared output no file is given for.
 */
export async function mapEvidence(operator: OperatorDefinition, files: readonly string[]): Promise<{ path: string; file: string }[]> {
  const issues: Issue[] = [];
  const byName = new Map(operator.outputs.map((path) => [basename(path), path]));
  const mapped = new Map<string, { path: string; file: string }>();
  for (const [i, file] of files.entries()) {
    const name = basename(file);
    // lstat: evidence is taken as outputs are, never through a link.
    const info = await lstat(file).catch(() => undefined);
    if (!info?.isFile()) {
      issues.push({
        code: "ERR_EVIDENCE_MISMATCH",
        path: ["evidence", i],
        message: info?.isSymbolicLink() ? `${file} is a symbolic link; pass the file it points to` : `${file} is not a readable file`,
      });
      continue;
    }
    const path = byName.get(name);
    if (path === undefined) {
      issues.push({
        code: "ERR_EVIDENCE_MISMATCH",
        path: ["evidence", i],
        message: `${file}: no declared output is named ${name}; expected one of ${[...byName.keys()].join(", ")}`,
      });
    } else if (mapped.has(path)) {
      issues.push({
        code: "ERR_EVIDENCE_MISMATCH",
        path: ["evidence", i],
        message: `${file}: ${path} is already given by ${mapped.get(path)?.file ?? "another file"}`,
      });
    } else {
      mapped.set(path, { path, file });
    }
  }
  for (const [i, path] of operator.outputs.entries()) {
    if (!mapped.has(path) && ![...files].some((f) => basename(f) === basename(path))) {
      issues.push({
        code: "ERR_EVIDENCE_MISMATCH",
        path: ["outputs", i],
        message: `declared output ${path} has no evidence file; pass --evidence <dir>/${basename(path)}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new RunledgerError("ERR_EVIDENCE_MISMATCH", { detail: `${problemCount(issues.length)} with the evidence for ${operator.ref}`, issues });
  }
  return operator.outputs.map((path) => mapped.get(path) as { path: string; file: string });
}
