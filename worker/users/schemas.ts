import { z } from "@hono/zod-openapi";
import { CERTIFICATION_TYPES, ROLES } from "../../db/schema";
import { Email, PersonName } from "../auth/schemas";
import { TimeZone } from "../orgs/schemas";

export const RoleSchema = z.enum(ROLES);
const CertificationNumber = z.string().trim().min(1).max(40);

export const UserCreateInput = z
  .strictObject({
    name: PersonName,
    email: Email,
    role: RoleSchema,
    timeZone: TimeZone.optional(),
    certificationNumber: CertificationNumber.nullable().optional(),
    certificationType: z.enum(CERTIFICATION_TYPES).nullable().optional(),
  })
  .openapi("UserCreateInput");

export const UserPatchInput = z
  .strictObject({
    name: PersonName.optional(),
    role: RoleSchema.optional(),
    timeZone: TimeZone.optional(),
    certificationNumber: CertificationNumber.nullable().optional(),
    certificationType: z.enum(CERTIFICATION_TYPES).nullable().optional(),
    accessibleOrgIds: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .openapi("UserPatchInput");

export const UserListQuery = z.object({
  role: RoleSchema.optional(),
  status: z.enum(["ACTIVE", "DEACTIVATED", "ALL"]).optional(),
  /** At the top-level org, one org of the company's list (an org outside the list matches nobody). */
  orgId: z.string().min(1).max(64).optional(),
  format: z.enum(["json", "csv"]).optional(),
});
