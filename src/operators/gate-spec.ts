import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { RunledgerError } from "../core/errors.js";
import type { OperatorFn } from "./operator-definition.js";

/**
 * A gate (seed 001 §4): a named set of checks over chosen outputs of the tasks it needs,
 * optionally needing a person's approval, that advances a watermark when it passes.
 */
export const GateSpecSchema = z
  .object({
    /** The chosen outputs, `<task>/<path under its outputs/>`; the gate's checks read them at `outputs/<task>/<path>`. */
    over: z.array(z.string().regex(/^[^/]+\/.+$/, "expected <task>/<path under the task's outputs/>")).min(1),
    /** never (default); on-warn: when a check warns (e.g. a drift beyond the circuit breaker); always. */
    approval: z.enum(["never", "on-warn", "always"]).default("never"),
    /** Watermarks that must be valid and at least the value this gate advances to (seed 001 §4.2 data completeness). */
    requires: z.array(z.string().min(1)).default([]),
    advances: z
      .object({
        watermark: z.string().min(1),
        /** The new value; `${NAME}` takes a run parameter or declared env value. */
        value: z.string().min(1).optional(),
        /** Or: a chosen output (`<task>/<path>`) whose trimmed text is the new value. */
        valueFrom: z.string().min(1).optional(),
        /** The definition the value is bound to; a different version invalidates the watermark. */
        definition: z
          .object({ name: z.string().min(1), version: z.string().min(1).optional(), versionFrom: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine((a) => (a.value === undefined) !== (a.valueFrom === undefined), "give exactly one of value and valueFrom")
      .refine(
        (a) => a.definition === undefined || (a.definition.version === undefined) !== (a.definition.versionFrom === undefined),
        "a definition needs exactly one of version and versionFrom",
      )
      .optional(),
  })
  .strict();
export type GateSpec = z.output<typeof GateSpecSchema>;

/** Where a gate places a chosen output: `outputs/<task>/<path>`. */
export function gateOutputPath(over: string): string {
  return `outputs/${over}`;
}

/** The body of a gate's operator: places each chosen output under its own outputs/, where the checks read it. */
export function gateBody(spec: GateSpec): OperatorFn {
  return async (ctx) => {
    for (const over of spec.over) {
      const slash = over.indexOf("/");
      const [task, path] = [over.slice(0, slash), over.slice(slash + 1)];
      const from = ctx.inputs[task]?.[`outputs/${path}`];
      if (from === undefined) throw new RunledgerError("ERR_INPUTS", { detail: `gate ${ctx.task}: ${over} is not a passed output of a task it needs` });
      const to = join(ctx.outputsDir, task, path);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    }
    return { processorInfo: `gate ${ctx.task}` };
  };
}

/** `${NAME}` in a gate's value or version, from the run's parameters and declared env. */
export function substitute(template: string, env: Readonly<Record<string, string>>, where: string): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === "")
      throw new RunledgerError("ERR_INPUTS", { detail: `${where}: \${${name}} has no value; pass --param ${name}=… or declare it under env:` });
    return value;
  });
}
