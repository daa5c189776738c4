/**
 * Demo refrigerant data for the demo orgs (issue 3, item 11): customers, locations, units of every
 * category, cylinders of every kind and status with their move history, a year of transfers, the
 * leak rates the compliance engine computes for them and the leak cases they open.
 *
 * Every date is relative to `now`, so the data always looks fresh. Ids are fixed and every insert
 * is `ON CONFLICT DO NOTHING`, all in one `db.batch`: seeding twice changes nothing, and a failed
 * seed leaves nothing half written.
 *
 * Nothing here is hand-computed: cylinder contents are replayed from their opening contents through
 * the transfers (the same deltas the transfer service applies, undone on rejection or void), and
 * every leak rate, repair deadline and verification deadline comes from worker/compliance/engine.ts.
 * `buildRefrigerantDemo` throws when the replay breaks a rule (negative contents, a recovery
 * cylinder over 80%, mismatched refrigerants) or when the leak cases do not follow from the rates
 * the way the app opens them.
 */
import { getTableColumns, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  coverage,
  leakRate,
  repairDeadlines,
  retrofitDeadlines,
  verificationDeadlines,
} from "../worker/compliance/engine";
import type { Db } from "../worker/db";
import {
  type CYLINDER_STATUSES,
  customers,
  cylinderMoves,
  cylinders,
  type EpaConfig,
  leakRates,
  leaks,
  locations,
  organizations,
  refrigerants,
  transfers,
  type UnitCategory,
  units,
  users,
} from "./schema";

type CustomerRow = typeof customers.$inferInsert & { id: string };
type LocationRow = typeof locations.$inferInsert & { id: string };
type UnitRow = typeof units.$inferInsert & { id: string; category: UnitCategory; fullChargeLb: number };
type CylinderRow = typeof cylinders.$inferInsert & { id: string };
type MoveRow = typeof cylinderMoves.$inferInsert & { id: string };
type TransferRow = typeof transfers.$inferInsert & { id: string; performedAt: Date; createdAt: Date };
type LeakRateRow = typeof leakRates.$inferInsert & { id: string };
type LeakRow = typeof leaks.$inferInsert & { id: string };
type CylinderStatus = (typeof CYLINDER_STATUSES)[number];
type UserRef = {
  id: string;
  name: string;
  orgId: string;
  certificationNumber: string | null;
  certificationType: TransferRow["certificationType"];
};

/** D1 refuses a statement with more than 100 bound parameters. */
const MAX_PARAMS = 99;
const WAREHOUSE_LABEL = "Warehouse";

const NORTH = "org-polar-north";
const SOUTH = "org-polar-south";
const FROSTLINE = "org-frostline";
const TECH1 = "user-tech1-north";
const TECH2 = "user-tech2-north";
const MANAGER = "user-manager-north";
const ADMIN_NORTH = "user-admin-north";
const ADMIN_SOUTH = "user-admin-south";
const ROVER = "user-rover";
const FERN = "user-frostline";

/** The units the compliance dashboard's demo scenarios are about (Polar North). */
export const DEMO_SCENARIO_UNITS = {
  /** Latest approved charge over the threshold; its leak repair is open and due in the future. */
  overThreshold: "unit-north-ch1",
  /** An open leak repair whose deadline has passed. */
  overdueRepair: "unit-north-trailer-5310",
  /** ≥ 125% of its full charge added in `demoChronicYear(now)`; its second leak case ended in a retrofit plan. */
  chronicLeaker: "unit-north-wic2",
  /** Latest approved charge at the alert level, not over the threshold. */
  alert: "unit-north-crac1",
  /** Repaired, both verification tests passed, closed. */
  completedCase: "unit-north-clinic-rtu1",
  /** R-22 ≥ 50 lb (Part 82), industrial process needing a shutdown: repaired under the 120-day rule, follow-up test pending. */
  part82: "unit-north-pc1",
  /** Not covered: and R-410A under 15 lb. */
  notCovered: ["unit-north-deli-case", "unit-north-nh3", "unit-north-rtu3"],
} as const;

/**
 * The calendar year in which the chronic leaker lost ≥ 125% of its full charge: the current UTC
 * year, or the previous one while the current year is under 100 days old (too short for a story).
 */
