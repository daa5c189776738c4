/**
 * Demo sales data (issue 5): branch addresses (where warehouse cylinders are), asking prices on the
 * FOR_SALE cylinders, territories and Sam Sales's leads.
 *
 * - Polar North's branch is in Minneapolis (MN 55413), Polar South's in Des Moines (IA 50309).
 * - "Upper Midwest" (IL, WI, MN) in Polar North is Sam's: he sees North's for-sale cylinders (all
 *   in its Minneapolis warehouse). "Dakotas" (ND, SD, ZIP 57) has no rep yet. Polar South has no
 *   territory: its for-sale cylinder shows, uncovered, in an admin's inventory.
 * - Sam has leads in NEW, CONTACTED, QUOTED and LOST, with values and due dates around `now`.
 *
 * Ids are fixed, inserts are `ON CONFLICT DO NOTHING` and updates only fill what is empty, all in
 * one batch: seeding twice changes nothing.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../worker/db";
import { cylinders, leads, organizations, territories, territoryAssignments } from "./schema";

const NORTH = "org-polar-north";
const SOUTH = "org-polar-south";
const SAM = "user-sales";

const PRICES: Record<string, number> = {
  "cyl-north-410a-fs1": 18_900,
  "cyl-north-410a-fs2": 18_900,
  "cyl-north-454b-fs1": 32_500,
  "cyl-north-410a-rcl-fs1": 14_900,
  "cyl-south-410a-fs1": 19_500,
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function buildSalesDemo(now: Date) {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
  const opened = day(-60);
  const territoryRows: (typeof territories.$inferInsert)[] = [
    {
      id: "terr-north-upper-midwest",
      orgId: NORTH,
      name: "Upper Midwest",
      states: ["IL", "MN", "WI"],
      zipPrefixes: [],
      createdAt: opened,
    },
    {
      id: "terr-north-dakotas",
      orgId: NORTH,
      name: "Dakotas",
      states: ["ND", "SD"],
      zipPrefixes: ["57"],
      createdAt: opened,
    },
  ];
  const assignmentRows: (typeof territoryAssignments.$inferInsert)[] = [
    { territoryId: "terr-north-upper-midwest", userId: SAM, orgId: NORTH },
  ];
  const lead = (
    id: string,
    fields: Omit<typeof leads.$inferInsert, "id" | "orgId" | "ownerId" | "createdAt" | "updatedAt"> & { age: number },
  ): typeof leads.$inferInsert => {
    const { age, ...rest } = fields;
    return { id, orgId: NORTH, ownerId: SAM, createdAt: day(-age), updatedAt: day(-Math.max(0, age - 3)), ...rest };
  };
  const leadRows = [
    lead("lead-north-lakeshore", {
      company: "Lakeshore Refrigeration",
      contactName: "Pat Lindqvist",
      email: "pat@lakeshorerefrig.example",
      phone: "(414) 555-0131",
      state: "WI",
      zip: "53202",
      stage: "NEW",
      valueCents: 240_000,
      nextStep: "Intro call about reclaimed R-410A",
      dueDate: isoDay(day(2)),
      age: 3,
    }),
    lead("lead-north-prairie-hvac", {
      company: "Prairie HVAC Supply",
      contactName: "Dev Patel",
      email: "dev@prairiehvac.example",
      phone: "(612) 555-0177",
      state: "MN",
      zip: "55414",
      stage: "CONTACTED",
      valueCents: 560_000,
      nextStep: "Send R-454B price sheet",
      dueDate: isoDay(day(-1)),
      age: 12,
    }),
    lead("lead-north-cityline", {
      company: "Cityline Mechanical",
      contactName: "Ana Ruiz",
      email: "ana@citylinemech.example",
      state: "IL",
      zip: "60607",
      stage: "QUOTED",
      valueCents: 1_125_000,
      nextStep: "Follow up on the 6-cylinder quote",
      dueDate: isoDay(day(5)),
      notes: "Quoted 6 x 25 lb R-410A, delivery in the Chicago loop.",
      age: 20,
    }),
    lead("lead-north-birchwood", {
      company: "Birchwood Ice Arena",
      contactName: "Kim Olson",
      state: "MN",
      zip: "55811",
      stage: "LOST",
      valueCents: 300_000,
      lostReason: "Bought from their existing distributor",
      closedAt: day(-8),
      age: 35,
    }),
  ];
  return { territoryRows, assignmentRows, leadRows };
}

export async function seedSalesDemo(db: Db, now: Date) {
  const demo = buildSalesDemo(now);
  const addresses = [
    { id: NORTH, addressState: "MN", addressZip: "55413" },
    { id: SOUTH, addressState: "IA", addressZip: "50309" },
  ];
  const statements: BatchItem<"sqlite">[] = [
    ...addresses.map(({ id, ...address }) =>
      db
        .update(organizations)
        .set(address)
        .where(and(eq(organizations.id, id), isNull(organizations.addressState), isNull(organizations.addressZip))),
    ),
    ...Object.entries(PRICES).map(([id, priceCents]) =>
      db
        .update(cylinders)
        .set({ priceCents })
        .where(and(eq(cylinders.id, id), isNull(cylinders.priceCents))),
    ),
    db.insert(territories).values(demo.territoryRows).onConflictDoNothing(),
    db.insert(territoryAssignments).values(demo.assignmentRows).onConflictDoNothing(),
    db.insert(leads).values(demo.leadRows).onConflictDoNothing(),
  ];
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return demo;
}
