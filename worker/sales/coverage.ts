/**
 * Sales territories as a rule: which places a territory covers, which cylinders a sales rep may
 * see, and which reps hear about a cylinder change. The cylinders service reads it for every
 * SALES query and event, the sales inventory for its listing.
 *
 * A territory belongs to one org (a branch): it covers that org's cylinders only. A cylinder is
 * where its holder is: at a SITE, the location's state and ZIP; in the WAREHOUSE or on a
 * TECHNICIAN's truck, its org's branch address (`organizations.addressState/addressZip`).
 */
import { and, eq, exists, inArray, isNull, like, or, type SQL, sql } from "drizzle-orm";
import { cylinders, locations, territories, territoryAssignments } from "../../db/schema";
import type { OrgScope } from "../policy/guards";

export type Place = { state: string | null; zip: string | null };
export type TerritoryArea = { states: readonly string[]; zipPrefixes: readonly string[] };
type Holder = { holderType: "WAREHOUSE" | "TECHNICIAN" | "SITE"; holderLocationId: string | null };

/** A territory covers a place in one of its states, or whose ZIP starts with one of its prefixes. */
export function territoryCovers(territory: TerritoryArea, place: Place): boolean {
  if (place.state && territory.states.includes(place.state)) return true;
  const zip = place.zip;
  return zip ? territory.zipPrefixes.some((prefix) => zip.startsWith(prefix)) : false;
}

/** The org's branch address: where its warehouse and truck cylinders are. */
export const orgPlace = (org: { addressState: string | null; addressZip: string | null }): Place => ({
  state: org.addressState,
  zip: org.addressZip,
});

/** Where a cylinder with this holder is, for territory matching. */
export async function placeOf(scope: OrgScope, holder: Holder): Promise<Place> {
  if (holder.holderType !== "SITE" || !holder.holderLocationId) return orgPlace(scope.org);
  const site = await scope.db
    .select({ state: locations.state, zip: locations.zip })
    .from(locations)
    .where(and(eq(locations.id, holder.holderLocationId), eq(locations.orgId, scope.org.id)))
    .get();
  return site ?? { state: null, zip: null };
}

/** The active territories of this org assigned to a user. */
export async function territoriesOf(scope: OrgScope, userId: string) {
  return scope.db
    .select({
      id: territories.id,
      name: territories.name,
      states: territories.states,
      zipPrefixes: territories.zipPrefixes,
    })
    .from(territoryAssignments)
    .innerJoin(territories, eq(territories.id, territoryAssignments.territoryId))
    .where(
      and(
        eq(territoryAssignments.userId, userId),
        eq(territories.orgId, scope.org.id),
        eq(territoryAssignments.orgId, scope.org.id),
        isNull(territories.archivedAt),
      ),
    )
    .all();
}

/**
 * The SQL condition "this cylinder is located in one of the caller's territories", for a SALES
 * caller's cylinder queries. No territory: nothing matches.
 */
export async function inCallerTerritories(scope: OrgScope): Promise<SQL> {
  const mine = await territoriesOf(scope, scope.user.id);
  const states = [...new Set(mine.flatMap((t) => t.states))];
  const prefixes = [...new Set(mine.flatMap((t) => t.zipPrefixes))];
  if (states.length === 0 && prefixes.length === 0) return sql`0`;
  const siteMatches: SQL[] = [];
  if (states.length > 0) siteMatches.push(inArray(locations.state, states));
  // Prefixes are digits only (validated), so they are safe in a LIKE pattern.
  for (const prefix of prefixes) siteMatches.push(like(locations.zip, `${prefix}%`));
  const atCoveredSite = and(
    eq(cylinders.holderType, "SITE"),
    exists(
      scope.db
        .select({ one: sql`1` })
        .from(locations)
        .where(and(eq(locations.id, cylinders.holderLocationId), or(...siteMatches))),
    ),
  );
  const branchCovered = mine.some((territory) => territoryCovers(territory, orgPlace(scope.org)));
  return (branchCovered ? or(atCoveredSite, sql`${cylinders.holderType} <> 'SITE'`) : atCoveredSite) ?? sql`0`;
}

/**
 * The sales reps (by user id) who see a FOR_SALE cylinder at any of these placements: a change
 * reaches the reps whose territories held it before or hold it after, never the whole SALES role.
 */
export async function salesRepsCovering(scope: OrgScope, placements: (Holder & { status: string })[]) {
  const forSale = placements.filter((p) => p.status === "FOR_SALE");
  if (forSale.length === 0) return [];
  const assignments = await scope.db
    .select({ userId: territoryAssignments.userId, states: territories.states, zipPrefixes: territories.zipPrefixes })
    .from(territoryAssignments)
    .innerJoin(territories, eq(territories.id, territoryAssignments.territoryId))
    .where(and(eq(territories.orgId, scope.org.id), isNull(territories.archivedAt)))
    .all();
  if (assignments.length === 0) return [];
  const places = await Promise.all(forSale.map((placement) => placeOf(scope, placement)));
  const reps = new Set<string>();
  for (const assignment of assignments) {
    if (places.some((place) => territoryCovers(assignment, place))) reps.add(assignment.userId);
  }
  return [...reps];
}
