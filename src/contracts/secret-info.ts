import { z } from "zod";
import { ActorSchema, TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** A secret's name: an environment variable name. */
const SecretNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name such as API_TOKEN");

/** What is known about a stored secret besides its value (never printed): its version (1 when set, one more per rotation), when and by whom. */
export const SecretInfoSchema = z
  .object({
    name: SecretNameSchema,
    version: z.number().int().min(1),
    set_at_utc: TimestampSchema,
    set_by: ActorSchema,
  })
  .strict();

/** A secret change: `set` or `rotated` with the new version's info, or `removed` with the version removed. */
export const SecretChangeSchema = z.union([
  SecretInfoSchema.extend({ state: z.enum(["set", "rotated"]) }).strict(),
  z.object({ name: SecretNameSchema, version: z.number().int().min(1), state: z.literal("removed") }).strict(),
]);
export type SecretChange = z.infer<typeof SecretChangeSchema>;

/** `secret set|rotate|remove --json`. */
export const SecretChangeOutputSchema = commandOutput({ secret: SecretChangeSchema });
export type SecretChangeOutput = z.infer<typeof SecretChangeOutputSchema>;

/** `secret list --json`: the stored secrets, never their values. */
export const SecretListOutputSchema = commandOutput({ secrets: z.array(SecretInfoSchema) });
export type SecretListOutput = z.infer<typeof SecretListOutputSchema>;
