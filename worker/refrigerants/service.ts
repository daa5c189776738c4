/**
 * The refrigerant catalogue (reference data filled by migration 0002): designation, ODS or not,
 * GWP on the AR4 basis (as EPA uses), family and ASHRAE 34 safety class. Read-only for everyone.
 */
import { asc, sql } from "drizzle-orm";
import { refrigerants } from "../../db/schema";
import type { Db } from "../db";
import { badRequest } from "../http/errors";

export type Refrigerant = typeof refrigerants.$inferSelect;

export async function listRefrigerants(db: Db): Promise<Refrigerant[]> {
  return db.select().from(refrigerants).orderBy(asc(refrigerants.designation)).all();
}

/** The catalogue entry for a designation typed in any case ("r-410a" is R-410A), or null. */
export async function findRefrigerant(db: Db, designation: string): Promise<Refrigerant | null> {
  const row = await db
    .select()
    .from(refrigerants)
    .where(sql`lower(${refrigerants.designation}) = lower(${designation.trim()})`)
    .get();
  return row ?? null;
}

/** Like `findRefrigerant`, but a designation outside the catalogue is a 400 on `field`. */
export async function requireRefrigerant(db: Db, designation: string, field = "refrigerant"): Promise<Refrigerant> {
  const row = await findRefrigerant(db, designation);
  if (!row) {
    throw badRequest("Choose a refrigerant from the catalogue.", {
      [field]: [`${designation} is not in the refrigerant catalogue.`],
    });
  }
  return row;
}
