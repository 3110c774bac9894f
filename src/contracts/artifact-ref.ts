import { z } from "zod";
import { DigestSchema } from "./common.js";

const LOCATOR = /^[a-z][a-z0-9+.-]*:\/\/\S+$/;
const CONTENT_LOCATOR = /^artifact:\/\/sha256\/([0-9a-f]{64})$/;

/**
 * A pointer to an immutable, content-addressed blob. `ref` is a locator URI, canonically
 * `artifact://sha256/<hex>`; when it has that form its hex must equal the digest's.
 */
export const ArtifactRefSchema = z
  .object({
    ref: z.string().regex(LOCATOR, "expected a locator URI such as artifact://sha256/<hex>"),
    digest: DigestSchema,
    digest_alg: z.literal("sha256"),
    schema_version: z.string().min(1),
    size_bytes: z.number().int().min(0),
    media_type: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (value) => {
      const hex = CONTENT_LOCATOR.exec(value.ref)?.[1];
      return hex === undefined || value.digest === `sha256:${hex}`;
    },
    { message: "ref names a different digest than digest", path: ["ref"] },
  );
export type ArtifactRef = z.infer<typeof ArtifactRefSchema>;
