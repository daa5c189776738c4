import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { buildOrg } from "../../db/factories";
import { cylinders, organizations, refrigerants } from "../../db/schema";
import { getDb } from "../../worker/db";

const db = getDb(env.DB);

async function cylinder(kind: "RECOVERY" | "VIRGIN", netContentsLb: number) {
  const org = buildOrg();
  await db.insert(organizations).values(org);
  const row = {
    id: crypto.randomUUID(),
    orgId: org.id,
    tag: `CYL-${crypto.randomUUID().slice(0, 8)}`,
    refrigerant: "R-410A",
    kind,
    tareWeightLb: 15,
    waterCapacityLb: 50,
    netContentsLb,
  };
  await db.insert(cylinders).values(row);
  return row;
}

describe("database guards on cylinder contents", () => {
  it("ships the refrigerant catalogue with AR4 GWPs", async () => {
    const r410a = await db.select().from(refrigerants).where(eq(refrigerants.designation, "R-410A")).get();
    expect(r410a).toMatchObject({ ods: false, gwp: 2088 });
    const r22 = await db.select().from(refrigerants).where(eq(refrigerants.designation, "R-22")).get();
    expect(r22).toMatchObject({ ods: true, gwp: 1810 });
  });

  it("refuses contents below zero, even from a raw update", async () => {
    const row = await cylinder("VIRGIN", 10);
    await expect(db.update(cylinders).set({ netContentsLb: -0.5 }).where(eq(cylinders.id, row.id))).rejects.toThrow();
    const after = await db.select().from(cylinders).where(eq(cylinders.id, row.id)).get();
    expect(after?.netContentsLb).toBe(10);
  });

  it("refuses filling a recovery cylinder beyond 80% of its water capacity", async () => {
    const row = await cylinder("RECOVERY", 39);
    await db.update(cylinders).set({ netContentsLb: 40 }).where(eq(cylinders.id, row.id));
    await expect(db.update(cylinders).set({ netContentsLb: 40.5 }).where(eq(cylinders.id, row.id))).rejects.toThrow();
  });
});
