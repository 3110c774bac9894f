/**
 * A deterministic command pipeline of `count` tasks in lanes of ten: t<i> needs t<i-1> within a
 * lane and t<i-10> across lanes. Each task hashes its inputs and its own name into outputs/o.txt,
 * so the bytes of every output depend on the whole graph above it. `marker`, when given, is a file
 * each execution appends its task name to (to count executions across engines); such a pipeline
 * runs with `sandbox: off`, as the sandbox lets a command write nowhere but its attempt's directory.
 */
export function lanePipeline(name: string, count: number, options: { marker?: string; sleep?: string } = {}): string {
  const lines = [`pipeline: ${name}`, ...(options.marker ? ["sandbox: off"] : []), "tasks:"];
  for (let i = 0; i < count; i++) {
    const task = taskName(i);
    const needs = [i % 10 !== 0 ? taskName(i - 1) : undefined, i >= 10 ? taskName(i - 10) : undefined].filter((n) => n !== undefined);
    const mark = options.marker ? `echo ${task} >> ${options.marker}; ` : "";
    const pause = options.sleep ? `sleep ${options.sleep}; ` : "";
    lines.push(
      `  ${task}:`,
      ...(needs.length > 0 ? [`    needs: [${needs.join(", ")}]`] : []),
      `    run: "${mark}${pause}{ cat inputs/*/o.txt 2>/dev/null; echo ${task}; } | sha256sum > outputs/o.txt"`,
      "    outputs: [outputs/o.txt]",
      "    checks: [{ nonEmpty: outputs/o.txt }]",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The name of task `i` in lanePipeline. */
export function taskName(i: number): string {
  return `t${String(i).padStart(3, "0")}`;
}
