import { z } from "zod";
import { ActorSchema, TimestampSchema } from "./common.js";
import { commandOutput } from "./command-output.js";

/** The roles of access control, least to most: viewer, operator, approver, admin. */
export const ROLE_NAMES = ["viewer", "operator", "approver", "admin"] as const;
export const RoleSchema = z.enum(ROLE_NAMES);
export type RoleName = z.infer<typeof RoleSchema>;

/** A new grant as `access grant` prints it, with its bearer token: shown this once, only its hash is kept. */
export const AccessGrantSchema = z
  .object({
    actor: ActorSchema,
    role: RoleSchema,
    token: z.string().min(1),
  })
  .strict();
export type AccessGrant = z.infer<typeof AccessGrantSchema>;

/** A role taken from an actor by `access revoke`. */
export const AccessRevocationSchema = z
  .object({
    actor: ActorSchema,
    role: RoleSchema,
  })
  .strict();
export type AccessRevocation = z.infer<typeof AccessRevocationSchema>;

/** A grant in force as `access list` shows it: the token hash abbreviated (`sha256:<12 hex>…`), who granted it and when. */
export const AccessGrantEntrySchema = z
  .object({
    actor: ActorSchema,
    role: RoleSchema,
    token_hash: z.string().min(1),
    granted_at_utc: TimestampSchema,
    granted_by: ActorSchema,
  })
  .strict();
export type AccessGrantEntry = z.infer<typeof AccessGrantEntrySchema>;

/** Whether access control is on (once a first admin was granted), and the grants in force. */
export const AccessListSchema = z
  .object({
    enabled: z.boolean(),
    grants: z.array(AccessGrantEntrySchema),
  })
  .strict();
export type AccessList = z.infer<typeof AccessListSchema>;

/** `access grant --json`. */
export const AccessGrantOutputSchema = commandOutput({ grant: AccessGrantSchema });
export type AccessGrantOutput = z.infer<typeof AccessGrantOutputSchema>;

/** `access revoke --json`. */
export const AccessRevokeOutputSchema = commandOutput({ revoked: AccessRevocationSchema });
export type AccessRevokeOutput = z.infer<typeof AccessRevokeOutputSchema>;

/** `access list --json`. */
export const AccessListOutputSchema = commandOutput({ access: AccessListSchema });
export type AccessListOutput = z.infer<typeof AccessListOutputSchema>;
