import { z } from "zod";
import { RunledgerError } from "../core/errors.js";
import type { EffectExecute } from "../pipelines/effect-handler.js";

const HttpPostPayloadSchema = z
  .object({
    url: z.string().url(),
    body: z.unknown(),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * `http.post`: payload `{ url, body, headers? }`. A string body is sent as is; any other body as
 * JSON with `content-type: application/json`. Resolves to `{ status, body }`, the body parsed as
 * JSON when it is JSON, else its text. A non-2xx status is a result, not an error: the operator decides.
 */
export const httpPost: EffectExecute = async (payload, context) => {
  const parsed = HttpPostPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    throw new RunledgerError("ERR_EFFECT_PAYLOAD", { detail: `http.post takes { url, body, headers? }: ${detail}` });
  }
  const { url, body, headers } = parsed.data;
  const raw = typeof body === "string";
  const response = await fetch(url, {
    method: "POST",
    body: raw ? body : JSON.stringify(body ?? null),
    headers: { ...(raw ? {} : { "content-type": "application/json" }), ...headers },
    signal: context.signal,
  });
  const text = await response.text();
  let parsedBody: unknown = text;
  try {
    parsedBody = JSON.parse(text);
  } catch {
    // Not JSON: the text is the body.
  }
  return { status: response.status, body: parsedBody };
};

/** The effects the engine can perform without a pipeline handler. */
export const BUILTIN_EFFECTS: Readonly<Record<string, EffectExecute>> = Object.freeze({ "http.post": httpPost });
