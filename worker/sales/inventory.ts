/**
 * The sales inventory: FOR_SALE cylinders with refrigerant, contents, price and where they are.
 * A sales rep gets those located in their territories (none without one); admins every FOR_SALE
 * cylinder of the org, each with the names of the territories that cover it.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { cylinders, locations, territories } from "../../db/schema";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import { orgPlace, type Place, territoriesOf, territoryCovers } from "./coverage";
import type { SalesInventoryQuery } from "./schemas";

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export async function salesInventory(scope: OrgScope, query: SalesInventoryQuery = {}) {
  const rep = can(scope.actor, "leads:own", scope.org.id);
  const area = rep
    ? await territoriesOf(scope, scope.user.id)
    : await scope.db
        .select({
          id: territories.id,
          name: territories.name,
          states: territories.states,
          zipPrefixes: territories.zipPrefixes,
        })
        .from(territories)
        .where(and(eq(territories.orgId, scope.org.id), isNull(territories.archivedAt)))
        .orderBy(asc(territories.name))
        .all();
  if (rep && area.length === 0) return { cylinders: [], territories: [] };

  const conditions = [eq(cylinders.orgId, scope.org.id), isNull(cylinders.deletedAt), eq(cylinders.status, "FOR_SALE")];
  if (query.refrigerant) conditions.push(sql`lower(${cylinders.refrigerant}) = lower(${query.refrigerant})`);
  if (query.q) conditions.push(sql`${cylinders.tag} LIKE ${likePattern(query.q.toUpperCase())} ESCAPE '\\'`);
  const rows = await scope.db
    .select({ cylinder: cylinders, site: locations })
    .from(cylinders)
    .leftJoin(locations, eq(locations.id, cylinders.holderLocationId))
    .where(and(...conditions))
    .orderBy(asc(cylinders.refrigerant), asc(cylinders.tag))
    .all();

  const branch = orgPlace(scope.org);
  const items = rows.flatMap(({ cylinder: c, site }) => {
    const atSite = c.holderType === "SITE";
    const place: Place = atSite ? { state: site?.state ?? null, zip: site?.zip ?? null } : branch;
    const covering = area.filter((territory) => territoryCovers(territory, place));
    if (rep && covering.length === 0) return [];
    if (query.state && place.state !== query.state) return [];
    return [
      {
        id: c.id,
        tag: c.tag,
        refrigerant: c.refrigerant,
        kind: c.kind,
        netContentsLb: c.netContentsLb,
        priceCents: c.priceCents,
        location: {
          holderType: c.holderType,
          name: atSite ? (site?.name ?? c.holderLabel ?? "Site") : c.holderType === "WAREHOUSE" ? "Warehouse" : "Truck",
          city: atSite ? (site?.city ?? null) : null,
          state: place.state,
          zip: place.zip,
        },
        territories: covering.map((territory) => ({ id: territory.id, name: territory.name })),
      },
    ];
  });
  return {
    cylinders: items,
    /** The territories considered: the rep's own, or every active one of the org. */
    territories: area.map((territory) => ({ id: territory.id, name: territory.name })),
  };
}
export type SalesInventory = Awaited<ReturnType<typeof salesInventory>>;