export function demoChronicYear(now: Date): number {
  const year = now.getUTCFullYear();
  const dayOfYear = Math.floor((now.getTime() - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return dayOfYear >= 100 ? year : year - 1;
}

/** Reads what the demo depends on (org EPA configs, users, the refrigerant catalogue) and writes it. */
export async function seedRefrigerantDemo(db: Db, now: Date) {
  const orgIds = [NORTH, SOUTH, FROSTLINE];
  const [orgRows, userRows, catalogue] = await Promise.all([
    db
      .select({ id: organizations.id, epaConfig: organizations.epaConfig })
      .from(organizations)
      .where(inArray(organizations.id, orgIds))
      .all(),
    db
      .select({
        id: users.id,
        name: users.name,
        orgId: users.orgId,
        certificationNumber: users.certificationNumber,
        certificationType: users.certificationType,
      })
      .from(users)
      .where(inArray(users.id, [TECH1, TECH2, MANAGER, ADMIN_NORTH, ADMIN_SOUTH, ROVER, FERN]))
      .all(),
    db.select().from(refrigerants).all(),
  ]);
  const demo = buildRefrigerantDemo(now, {
    epaConfigs: new Map(orgRows.map((org) => [org.id, org.epaConfig])),
    users: new Map(userRows.map((user) => [user.id, user])),
    refrigerants: new Map(catalogue.map((r) => [r.designation, r])),
  });
  const statements = [
    ...insertAll(db, customers, demo.customers),
    ...insertAll(db, locations, demo.locations),
    ...insertAll(db, units, demo.units),
    ...insertAll(db, cylinders, demo.cylinders),
    ...insertAll(db, cylinderMoves, demo.moves),
    ...insertAll(db, transfers, demo.transfers),
    ...insertAll(db, leakRates, demo.leakRates),
    ...insertAll(db, leaks, demo.leaks),
  ];
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return demo;
}

/** Multi-row inserts, as many rows per statement as D1's bound-parameter limit allows. */
function insertAll<T extends SQLiteTable>(db: Db, table: T, rows: T["$inferInsert"][]): BatchItem<"sqlite">[] {
  // Drizzle binds every column of every row (a default for a missing value), so count them all.
  const columns = Object.keys(getTableColumns(table)).length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    statements.push(
      db
        .insert(table)
        .values(rows.slice(i, i + perStatement) as never)
        .onConflictDoNothing() as unknown as BatchItem<"sqlite">,
    );
  }
  return statements;
}

// ---------------------------------------------------------------------------------------------
// The demo, as data

export type DemoContext = {
  epaConfigs: Map<string, EpaConfig>;
  users: Map<string, UserRef>;
  refrigerants: Map<string, { designation: string; ods: boolean; gwp: number }>;
};

type Holder = { type: "WAREHOUSE" } | { type: "TECHNICIAN"; userId: string } | { type: "SITE"; locationId: string };
/** A move to another holder (status follows the app's rule) or a status change where it is. */
type MoveSpec = { at: Date; by: string; note: string } & ({ to: Holder } | { status: CylinderStatus });
type CylinderSpec = {
  id: string;
  orgId: string;
  tag: string;
  refrigerant: string;
  kind: "VIRGIN" | "RECOVERY" | "RECLAIMED";
  tareWeightLb: number;
  waterCapacityLb: number;
  /** Contents when it entered the inventory; transfers change them from there. */
  openingLb: number;
  hydroTestDate: string | null;
  addedAt: Date;
  addedBy: string;
  moves: MoveSpec[];
};
type TransferSpec = {
  id: string;
  orgId: string;
  kind: "CHARGE" | "RECOVER" | "CYLINDER_TO_CYLINDER";
  unitId?: string;
  fromCylinderId?: string;
  toCylinderId?: string;
  amountLb: number;
  performedAt: Date;
  /** When it was recorded; a few minutes after the service unless backdated. */
  createdAt?: Date;
  technicianId: string;
  notes?: string;
  review?: { status: "APPROVED" | "REJECTED"; by: string; at: Date; note?: string };
  voided?: { by: string; at: Date; reason: string };
};
type LeakSpec = {
  id: string;
  orgId: string;
  unitId: string;
  locationOnUnit: string;
  /** Opened by the approval of this over-threshold charge (as the app does), or reported by a technician. */
  opened: { byCharge: string } | { reportedBy: string; foundAt: Date; detectionMethod: string; notes?: string };
  repair?: { at: Date; description: string };
  initialTest?: { at: Date; passed: boolean };
  followUpTest?: { at: Date; passed: boolean };
  retrofitPlan?: { at: Date; plan: string };
  closed?: { at: Date; outcome: "CLOSED" | "RETIRED" };
};

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Everything the seed writes, built from `now` and what is already stored (EPA configs, users,
 * the refrigerant catalogue). Pure; throws when the story breaks a rule.
 */
export function buildRefrigerantDemo(now: Date, ctx: DemoContext) {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  /** `d` days before today, at `hour`:`minute` UTC (working hours in the Midwest are 13–23 UTC). */
  const ago = (d: number, hour = 15, minute = 0) =>
    new Date(startOfToday - d * 86_400_000 + (hour * 60 + minute) * 60_000);
  const plus = (date: Date, days: number, hour?: number, minute = 0) => {
    const at = new Date(date.getTime() + days * 86_400_000);
    if (hour !== undefined) at.setUTCHours(hour, minute, 0, 0);
    return at;
  };
  const isoDay = (date: Date) => date.toISOString().slice(0, 10);
  const yearsAgo = (years: number, extraDays = 0) =>
    isoDay(new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - extraDays)));
  const opened = ago(400, 14);

  // --- Customers and locations ------------------------------------------------------------------
  const customerRows: CustomerRow[] = [];
  const locationRows: LocationRow[] = [];
  const site = (
    orgId: string,
    customer: { id: string; name: string; email: string; phone: string; notes?: string },
    location: { id: string; name: string; street: string; city: string; state: string; zip: string },
  ) => {
    customerRows.push({ ...customer, notes: customer.notes ?? null, orgId, archivedAt: null, createdAt: opened });
    locationRows.push({ ...location, orgId, customerId: customer.id, archivedAt: null, createdAt: opened });
  };
  site(
    NORTH,
    {
      id: "cust-north-lakeside",
      name: "Lakeside Fresh Market",
      email: "facilities@lakesidefresh.example",
      phone: "(763) 555-0142",
      notes: "Store manager: Dana Whitfield. Machine room key at the customer service desk.",
    },
    {
      id: "loc-north-lakeside",
      name: "Lakeside Fresh Market — Maple Grove",
      street: "7900 Main St N",
      city: "Maple Grove",
      state: "MN",
      zip: "55369",
    },
  );
  site(
    NORTH,
    {
      id: "cust-north-twinlakes",
      name: "Twin Lakes Office Park LLC",
      email: "engineering@twinlakesop.example",
      phone: "(952) 555-0187",
      notes: "Chiller plant in the Building A basement; check in with building engineering.",
    },
    {
      id: "loc-north-twinlakes",
      name: "Twin Lakes Office Park — Building A",
      street: "3400 W 66th St",
      city: "Edina",
      state: "MN",
      zip: "55435",
    },
  );
  site(
    NORTH,
    {
      id: "cust-north-northland",
      name: "Northland Cold Storage",
      email: "maintenance@northlandcold.example",
      phone: "(952) 555-0119",
      notes: "24/7 operation; process chiller shutdowns are planned two weeks ahead.",
    },
    {
      id: "loc-north-northland",
      name: "Northland Cold Storage — Shakopee DC",
      street: "4100 Valley Industrial Blvd S",
      city: "Shakopee",
      state: "MN",
      zip: "55379",
    },
  );
  site(
    NORTH,
    {
      id: "cust-north-prairie",
      name: "Prairie Freight Lines",
      email: "fleet@prairiefreight.example",
      phone: "(651) 555-0163",
      notes: "Reefer trailers are at the depot Monday mornings only.",
    },
    {
      id: "loc-north-prairie",
      name: "St. Paul Truck Depot",
      street: "1550 Energy Park Dr",
      city: "St. Paul",
      state: "MN",
      zip: "55108",
    },
  );
  site(
    NORTH,
    {
      id: "cust-north-riverbend",
      name: "Riverbend Family Clinic",
      email: "office@riverbendclinic.example",
      phone: "(715) 555-0128",
    },
    {
      id: "loc-north-riverbend",
      name: "Riverbend Family Clinic",
      street: "415 S Barstow St",
      city: "Eau Claire",
      state: "WI",
      zip: "54701",
    },
  );
  site(
    SOUTH,
    {
      id: "cust-south-hawkeye",
      name: "Hawkeye Grocers",
      email: "stores@hawkeyegrocers.example",
      phone: "(319) 555-0175",
    },
    {
      id: "loc-south-hawkeye",
      name: "Hawkeye Grocers — Cedar Rapids",
      street: "1100 1st Ave NE",
      city: "Cedar Rapids",
      state: "IA",
      zip: "52402",
    },
  );
  site(
    FROSTLINE,
    {
      id: "cust-frost-badger",
      name: "Badger State Dairy Co-op",
      email: "plant@badgerdairy.example",
      phone: "(608) 555-0150",
    },
    {
      id: "loc-frost-badger",
      name: "Badger State Dairy — Madison plant",
      street: "2200 Dairy Dr",
      city: "Madison",
      state: "WI",
      zip: "53718",
    },
  );

  // --- Units ------------------------------------------------------------------------------------
  const unitRows: UnitRow[] = [];
  const unit = (
    orgId: string,
    locationId: string,
    u: Pick<
      UnitRow,
      "id" | "name" | "manufacturer" | "model" | "serial" | "category" | "refrigerant" | "fullChargeLb"
    > &
      Partial<Pick<UnitRow, "fullChargeMethod" | "repairNeedsShutdown" | "installDate">> & {
        decommissioned?: { at: Date; reason: string };
      },
  ) => {
    const { decommissioned, ...fields } = u;
    unitRows.push({
      fullChargeMethod: "MANUFACTURER",
      repairNeedsShutdown: false,
      installDate: null,
      ...fields,
      orgId,
      locationId,
      status: decommissioned ? "DECOMMISSIONED" : "ACTIVE",
      decommissionReason: decommissioned?.reason ?? null,
      decommissionedAt: decommissioned ? isoDay(decommissioned.at) : null,
      deletedAt: null,
      createdAt: opened,
    });
  };
  // Lakeside Fresh Market (supermarket)
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-rack-a",
    name: "Rack A — low temp",
    manufacturer: "Hillphoenix",
    model: "Parallel rack 4C-LT",
    serial: "HP19-04471",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-448A",
    fullChargeLb: 320,
    fullChargeMethod: "CALCULATION",
    installDate: "2019-06-14",
  });
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-rack-b",
    name: "Rack B — medium temp",
    manufacturer: "Hillphoenix",
    model: "Parallel rack 3C-MT",
    serial: "HP19-04472",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-448A",
    fullChargeLb: 260,
    fullChargeMethod: "CALCULATION",
    installDate: "2019-06-14",
  });
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-wic2",
    name: "Walk-in cooler 2 (produce)",
    manufacturer: "Heatcraft",
    model: "PTN030H2B",
    serial: "T14C03521",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-404A",
    fullChargeLb: 28,
    installDate: "2014-03-20",
  });
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-deli-case",
    name: "Deli grab-and-go case",
    manufacturer: "True Manufacturing",
    model: "TAC-48-HC",
    serial: "1-8845213",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-290",
    fullChargeLb: 0.33,
    installDate: "2023-08-02",
  });
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-rtu1",
    name: "RTU-1 (sales floor)",
    manufacturer: "Carrier",
    model: "48FCEM12",
    serial: "4117G30512",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 18,
    installDate: "2017-05-10",
  });
  unit(NORTH, "loc-north-lakeside", {
    id: "unit-north-rtu2",
    name: "RTU-2 (bakery wing)",
    manufacturer: "Lennox",
    model: "LGA090S2B",
    serial: "5603D01877",
    category: "COMFORT_COOLING",
    refrigerant: "R-22",
    fullChargeLb: 11.5,
    installDate: "2003-04-22",
    decommissioned: {
      at: ago(120, 19),
      reason: "End of life: R-22 rooftop unit removed, refrigerant recovered; the bakery wing is now served by RTU-1.",
    },
  });
  // Twin Lakes Office Park
  unit(NORTH, "loc-north-twinlakes", {
    id: "unit-north-ch1",
    name: "Chiller CH-1",
    manufacturer: "Trane",
    model: "RTAC 200",
    serial: "U09K31245",
    category: "COMFORT_COOLING",
    refrigerant: "R-134a",
    fullChargeLb: 380,
    installDate: "2009-11-03",
  });
  unit(NORTH, "loc-north-twinlakes", {
    id: "unit-north-rtu3",
    name: "RTU-3 (lobby)",
    manufacturer: "Lennox",
    model: "LGH036H4E",
    serial: "5618C04410",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 14,
    fullChargeMethod: "MEASUREMENT",
    installDate: "2018-07-19",
  });
  unit(NORTH, "loc-north-twinlakes", {
    id: "unit-north-crac1",
    name: "CRAC-1 (server room)",
    manufacturer: "Vertiv Liebert",
    model: "DS035",
    serial: "1204A77312",
    category: "OTHER",
    refrigerant: "R-407C",
    fullChargeLb: 22,
    installDate: "2012-02-08",
  });
  // Northland Cold Storage
  unit(NORTH, "loc-north-northland", {
    id: "unit-north-pc1",
    name: "Process chiller PC-1",
    manufacturer: "Dunham-Bush",
    model: "WCFX 10-2",
    serial: "DB98-20417",
    category: "INDUSTRIAL_PROCESS",
    refrigerant: "R-22",
    fullChargeLb: 450,
    repairNeedsShutdown: true,
    installDate: "1998-09-15",
  });
  unit(NORTH, "loc-north-northland", {
    id: "unit-north-nh3",
    name: "Engine room ammonia system",
    manufacturer: "Frick",
    model: "RWB II 222",
    serial: "FR05-11873",
    category: "INDUSTRIAL_PROCESS",
    refrigerant: "R-717",
    fullChargeLb: 2800,
    fullChargeMethod: "CALCULATION",
    installDate: "2005-10-01",
  });
  unit(NORTH, "loc-north-northland", {
    id: "unit-north-dock-rtu",
    name: "Dock office RTU",
    manufacturer: "York",
    model: "ZF078C00",
    serial: "N1F6283401",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 24,
    installDate: "2016-04-12",
  });
  // St. Paul Truck Depot (Prairie Freight Lines)
  unit(NORTH, "loc-north-prairie", {
    id: "unit-north-trailer-5310",
    name: "Trailer 5310 reefer",
    manufacturer: "Thermo King",
    model: "Precedent S-600",
    serial: "6001234567",
    category: "REFRIGERATED_TRANSPORT",
    refrigerant: "R-404A",
    fullChargeLb: 16,
    installDate: "2018-01-15",
  });
  unit(NORTH, "loc-north-prairie", {
    id: "unit-north-trailer-5322",
    name: "Trailer 5322 reefer",
    manufacturer: "Carrier Transicold",
    model: "Vector 8600MT",
    serial: "KAR90412287",
    category: "REFRIGERATED_TRANSPORT",
    refrigerant: "R-404A",
    fullChargeLb: 16,
    installDate: "2019-03-04",
  });
  unit(NORTH, "loc-north-prairie", {
    id: "unit-north-shop-rtu",
    name: "Shop RTU-1",
    manufacturer: "Daikin",
    model: "DCG0904",
    serial: "1506148822",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 16,
    installDate: "2015-06-30",
  });
  unit(NORTH, "loc-north-prairie", {
    id: "unit-north-dispatch-split",
    name: "Dispatch office split (old)",
    manufacturer: "Goodman",
    model: "GSX130361",
    serial: "1005391822",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 6.5,
    installDate: "2010-05-05",
    decommissioned: {
      at: ago(238, 20),
      reason: "Replaced by the dispatch office heat pump; refrigerant recovered before removal.",
    },
  });
  unit(NORTH, "loc-north-prairie", {
    id: "unit-north-dispatch-hp",
    name: "Dispatch office heat pump",
    manufacturer: "Carrier",
    model: "25VNA436",
    serial: "2624E18852",
    category: "COMFORT_COOLING",
    refrigerant: "R-454B",
    fullChargeLb: 7,
    installDate: isoDay(ago(236)),
  });
  // Riverbend Family Clinic
  unit(NORTH, "loc-north-riverbend", {
    id: "unit-north-clinic-rtu1",
    name: "RTU-1",
    manufacturer: "Trane",
    model: "Voyager YHC120",
    serial: "21141K3FAD",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 25,
    installDate: "2021-04-08",
  });
  unit(NORTH, "loc-north-riverbend", {
    id: "unit-north-clinic-split",
    name: "Exam wing ductless split",
    manufacturer: "Daikin",
    model: "FTXS24",
    serial: "E009447",
    category: "COMFORT_COOLING",
    refrigerant: "R-32",
    fullChargeLb: 4.4,
    installDate: "2022-06-21",
  });
  unit(NORTH, "loc-north-riverbend", {
    id: "unit-north-clinic-vaccine",
    name: "Vaccine refrigerator",
    manufacturer: "Helmer Scientific",
    model: "iPR120",
    serial: "2023-41187",
    category: "OTHER",
    refrigerant: "R-600a",
    fullChargeLb: 0.12,
    installDate: "2023-01-12",
  });
  // Polar South and Frostline: a little of everything, so tenant isolation is visible.
  unit(SOUTH, "loc-south-hawkeye", {
    id: "unit-south-rtu1",
    name: "RTU-1 (front end)",
    manufacturer: "Carrier",
    model: "48FCEM14",
    serial: "2819G20477",
    category: "COMFORT_COOLING",
    refrigerant: "R-410A",
    fullChargeLb: 20,
    installDate: "2019-05-02",
  });
  unit(SOUTH, "loc-south-hawkeye", {
    id: "unit-south-freezer",
    name: "Walk-in freezer",
    manufacturer: "Kysor Warren",
    model: "KLT-060",
    serial: "KW16-88103",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-404A",
    fullChargeLb: 22,
    installDate: "2016-09-27",
  });
  unit(FROSTLINE, "loc-frost-badger", {
    id: "unit-frost-milk",
    name: "Bulk milk tank condensing unit",
    manufacturer: "Copeland",
    model: "ZS38K4E",
    serial: "17E55092",
    category: "COMMERCIAL_REFRIGERATION",
    refrigerant: "R-404A",
    fullChargeLb: 40,
    installDate: "2017-08-14",
  });

  // --- Cylinders (opening contents; transfers change them) -------------------------------------
  const wh: Holder = { type: "WAREHOUSE" };
  const truck = (userId: string): Holder => ({ type: "TECHNICIAN", userId });
  const at = (locationId: string): Holder => ({ type: "SITE", locationId });
  // 25 lb disposable (DOT-39) jugs: tare ~11 lb, water capacity ~27 lb, no hydro test.
  const jug = { kind: "VIRGIN" as const, tareWeightLb: 11, waterCapacityLb: 27, openingLb: 25, hydroTestDate: null };
  // 50 lb refillable recovery cylinder (DOT 4BA400): 47.7 lb water capacity, 38.16 lb at 80%.
  const recovery50 = { kind: "RECOVERY" as const, tareWeightLb: 27.6, waterCapacityLb: 47.7 };
  // 30 lb refillable recovery cylinder: 26.2 lb water capacity, 20.96 lb at 80%.
  const recovery30 = { kind: "RECOVERY" as const, tareWeightLb: 17.5, waterCapacityLb: 26.2 };
  const north = (spec: Omit<CylinderSpec, "orgId" | "addedAt" | "addedBy"> & { addedAt?: Date }): CylinderSpec => ({
    addedAt: opened,
    addedBy: MANAGER,
    ...spec,
    orgId: NORTH,
  });

  const chronicYear = demoChronicYear(now);
  // The chronic leaker's charges: five through its year, within the last 355 days, the last at
  // least four days before now.
  const windowStart = Math.max(Date.UTC(chronicYear, 0, 5, 15), ago(355, 15).getTime());
  const windowEnd = Math.min(Date.UTC(chronicYear, 11, 20, 15), ago(4, 15).getTime());
  const chronicAt = [0, 0.22, 0.45, 0.7, 1].map((share) => {
    const t = new Date(windowStart + share * (windowEnd - windowStart));
    t.setUTCHours(16, 0, 0, 0);
    return t;
  });
  const [wic0, wic1, wic2, wic3, wic4] = chronicAt as [Date, Date, Date, Date, Date];

  const cylinderSpecs: CylinderSpec[] = [
    // VIRGIN
    north({
      id: "cyl-north-410a-1",
      tag: "PN-V101",
      refrigerant: "R-410A",
      ...jug,
      moves: [{ at: ago(395, 13), by: MANAGER, to: truck(TECH1), note: "Issued to Tess's truck" }],
    }),
    north({ id: "cyl-north-410a-2", tag: "PN-V102", refrigerant: "R-410A", ...jug, addedAt: ago(60, 14), moves: [] }),
    north({
      id: "cyl-north-410a-3",
      tag: "PN-V103",
      refrigerant: "R-410A",
      ...jug,
      openingLb: 6,
      moves: [
        { at: ago(390, 13), by: MANAGER, to: truck(TECH2), note: "Issued to Theo's truck" },
        { at: ago(39, 22), by: TECH2, status: "EMPTY", note: "Used up at Riverbend Family Clinic" },
        { at: ago(37, 13), by: MANAGER, to: wh, note: "Returned for disposal (disposable jug)" },
      ],
    }),
    north({
      id: "cyl-north-404a-1",
      tag: "PN-V104",
      refrigerant: "R-404A",
      ...jug,
      tareWeightLb: 10.6,
      waterCapacityLb: 26,
      openingLb: 24,
      moves: [{ at: ago(388, 13), by: MANAGER, to: truck(TECH2), note: "Issued to Theo's truck" }],
    }),
    north({
      id: "cyl-north-404a-2",
      tag: "PN-V105",
      refrigerant: "R-404A",
      ...jug,
      tareWeightLb: 10.6,
      waterCapacityLb: 26,
      openingLb: 24,
      moves: [
        { at: ago(386, 13), by: MANAGER, to: truck(TECH2), note: "Issued to Theo's truck" },
        { at: plus(wic2, 0, 22), by: TECH2, status: "EMPTY", note: "Emptied on walk-in cooler 2" },
        { at: plus(wic2, 2, 13), by: MANAGER, to: wh, note: "Returned for disposal (disposable jug)" },
      ],
    }),
    north({
      id: "cyl-north-448a-1",
      tag: "PN-V201",
      refrigerant: "R-448A",
      kind: "VIRGIN",
      tareWeightLb: 47,
      waterCapacityLb: 103,
      openingLb: 100,
      hydroTestDate: yearsAgo(3, 40),
      moves: [
        { at: ago(335, 13), by: MANAGER, to: truck(TECH2), note: "For the Lakeside racks" },
        { at: ago(125, 21), by: TECH2, to: wh, note: "Back to the warehouse" },
        { at: ago(120, 13), by: MANAGER, to: truck(TECH1), note: "Tess takes over Lakeside" },
      ],
    }),
    north({
      id: "cyl-north-134a-1",
      tag: "PN-V202",
      refrigerant: "R-134a",
      kind: "VIRGIN",
      tareWeightLb: 58,
      waterCapacityLb: 125,
      openingLb: 120,
      hydroTestDate: yearsAgo(2, 95),
      moves: [
        {
          at: ago(251, 14),
          by: TECH1,
          to: at("loc-north-twinlakes"),
          note: "Kept in the Building A chiller room for CH-1",
        },
      ],
    }),
    north({
      id: "cyl-north-407c-1",
      tag: "PN-V106",
      refrigerant: "R-407C",
      ...jug,
      moves: [
        { at: ago(321, 13), by: MANAGER, to: truck(TECH1), note: "For CRAC-1 at Twin Lakes" },
        { at: ago(318, 21), by: TECH1, to: wh, note: "Back to the warehouse" },
        { at: ago(21, 13), by: MANAGER, to: truck(TECH1), note: "For CRAC-1 at Twin Lakes" },
        { at: ago(18, 21), by: TECH1, to: wh, note: "Back to the warehouse" },
      ],
    }),
    // VIRGIN, for sale (sales@polar.test sees these), and one sold
    ...(["fs1", "fs2"] as const).map((n, i) =>
      north({
        id: `cyl-north-410a-${n}`,
        tag: `PN-S30${i + 1}`,
        refrigerant: "R-410A",
        ...jug,
        addedAt: ago(45, 14),
        moves: [{ at: ago(44, 15), by: MANAGER, status: "FOR_SALE", note: "Counter sales stock" }],
      }),
    ),
    north({
      id: "cyl-north-454b-fs1",
      tag: "PN-S303",
      refrigerant: "R-454B",
      ...jug,
      tareWeightLb: 10.5,
      waterCapacityLb: 22.5,
      openingLb: 20,
      addedAt: ago(30, 14),
      moves: [{ at: ago(30, 15), by: MANAGER, status: "FOR_SALE", note: "Counter sales stock" }],
    }),
    north({
      id: "cyl-north-32-sold1",
      tag: "PN-S304",
      refrigerant: "R-32",
      ...jug,
      tareWeightLb: 10.5,
      waterCapacityLb: 22.9,
      openingLb: 20,
      addedAt: ago(90, 14),
      moves: [
        { at: ago(90, 15), by: MANAGER, status: "FOR_SALE", note: "Counter sales stock" },
        { at: ago(52, 16), by: MANAGER, status: "SOLD", note: "Sold to Hanson Heating & Air, invoice 10482" },
      ],
    }),
    // RECLAIMED
    north({
      id: "cyl-north-r22-rcl1",
      tag: "PN-C401",
      refrigerant: "R-22",
      kind: "RECLAIMED",
      tareWeightLb: 55,
      waterCapacityLb: 123,
      openingLb: 100,
      hydroTestDate: yearsAgo(1, 200),
      moves: [{ at: ago(292, 13), by: TECH2, to: at("loc-north-northland"), note: "Staged at Northland for PC-1" }],
    }),
    north({
      id: "cyl-north-410a-rcl-fs1",
      tag: "PN-C402",
      refrigerant: "R-410A",
      kind: "RECLAIMED",
      tareWeightLb: 14,
      waterCapacityLb: 27,
      openingLb: 25,
      hydroTestDate: yearsAgo(1, 30),
      addedAt: ago(20, 14),
      moves: [{ at: ago(20, 15), by: MANAGER, status: "FOR_SALE", note: "Reclaimed R-410A, AHRI 700 certified" }],
    }),
    // RECOVERY
    north({
      id: "cyl-north-rcv-410a-1",
      tag: "PN-R501",
      refrigerant: "R-410A",
      ...recovery50,
      openingLb: 18,
      hydroTestDate: yearsAgo(2, 10),
      moves: [{ at: ago(394, 13), by: MANAGER, to: truck(TECH1), note: "Recovery cylinder for Tess's truck" }],
    }),
    north({
      id: "cyl-north-rcv-410a-2",
      tag: "PN-R502",
      refrigerant: "R-410A",
      ...recovery30,
      openingLb: 0,
      hydroTestDate: yearsAgo(4, 20),
      moves: [
        { at: ago(393, 13), by: MANAGER, to: truck(TECH2), note: "Recovery cylinder for Theo's truck" },
        { at: ago(91, 14), by: TECH2, to: wh, note: "Back for consolidation" },
        { at: ago(90, 18), by: TECH1, status: "EMPTY", note: "Consolidated into PN-R501" },
      ],
    }),
    north({
      id: "cyl-north-rcv-22-1",
      tag: "PN-R503",
      refrigerant: "R-22",
      ...recovery50,
      openingLb: 12,
      hydroTestDate: yearsAgo(3, 150),
      moves: [
        { at: ago(121, 13), by: MANAGER, to: truck(TECH1), note: "For the RTU-2 decommissioning at Lakeside" },
        { at: ago(118, 21), by: TECH1, to: wh, note: "Back to the warehouse" },
      ],
    }),
    north({
      id: "cyl-north-rcv-404a-1",
      tag: "PN-R504",
      refrigerant: "R-404A",
      ...recovery30,
      openingLb: 6.5,
      hydroTestDate: yearsAgo(1, 75),
      moves: [],
    }),
    north({
      id: "cyl-north-rcv-404a-2",
      tag: "PN-R505",
      refrigerant: "R-404A",
      ...recovery30,
      openingLb: 0,
      // Out of its 5-year hydrostatic retest: set aside, empty, until it is retested.
      hydroTestDate: yearsAgo(5, 60),
      moves: [{ at: ago(55, 14), by: MANAGER, status: "EMPTY", note: "Hydro test expired: set aside for retest" }],
    }),
    north({
      id: "cyl-north-rcv-old",
      tag: "PN-R506",
      refrigerant: "R-22",
      ...recovery50,
      openingLb: 0,
      hydroTestDate: yearsAgo(7, 10),
      moves: [
        {
          at: ago(200, 14),
          by: ADMIN_NORTH,
          status: "RETIRED",
          note: "Dented foot ring and out of hydro date; scrapped",
        },
      ],
    }),
    // Polar South and Frostline
    {
      id: "cyl-south-410a-1",
      orgId: SOUTH,
      tag: "PS-V101",
      refrigerant: "R-410A",
      ...jug,
      addedAt: opened,
      addedBy: ADMIN_SOUTH,
      moves: [{ at: ago(380, 13), by: ADMIN_SOUTH, to: truck(ROVER), note: "Issued to Rory" }],
    },
    {
      id: "cyl-south-410a-fs1",
      orgId: SOUTH,
      tag: "PS-S301",
      refrigerant: "R-410A",
      ...jug,
      addedAt: ago(40, 14),
      addedBy: ADMIN_SOUTH,
      moves: [{ at: ago(40, 15), by: ADMIN_SOUTH, status: "FOR_SALE", note: "Counter sales stock" }],
    },
    {
      id: "cyl-south-rcv-1",
      orgId: SOUTH,
      tag: "PS-R501",
      refrigerant: "R-404A",
      ...recovery50,
      openingLb: 9,
      hydroTestDate: yearsAgo(2, 60),
      addedAt: opened,
      addedBy: ADMIN_SOUTH,
      moves: [],
    },
    {
      id: "cyl-frost-404a-1",
      orgId: FROSTLINE,
      tag: "FS-0001",
      refrigerant: "R-404A",
      ...jug,
      tareWeightLb: 10.6,
      waterCapacityLb: 26,
      openingLb: 24,
      addedAt: opened,
      addedBy: FERN,
      moves: [{ at: ago(370, 13), by: FERN, to: truck(FERN), note: "On Fern's van" }],
    },
  ];

  // --- Transfers ---------------------------------------------------------------------------------
  const approved = (by: string, performedAt: Date, note?: string) => ({
    status: "APPROVED" as const,
    by,
    at: plus(performedAt, 1, 14, 30),
    ...(note ? { note } : {}),
  });
  const ok = (performedAt: Date) => approved(MANAGER, performedAt);
  const charge = (
    id: string,
    unitId: string,
    fromCylinderId: string,
    amountLb: number,
    performedAt: Date,
    technicianId: string,
    rest: Partial<TransferSpec> = {},
  ): TransferSpec => ({
    id,
    orgId: NORTH,
    kind: "CHARGE",
    unitId,
    fromCylinderId,
    amountLb,
    performedAt,
    technicianId,
    review: ok(performedAt),
    ...rest,
  });
  const recover = (
    id: string,
    unitId: string,
    toCylinderId: string,
    amountLb: number,
    performedAt: Date,
    technicianId: string,
    rest: Partial<TransferSpec> = {},
  ): TransferSpec => ({
    id,
    orgId: NORTH,
    kind: "RECOVER",
    unitId,
    toCylinderId,
    amountLb,
    performedAt,
    technicianId,
    review: ok(performedAt),
    ...rest,
  });
  const pending = { review: undefined };

  const transferSpecs: TransferSpec[] = [
    // Rack A (R-448A, 320 lb): small top-offs; one record voided (lb typed for oz) and re-entered.
    charge("xfer-north-racka-1", "unit-north-rack-a", "cyl-north-448a-1", 8, ago(330, 16), TECH2, {
      notes: "Low receiver level after defrost heater replacement on case 14.",
    }),
    charge("xfer-north-racka-2", "unit-north-rack-a", "cyl-north-448a-1", 6, ago(200, 17), TECH2, {
      notes: "Receiver at 20%; found and fixed a leaking Schrader core on the suction header.",
    }),
    charge("xfer-north-racka-3", "unit-north-rack-a", "cyl-north-448a-1", 12, ago(110, 15), TECH1, {
      notes: "Topped off the receiver.",
      voided: {
        by: ADMIN_NORTH,
        at: ago(100, 14),
        reason: "Entered as 12 lb; Tess added 12 oz (0.75 lb). Re-entered as a new record.",
      },
    }),
    charge("xfer-north-racka-4", "unit-north-rack-a", "cyl-north-448a-1", 0.75, ago(110, 15), TECH1, {
      createdAt: ago(100, 14, 10),
      notes: "Topped off the receiver (12 oz). Re-entry of the voided record.",
      review: approved(MANAGER, ago(100, 14, 10)),
    }),
    charge("xfer-north-racka-5", "unit-north-rack-a", "cyl-north-448a-1", 3, ago(2, 16), TECH1, {
      notes: "Receiver low after the case 9 TXV replacement.",
      ...pending,
    }),
    // Rack B (R-448A, 260 lb)
    charge("xfer-north-rackb-1", "unit-north-rack-b", "cyl-north-448a-1", 5, ago(300, 18), TECH2),
    charge("xfer-north-rackb-2", "unit-north-rack-b", "cyl-north-448a-1", 4, ago(130, 16), TECH2, {
      notes: "Seasonal check; receiver slightly low.",
    }),
    // Walk-in cooler 2 (R-404A, 28 lb): the chronic leaker.
    charge("xfer-north-wic2-1", "unit-north-wic2", "cyl-north-404a-2", 7, wic0, TECH2, {
      notes: "Cooler at 48 °F, low charge. Oil at the evaporator return bends.",
    }),
    charge("xfer-north-wic2-2", "unit-north-wic2", "cyl-north-404a-2", 8, wic1, TECH2, {
      notes: "Low charge again; bubbles at the evaporator coil.",
    }),
    charge("xfer-north-wic2-3", "unit-north-wic2", "cyl-north-404a-2", 9, wic2, TECH2, {
      notes: "Temporary recharge to protect the produce until the coil is replaced.",
    }),
    charge("xfer-north-wic2-4", "unit-north-wic2", "cyl-north-404a-1", 6.5, wic3, TECH2, {
      notes: "Temporary recharge; retrofit scheduled.",
    }),
    charge("xfer-north-wic2-5", "unit-north-wic2", "cyl-north-404a-1", 7, wic4, TECH2, {
      notes: "Temporary recharge; retrofit scheduled.",
    }),
    // Lakeside RTU-1 (R-410A, 18 lb); one charge recorded on the wrong unit and rejected.
    charge("xfer-north-rtu1-1", "unit-north-rtu1", "cyl-north-410a-1", 1, ago(300, 15), TECH1),
    charge("xfer-north-rtu1-2", "unit-north-rtu1", "cyl-north-410a-3", 0.5, ago(95, 19), TECH2, {
      notes: "Topped off after the service call.",
      review: {
        status: "REJECTED",
        by: MANAGER,
        at: ago(94, 14),
        note: "Wrong unit: this charge was on the clinic's RTU-1, where it is already recorded.",
      },
    }),
    charge("xfer-north-rtu1-3", "unit-north-rtu1", "cyl-north-410a-1", 0.75, ago(1, 17), TECH1, {
      notes: "Superheat high after the coil cleaning; added 12 oz.",
      ...pending,
    }),
    // RTU-2 (R-22, decommissioned): recovered before removal.
    recover("xfer-north-rtu2-recover", "unit-north-rtu2", "cyl-north-rcv-22-1", 11.5, ago(120, 16), TECH1, {
      notes: "Full recovery before decommissioning.",
    }),
    // Twin Lakes: CH-1 (R-134a, 380 lb) goes over its threshold 8 days ago.
    charge("xfer-north-ch1-1", "unit-north-ch1", "cyl-north-134a-1", 10, ago(250, 15), TECH1, {
      notes: "Spring start-up; circuit 2 slightly low.",
    }),
    charge("xfer-north-ch1-2", "unit-north-ch1", "cyl-north-134a-1", 6, ago(68, 16), TECH1),
    charge("xfer-north-ch1-3", "unit-north-ch1", "cyl-north-134a-1", 25, ago(8, 15), TECH1, {
      notes: "Circuit 2 tripped on low suction pressure. Leak search scheduled.",
    }),
    charge("xfer-north-rtu3-1", "unit-north-rtu3", "cyl-north-410a-1", 0.5, ago(210, 18), TECH1),
    recover("xfer-north-rtu3-recover", "unit-north-rtu3", "cyl-north-rcv-410a-2", 2.25, ago(180, 17), TECH2, {
      notes: "Overcharged by the previous contractor (subcooling 19 °F); removed 2.25 lb.",
    }),
    charge("xfer-north-crac1-1", "unit-north-crac1", "cyl-north-407c-1", 1, ago(320, 16), TECH1),
    charge("xfer-north-crac1-2", "unit-north-crac1", "cyl-north-407c-1", 1.5, ago(20, 16), TECH1, {
      notes: "Low-pressure alarm; no leak found with the electronic detector. Recheck in 30 days.",
    }),
    // Northland: PC-1 (R-22, 450 lb, Part 82) goes over its threshold 70 days ago.
    charge("xfer-north-pc1-1", "unit-north-pc1", "cyl-north-r22-rcl1", 20, ago(290, 15), TECH2),
    charge("xfer-north-pc1-2", "unit-north-pc1", "cyl-north-r22-rcl1", 15, ago(170, 15), TECH2),
    charge("xfer-north-pc1-3", "unit-north-pc1", "cyl-north-r22-rcl1", 40, ago(70, 15), TECH2, {
      notes: "Low oil pressure and low charge on compressor 2; repair needs a plant shutdown.",
    }),
    charge("xfer-north-dock-1", "unit-north-dock-rtu", "cyl-north-410a-1", 1, ago(310, 19), TECH1),
    // Prairie Freight: trailer 5310's repair is overdue; 5322 is fine.
    charge("xfer-north-t5310-1", "unit-north-trailer-5310", "cyl-north-404a-1", 1, ago(160, 14), TECH2),
    charge("xfer-north-t5310-2", "unit-north-trailer-5310", "cyl-north-404a-1", 3, ago(45, 14), TECH2, {
      notes: "Unit alarmed on the road (low suction). Needs a leak search at the next depot visit.",
    }),
    charge("xfer-north-t5322-1", "unit-north-trailer-5322", "cyl-north-404a-1", 0.5, ago(220, 14), TECH2),
    charge("xfer-north-t5322-2", "unit-north-trailer-5322", "cyl-north-404a-1", 0.5, ago(60, 14), TECH2),
    charge("xfer-north-shop-1", "unit-north-shop-rtu", "cyl-north-410a-1", 1, ago(280, 18), TECH1),
    recover(
      "xfer-north-dispatch-recover",
      "unit-north-dispatch-split",
      "cyl-north-rcv-410a-2",
      6,
      ago(240, 16),
      TECH2,
      { notes: "Full recovery before removing the old split system." },
    ),
    recover("xfer-north-shop-recover", "unit-north-shop-rtu", "cyl-north-rcv-410a-1", 1.25, ago(3, 18), TECH1, {
      notes: "Overcharged after the compressor contactor job (subcooling 17 °F); removed 1.25 lb.",
      ...pending,
    }),
    // Riverbend clinic RTU-1 (R-410A, 25 lb): over threshold, repaired, verified, closed.
    charge("xfer-north-clinic-1", "unit-north-clinic-rtu1", "cyl-north-410a-3", 1.5, ago(270, 16), TECH2),
    charge("xfer-north-clinic-2", "unit-north-clinic-rtu1", "cyl-north-410a-3", 4, ago(150, 16), TECH2, {
      notes: "Low charge; oil at the liquid line near the filter drier.",
    }),
    charge("xfer-north-clinic-3", "unit-north-clinic-rtu1", "cyl-north-410a-3", 0.5, ago(40, 16), TECH2, {
      notes: "Seasonal check after the repair; small top-off.",
    }),
    // Consolidating Theo's recovery cylinder into Tess's.
    {
      id: "xfer-north-consolidate",
      orgId: NORTH,
      kind: "CYLINDER_TO_CYLINDER",
      fromCylinderId: "cyl-north-rcv-410a-2",
      toCylinderId: "cyl-north-rcv-410a-1",
      amountLb: 8.25,
      performedAt: ago(90, 17),
      technicianId: TECH1,
      notes: "Consolidated recovered R-410A before sending PN-R502 for retest.",
      review: ok(ago(90, 17)),
    },
    // Polar South
    {
      id: "xfer-south-rtu1-1",
      orgId: SOUTH,
      kind: "CHARGE",
      unitId: "unit-south-rtu1",
      fromCylinderId: "cyl-south-410a-1",
      amountLb: 1.5,
      performedAt: ago(200, 16),
      technicianId: ROVER,
      review: approved(ADMIN_SOUTH, ago(200, 16)),
    },
    {
      id: "xfer-south-rtu1-2",
      orgId: SOUTH,
      kind: "CHARGE",
      unitId: "unit-south-rtu1",
      fromCylinderId: "cyl-south-410a-1",
      amountLb: 0.5,
      performedAt: ago(30, 16),
      technicianId: ROVER,
      review: approved(ADMIN_SOUTH, ago(30, 16)),
    },
    // Frostline
    {
      id: "xfer-frost-milk-1",
      orgId: FROSTLINE,
      kind: "CHARGE",
      unitId: "unit-frost-milk",
      fromCylinderId: "cyl-frost-404a-1",
      amountLb: 2,
      performedAt: ago(90, 15),
      technicianId: FERN,
      review: approved(FERN, ago(90, 15)),
    },
  ];

  // --- Leak cases ----------------------------------------------------------------------------------
  const leakSpecs: LeakSpec[] = [
    {
      id: "leak-north-ch1",
      orgId: NORTH,
      unitId: "unit-north-ch1",
      locationOnUnit: "Circuit 2 condenser coil (suspected)",
      opened: { byCharge: "xfer-north-ch1-3" },
    },
    {
      id: "leak-north-t5310",
      orgId: NORTH,
      unitId: "unit-north-trailer-5310",
      locationOnUnit: "Evaporator coil, return-air side (suspected)",
      opened: { byCharge: "xfer-north-t5310-2" },
    },
    {
      id: "leak-north-pc1",
      orgId: NORTH,
      unitId: "unit-north-pc1",
      locationOnUnit: "Compressor 2 shaft seal",
      opened: { byCharge: "xfer-north-pc1-3" },
      repair: {
        at: ago(7, 16),
        description: "Replaced the compressor 2 shaft seal during the planned plant shutdown.",
      },
      initialTest: { at: ago(7, 21), passed: true },
    },
    {
      id: "leak-north-clinic",
      orgId: NORTH,
      unitId: "unit-north-clinic-rtu1",
      locationOnUnit: "Liquid line at the filter drier",
      opened: { byCharge: "xfer-north-clinic-2" },
      repair: {
        at: ago(143, 16),
        description: "Brazed a rub-through on the liquid line and replaced the filter drier.",
      },
      initialTest: { at: ago(143, 20), passed: true },
      followUpTest: { at: ago(136, 16), passed: true },
      closed: { at: ago(135, 15), outcome: "CLOSED" },
    },
    {
      id: "leak-north-wic2-1",
      orgId: NORTH,
      unitId: "unit-north-wic2",
      locationOnUnit: "Evaporator coil return bends",
      opened: { byCharge: "xfer-north-wic2-1" },
      repair: { at: plus(wic0, 3, 16), description: "Brazed two pinhole leaks on the evaporator return bends." },
      initialTest: { at: plus(wic0, 3, 20), passed: true },
      followUpTest: { at: plus(wic0, 9, 16), passed: true },
      closed: { at: plus(wic0, 10, 14), outcome: "CLOSED" },
    },
    {
      id: "leak-north-wic2-2",
      orgId: NORTH,
      unitId: "unit-north-wic2",
      locationOnUnit: "Evaporator coil (multiple pinholes, formicary corrosion)",
      opened: { byCharge: "xfer-north-wic2-2" },
      repair: { at: plus(wic1, 2, 16), description: "Brazed three more pinholes on the evaporator coil." },
      initialTest: { at: plus(wic1, 2, 20), passed: true },
      followUpTest: { at: plus(wic1, 8, 16), passed: false },
      retrofitPlan: {
        at: plus(wic1, 15, 15),
        plan: "Replace the corroded evaporator coil and convert the system to R-448A; work scheduled with the store for its next slow season.",
      },
    },
    {
      id: "leak-north-racka",
      orgId: NORTH,
      unitId: "unit-north-rack-a",
      locationOnUnit: "Suction header Schrader valve (machine room)",
      opened: {
        reportedBy: TECH2,
        foundAt: ago(200, 16),
        detectionMethod: "ELECTRONIC",
        notes: "Found with the electronic detector during the receiver check.",
      },
      repair: { at: ago(200, 18), description: "Replaced the Schrader core and cap." },
      closed: { at: ago(199, 15), outcome: "CLOSED" },
    },
  ];

  return assemble(now, ctx, {
    customers: customerRows,
    locations: locationRows,
    units: unitRows,
    cylinders: cylinderSpecs,
    transfers: transferSpecs,
    leaks: leakSpecs,
  });
}

