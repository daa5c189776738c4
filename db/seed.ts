import { eq } from "drizzle-orm";
import { hashPassword } from "../worker/auth/password";
import type { Db } from "../worker/db";
import { buildOrg, buildUser } from "./factories";
import { organizations, userOrgAccess, users } from "./schema";
import { seedFieldDemo } from "./seed-field";
import { seedRefrigerantDemo } from "./seed-refrigerant";
import { seedSalesDemo } from "./seed-sales";

export const DEMO_PASSWORD = "refritrak-demo";

/** The demo tenants; ids are fixed so seeding twice changes nothing. */
export const DEMO_ORGS = [
  buildOrg({ id: "org-polar", name: "Polar Mechanical", plan: "PRO", ein: "12-3456789", brandColor: "#0e7490" }),
  buildOrg({
    id: "org-polar-north",
    parentOrgId: "org-polar",
    name: "Polar North",
    plan: "PRO",
    // Branches follow the company's brand and EPA settings; their time zone is their own.
    brandColor: "#0e7490",
    timeZone: "America/Chicago",
    overriddenSettings: ["timeZone"],
  }),
  buildOrg({
    id: "org-polar-south",
    parentOrgId: "org-polar",
    name: "Polar South",
    plan: "PRO",
    // Branches follow the company's brand and EPA settings; their time zone is their own.
    brandColor: "#0e7490",
    timeZone: "America/Chicago",
    overriddenSettings: ["timeZone"],
  }),
  buildOrg({ id: "org-frostline", name: "Frostline Service", plan: "FREE", ein: "98-7654321", brandColor: "#7c3aed" }),
];

export const DEMO_USERS = [
  { id: "user-owner", email: "owner@polar.test", name: "Olivia Owner", role: "PARENT_ORG_ADMIN", orgId: "org-polar" },
  {
    id: "user-admin-north",
    email: "admin.north@polar.test",
    name: "Nora North",
    role: "ORG_ADMIN",
    orgId: "org-polar-north",
  },
  {
    id: "user-manager-north",
    email: "manager.north@polar.test",
    name: "Miles Manager",
    role: "MANAGER",
    orgId: "org-polar-north",
  },
  {
    id: "user-tech1-north",
    email: "tech1.north@polar.test",
    name: "Tess Tech",
    role: "TECHNICIAN",
    orgId: "org-polar-north",
    certificationNumber: "608-100200",
    certificationType: "UNIVERSAL",
  },
  {
    id: "user-tech2-north",
    email: "tech2.north@polar.test",
    name: "Theo Tech",
    role: "TECHNICIAN",
    orgId: "org-polar-north",
    certificationNumber: "608-100201",
    certificationType: "II",
  },
  { id: "user-sales", email: "sales@polar.test", name: "Sam Sales", role: "SALES", orgId: "org-polar-north" },
  {
    id: "user-admin-south",
    email: "admin.south@polar.test",
    name: "Sofia South",
    role: "ORG_ADMIN",
    orgId: "org-polar-south",
  },
  { id: "user-rover", email: "rover@polar.test", name: "Rory Rover", role: "MANAGER", orgId: "org-polar-south" },
  {
    id: "user-tech-south",
    email: "tech.south@polar.test",
    name: "Toby Torres",
    role: "TECHNICIAN",
    orgId: "org-polar-south",
    certificationNumber: "608-300410",
    certificationType: "I",
  },
  {
    id: "user-frostline",
    email: "admin@frostline.test",
    name: "Fern Frost",
    role: "PARENT_ORG_ADMIN",
    orgId: "org-frostline",
  },
] as const;

/** Extra org reach: the roving manager of South also works North. */
export const DEMO_ACCESS = [{ userId: "user-rover", orgId: "org-polar-north" }];

/** Migrated database in, demo tenants out; safe to run again. Demo dates are relative to `now`. */
export async function seedDemo(db: Db, now = new Date()) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const org of DEMO_ORGS) await db.insert(organizations).values(org).onConflictDoNothing();
  for (const user of DEMO_USERS) {
    const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, user.email)).get();
    if (existing) continue;
    await db.insert(users).values(buildUser({ ...user, passwordHash }));
  }
  for (const access of DEMO_ACCESS) await db.insert(userOrgAccess).values(access).onConflictDoNothing();
  await seedRefrigerantDemo(db, now);
  await seedFieldDemo(db, now);
  await seedSalesDemo(db, now);
}
