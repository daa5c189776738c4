import { z } from "@hono/zod-openapi";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }));
/** OWASP: length over composition rules; long passphrases allowed, bounded to keep hashing cheap. */
export const NewPassword = z.string().min(10, "Use at least 10 characters.").max(128, "Use at most 128 characters.");
export const PersonName = z.string().trim().min(1, "Required.").max(100);
export const OrgName = z.string().trim().min(2, "Use at least 2 characters.").max(120);

export const SignupInput = z
  .strictObject({ name: PersonName, email: Email, password: NewPassword, organizationName: OrgName })
  .openapi("SignupInput");
export const LoginInput = z
  .strictObject({ email: Email, password: z.string().min(1, "Required.").max(128) })
  .openapi("LoginInput");
export const AcceptInvitationInput = z.strictObject({ password: NewPassword }).openapi("AcceptInvitationInput");
