import { z } from "zod";

const PAIRS = /^(?:[^=;\s][^=;]*=[^;]*;)*$/;

/**
 * The environment fingerprint: `k=v;` pairs, each terminated by `;`, sorted by key with no key
 * repeated (e.g. `image=sha256:…;node=v20.20.0;`). The empty string means no declared environment.
 */
export const EnvFingerprintSchema = z
  .string()
  .regex(PAIRS, "expected k=v; pairs, each ending with ';'")
  .refine(
    (value) => {
      const keys = value
        .split(";")
        .filter((pair) => pair !== "")
        .map((pair) => pair.slice(0, pair.indexOf("=")));
      return keys.every((key, i) => i === 0 || (keys[i - 1] ?? "") < key);
    },
    { message: "expected keys sorted ascending and unique" },
  );
export type EnvFingerprint = z.infer<typeof EnvFingerprintSchema>;