// ---------------------------------------------------------------------------------------------
// From the story to rows, replaying it the way the app would

function assemble(
  now: Date,
  ctx: DemoContext,
  story: {
    customers: CustomerRow[];
    locations: LocationRow[];
    units: UnitRow[];
    cylinders: CylinderSpec[];
    transfers: TransferSpec[];
    leaks: LeakSpec[];
  },
) {
  const fail = (message: string): never => {
    throw new Error(`seed-refrigerant: ${message}`);
  };
  const user = (id: string) => ctx.users.get(id) ?? fail(`demo user ${id} is missing; seed the demo users first.`);
  const unitById = new Map(story.units.map((u) => [u.id, u]));
  const locationById = new Map(story.locations.map((l) => [l.id, l]));
  const cylinderById = new Map(story.cylinders.map((c) => [c.id, c]));
  const config = (orgId: string) => ctx.epaConfigs.get(orgId) ?? fail(`organization ${orgId} is missing.`);
  const covered = (u: UnitRow) => {
    const refrigerant =
      ctx.refrigerants.get(u.refrigerant ?? "") ?? fail(`refrigerant ${u.refrigerant} is not in the catalogue.`);
    return coverage({ refrigerant, fullChargeLb: u.fullChargeLb }, config(u.orgId)).covered;
  };
  for (const l of story.locations)
    if (!story.customers.some((c) => c.id === l.customerId && c.orgId === l.orgId)) fail(`location ${l.id}'s customer`);
  for (const u of story.units) if (locationById.get(u.locationId)?.orgId !== u.orgId) fail(`unit ${u.id}'s location`);

  // Transfers: people snapshotted from their user rows, as createTransfer does.
  const transferRows: TransferRow[] = story.transfers.map((t) => {
    const technician = user(t.technicianId);
    const reviewer = t.review ? user(t.review.by) : null;
    if (t.voided) user(t.voided.by);
    const unit = t.unitId ? unitById.get(t.unitId) : undefined;
    const from = t.fromCylinderId ? cylinderById.get(t.fromCylinderId) : undefined;
    const to = t.toCylinderId ? cylinderById.get(t.toCylinderId) : undefined;
    for (const [what, row] of [
      ["unit", unit],
      ["from", from],
      ["to", to],
    ] as const)
      if (row && row.orgId !== t.orgId) fail(`transfer ${t.id}: its ${what} belongs to another org.`);
    if (technician.orgId !== t.orgId) fail(`transfer ${t.id}: the technician works for another org.`);
    if (t.kind === "CHARGE" && !(unit && from && !to))
      fail(`transfer ${t.id}: a charge goes from a cylinder to a unit.`);
    if (t.kind === "RECOVER" && !(unit && to && !from && to.kind === "RECOVERY"))
      fail(`transfer ${t.id}: a recovery goes from a unit into a recovery cylinder.`);
    if (t.kind === "CYLINDER_TO_CYLINDER" && !(from && to && !unit && (to.kind !== "VIRGIN" || from.kind === "VIRGIN")))
      fail(`transfer ${t.id}: cylinder to cylinder needs two cylinders of a compatible grade.`);
    const refrigerant = unit?.refrigerant ?? from?.refrigerant ?? "";
    for (const c of [from, to]) if (c && c.refrigerant !== refrigerant) fail(`transfer ${t.id}: refrigerants differ.`);
    if (t.performedAt.getTime() > now.getTime()) fail(`transfer ${t.id} is in the future.`);
    const createdAt = t.createdAt ?? new Date(t.performedAt.getTime() + 10 * 60_000);
    for (const later of [t.review?.at, t.voided?.at])
      if (later && (later.getTime() < createdAt.getTime() || later.getTime() > now.getTime()))
        fail(`transfer ${t.id}: reviewed or voided outside [recorded, now].`);
    return {
      id: t.id,
      orgId: t.orgId,
      kind: t.kind,
      unitId: unit?.id ?? null,
      fromCylinderId: from?.id ?? null,
      toCylinderId: to?.id ?? null,
      refrigerant,
      amountLb: t.amountLb,
      performedAt: t.performedAt,
      technicianId: technician.id,
      technicianName: technician.name,
      certificationNumber: technician.certificationNumber,
      certificationType: technician.certificationType,
      jobId: null,
      notes: t.notes ?? null,
      status: t.review?.status ?? "PENDING",
      reviewedById: reviewer?.id ?? null,
      reviewedByName: reviewer?.name ?? null,
      reviewedAt: t.review?.at ?? null,
      reviewNote: t.review?.note ?? null,
      voidedAt: t.voided?.at ?? null,
      voidedById: t.voided?.by ?? null,
      voidReason: t.voided?.reason ?? null,
      createdById: technician.id,
      createdAt,
    };
  });
  const transferById = new Map(transferRows.map((t) => [t.id, t]));
  const counts = (t: TransferRow) => t.status !== "REJECTED" && !t.voidedAt;

  // Leak cases: their steps, in the app's order, with deadlines from the engine.
  const leakRows: LeakRow[] = [];
  /**
   * [opened, no longer open) per case, to check which approved charges open a new one: a case is
   * open (worker/leaks/service.ts OPEN_LEAK_STATUSES) until VERIFIED, CLOSED or RETIRED.
   */
  const openSpans: { unitId: string; from: number; to: number; byCharge: string | null }[] = [];
  for (const spec of story.leaks) {
    const unit = unitById.get(spec.unitId) ?? fail(`leak ${spec.id}: unknown unit.`);
    if (unit.orgId !== spec.orgId) fail(`leak ${spec.id}: the unit belongs to another org.`);
    let row: LeakRow;
    if ("byCharge" in spec.opened) {
      const t = transferById.get(spec.opened.byCharge) ?? fail(`leak ${spec.id}: unknown charge.`);
      if (t.unitId !== unit.id || t.status !== "APPROVED" || t.voidedAt || !t.reviewedAt)
        fail(`leak ${spec.id}: opened by an approved charge on its unit.`);
      const { repairDueAt } = repairDeadlines({
        detectedAt: t.performedAt,
        category: unit.category,
        needsShutdown: unit.repairNeedsShutdown ?? false,
      });
      row = {
        id: spec.id,
        orgId: spec.orgId,
        unitId: unit.id,
        status: "OPEN",
        foundById: t.technicianId,
        foundByName: t.technicianName,
        foundAt: t.performedAt,
        locationOnUnit: spec.locationOnUnit,
        detectionMethod: "LEAK_RATE",
        notes: null, // the rate's explanation, once computed below
        leakRateId: `rate-${t.id}`,
        repairDueAt,
        createdAt: t.reviewedAt ?? t.createdAt,
      };
    } else {
      const finder = user(spec.opened.reportedBy);
      row = {
        id: spec.id,
        orgId: spec.orgId,
        unitId: unit.id,
        status: "OPEN",
        foundById: finder.id,
        foundByName: finder.name,
        foundAt: spec.opened.foundAt,
        locationOnUnit: spec.locationOnUnit,
        detectionMethod: spec.opened.detectionMethod,
        notes: spec.opened.notes ?? null,
        leakRateId: null,
        repairDueAt: null,
        createdAt: new Date(spec.opened.foundAt.getTime() + 30 * 60_000),
      };
    }
    const steps: Date[] = [row.createdAt as Date];
    let closedAt: Date | null = null;
    if (spec.repair) {
      Object.assign(row, {
        status: "REPAIRED",
        repairedAt: spec.repair.at,
        repairDescription: spec.repair.description,
      });
      steps.push(spec.repair.at);
    }
    if (spec.initialTest) {
      if (!spec.repair) fail(`leak ${spec.id}: a verification test needs a repair first.`);
      const { at, passed } = spec.initialTest;
      Object.assign(
        row,
        passed
          ? {
              initialTestAt: at,
              initialTestPassed: true,
              followUpDueAt: verificationDeadlines({ initialTestAt: at }).followUpDueAt,
            }
          : {
              initialTestAt: at,
              initialTestPassed: false,
              status: "VERIFICATION_FAILED",
              retrofitPlanDueAt: retrofitDeadlines({ failedAt: at }).planDueAt,
            },
      );
      steps.push(at);
    }
    if (spec.followUpTest) {
      if (!spec.initialTest?.passed) fail(`leak ${spec.id}: a follow-up test needs a passed initial test.`);
      const { at, passed } = spec.followUpTest;
      Object.assign(
        row,
        passed
          ? { followUpTestAt: at, followUpTestPassed: true, status: "VERIFIED" }
          : {
              followUpTestAt: at,
              followUpTestPassed: false,
              status: "VERIFICATION_FAILED",
              retrofitPlanDueAt: retrofitDeadlines({ failedAt: at }).planDueAt,
            },
      );
      if (passed) closedAt = at; // VERIFIED is no longer an open case
      steps.push(at);
    }
    if (spec.retrofitPlan) {
      if (row.status !== "VERIFICATION_FAILED" && row.status !== "OPEN")
        fail(`leak ${spec.id}: a retrofit plan is for an open or failed case.`);
      const failedAt = row.followUpTestPassed === false ? row.followUpTestAt : row.initialTestAt;
      const engine = retrofitDeadlines({
        failedAt: (failedAt as Date | null) ?? row.foundAt,
        planDatedAt: spec.retrofitPlan.at,
      });
      Object.assign(row, {
        status: "RETROFIT_PLANNED",
        retrofitPlan: spec.retrofitPlan.plan,
        retrofitPlanAt: spec.retrofitPlan.at,
        retrofitCompleteBy: engine.completeBy,
        retrofitPlanDueAt: row.retrofitPlanDueAt ?? engine.planDueAt,
      });
      steps.push(spec.retrofitPlan.at);
    }
    if (spec.closed) {
      const closable =
        spec.closed.outcome === "RETIRED" ||
        row.status === "VERIFIED" ||
        row.status === "RETROFIT_PLANNED" ||
        (row.status === "REPAIRED" && row.repairDueAt === null);
      if (!closable) fail(`leak ${spec.id}: cannot be closed as repaired yet.`);
      Object.assign(row, { status: spec.closed.outcome, closedAt: spec.closed.at });
      closedAt ??= spec.closed.at;
      steps.push(spec.closed.at);
    }
    for (let i = 1; i < steps.length; i++)
      if (
        (steps[i] as Date).getTime() < (steps[i - 1] as Date).getTime() ||
        (steps[i] as Date).getTime() > now.getTime()
      )
        fail(`leak ${spec.id}: its steps are out of order or in the future.`);
    leakRows.push(row);
    openSpans.push({
      unitId: unit.id,
      from: (row.createdAt as Date).getTime(),
      to: closedAt ? closedAt.getTime() : Number.POSITIVE_INFINITY,
      byCharge: "byCharge" in spec.opened ? spec.opened.byCharge : null,
    });
  }

  // Leak rates: every CHARGE, in order per unit, as computeLeakRate does at recording time.
  const charges = transferRows
    .filter((t) => t.kind === "CHARGE")
    .sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  const rateRows: LeakRateRow[] = [];
  for (const t of charges) {
    const unit = unitById.get(t.unitId ?? "") ?? fail(`charge ${t.id}: unknown unit.`);
    const org = config(t.orgId);
    const previousAdditions = charges
      .filter((other) => other.unitId === unit.id && other.id !== t.id && counts(other))
      .filter((other) => other.performedAt.getTime() < t.performedAt.getTime())
      .map((other) => ({ performedAt: other.performedAt, lb: other.amountLb }));
    const followUps = leakRows
      .filter((l) => l.unitId === unit.id && l.followUpTestPassed === true && l.followUpTestAt)
      .map((l) => (l.followUpTestAt as Date).getTime())
      .filter((time) => time <= t.performedAt.getTime());
    const rate = leakRate({
      method: org.calculationMethod,
      fullChargeLb: unit.fullChargeLb,
      addedLb: t.amountLb,
      performedAt: t.performedAt,
      previousAdditions,
      lastSuccessfulFollowUpAt: followUps.length ? new Date(Math.max(...followUps)) : null,
      category: unit.category,
      config: org,
    });
    rateRows.push({
      id: `rate-${t.id}`,
      orgId: t.orgId,
      unitId: unit.id,
      transferId: t.id,
      method: rate.method,
      percent: rate.percent,
      threshold: rate.threshold,
      alertLevel: rate.alertLevel,
      exceeded: rate.exceeded,
      alert: rate.alert,
      inputs: rate.inputs,
      explanation: rate.explanation,
      ruleVersion: rate.ruleVersion,
      computedAt: t.createdAt,
    });

    // The app opens a repair when an over-threshold charge is approved and no case is open.
    if (t.status === "APPROVED" && t.voidedAt && rate.exceeded)
      fail(`charge ${t.id} was approved over the threshold and then voided: its repair case would stay behind.`);
    if (t.status === "APPROVED" && !t.voidedAt && rate.exceeded) {
      if (!covered(unit)) fail(`charge ${t.id} is over the threshold on ${unit.name}, which is not covered.`);
      const approvedAt = (t.reviewedAt as Date).getTime();
      const openThen = openSpans.some(
        (s) => s.unitId === unit.id && s.byCharge !== t.id && s.from <= approvedAt && approvedAt < s.to,
      );
      const opens = openSpans.some((s) => s.byCharge === t.id);
      if (openThen === opens)
        fail(
          `charge ${t.id} on ${unit.name}: ${opens ? "a case was already open" : "its approval opens a leak case; script it"}.`,
        );
    } else if (openSpans.some((s) => s.byCharge === t.id)) {
      fail(`charge ${t.id} does not open a leak case (not approved, voided, or not over the threshold).`);
    }
  }
  for (const row of leakRows) {
    const rate = rateRows.find((r) => r.id === row.leakRateId);
    if (rate) row.notes = rate.explanation;
  }

  // Cylinders: contents replayed from the opening contents, moves from the opening placement.
  const cylinderRows: CylinderRow[] = [];
  const moveRows: MoveRow[] = [];
  for (const spec of story.cylinders) {
    const limit = spec.kind === "RECOVERY" ? spec.waterCapacityLb * 0.8 : spec.waterCapacityLb;
    const events: { at: number; delta: number; what: string }[] = [];
    for (const t of transferRows) {
      const delta = t.fromCylinderId === spec.id ? -t.amountLb : t.toCylinderId === spec.id ? t.amountLb : 0;
      if (delta === 0) continue;
      if (t.createdAt.getTime() < spec.addedAt.getTime()) fail(`transfer ${t.id} predates cylinder ${spec.tag}.`);
      events.push({ at: t.createdAt.getTime(), delta, what: t.id });
      // Rejecting or voiding gives the refrigerant back (a voided rejected one already had it back).
      const undoneAt = t.status === "REJECTED" ? t.reviewedAt : t.voidedAt;
      if (undoneAt) events.push({ at: undoneAt.getTime(), delta: -delta, what: `${t.id} undone` });
    }
    events.sort((a, b) => a.at - b.at);
    let contents = spec.openingLb;
    for (const event of [{ at: spec.addedAt.getTime(), delta: 0, what: "opening" }, ...events]) {
      contents = r3(contents + event.delta);
      if (contents < 0 || contents > limit + 0.0001)
        fail(`cylinder ${spec.tag} would hold ${contents} lb after ${event.what} (limit ${limit} lb).`);
    }

    const placement = (holder: Holder) => {
      if (holder.type === "WAREHOUSE")
        return {
          holderType: "WAREHOUSE" as const,
          holderUserId: null,
          holderLocationId: null,
          holderLabel: WAREHOUSE_LABEL,
        };
      if (holder.type === "TECHNICIAN") {
        const person = user(holder.userId);
        return {
          holderType: "TECHNICIAN" as const,
          holderUserId: person.id,
          holderLocationId: null,
          holderLabel: person.name,
        };
      }
      const location = locationById.get(holder.locationId);
      if (!location || location.orgId !== spec.orgId) fail(`cylinder ${spec.tag}: unknown site.`);
      return {
        holderType: "SITE" as const,
        holderUserId: null,
        holderLocationId: holder.locationId,
        holderLabel: location?.name ?? "",
      };
    };
    let where = placement({ type: "WAREHOUSE" });
    let status = "IN_STOCK" as CylinderStatus;
    const move = (at: Date, by: string, to: typeof where, toStatus: CylinderStatus, note: string, first: boolean) => {
      const mover = user(by);
      moveRows.push({
        id: `move-${spec.id}-${moveRows.filter((m) => m.cylinderId === spec.id).length + 1}`,
        orgId: spec.orgId,
        cylinderId: spec.id,
        fromHolderType: first ? null : where.holderType,
        fromHolderUserId: first ? null : where.holderUserId,
        fromHolderLocationId: first ? null : where.holderLocationId,
        fromHolderLabel: first ? null : where.holderLabel,
        fromStatus: first ? null : status,
        toHolderType: to.holderType,
        toHolderUserId: to.holderUserId,
        toHolderLocationId: to.holderLocationId,
        toHolderLabel: to.holderLabel,
        toStatus,
        movedById: mover.id,
        movedByName: mover.name,
        note,
        movedAt: at,
      });
      where = to;
      status = toStatus;
    };
    move(spec.addedAt, spec.addedBy, where, status, "Added to inventory", true);
    let last = spec.addedAt.getTime();
    for (const m of spec.moves) {
      if (m.at.getTime() < last || m.at.getTime() > now.getTime()) fail(`cylinder ${spec.tag}: moves out of order.`);
      last = m.at.getTime();
      if (status === "SOLD" || status === "RETIRED") fail(`cylinder ${spec.tag} moves after leaving service.`);
      if ("to" in m) {
        const to = placement(m.to);
        // worker/cylinders/rules.ts statusAfterMove: a truck means ASSIGNED; back at the warehouse
        // it is IN_STOCK unless FOR_SALE or EMPTY; at a site it keeps its status.
        const next: CylinderStatus =
          to.holderType === "TECHNICIAN"
            ? "ASSIGNED"
            : to.holderType === "WAREHOUSE"
              ? status === "FOR_SALE" || status === "EMPTY"
                ? status
                : "IN_STOCK"
              : status;
        move(m.at, m.by, to, next, m.note, false);
      } else {
        if (m.status === "ASSIGNED" && where.holderType !== "TECHNICIAN")
          fail(`cylinder ${spec.tag}: ASSIGNED off a truck.`);
        move(m.at, m.by, where, m.status, m.note, false);
      }
    }
    if (status === "EMPTY" && contents !== 0) fail(`cylinder ${spec.tag} is EMPTY but holds ${contents} lb.`);
    cylinderRows.push({
      id: spec.id,
      orgId: spec.orgId,
      tag: spec.tag,
      refrigerant: spec.refrigerant,
      kind: spec.kind,
      tareWeightLb: spec.tareWeightLb,
      waterCapacityLb: spec.waterCapacityLb,
      netContentsLb: contents,
      ...where,
      status,
      hydroTestDate: spec.hydroTestDate,
      deletedAt: null,
      createdAt: spec.addedAt,
    });
  }

  return {
    customers: story.customers,
    locations: story.locations,
    units: story.units,
    cylinders: cylinderRows,
    moves: moveRows,
    transfers: transferRows,
    leakRates: rateRows,
    leaks: leakRows,
    /** What each cylinder held when it entered the inventory (transfers explain the rest). */
    openingContents: new Map(story.cylinders.map((c) => [c.id, c.openingLb])),
  };
}
