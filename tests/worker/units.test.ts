import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, leakRates, leaks, locations, type Role, transfers } from "../../db/schema";
import { api, createTree, openLive, postForm, signIn, type TestOrg, type Tree, testDb } from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount, unique } from "./support";

const DAY = 24 * 60 * 60 * 1000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

let tree: Tree;
let cookies: Record<Role, string>;
let siblingAdmin: string;
let outsiderAdmin: string;

beforeAll(async () => {
  tree = await createTree();
  const roles: Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];
  const signed = await Promise.all(roles.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(roles.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  siblingAdmin = await signIn(tree.sibling.ORG_ADMIN.id);
  outsiderAdmin = await signIn(tree.outsiders.PARENT_ORG_ADMIN.id);
});

const base = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/units`;

/** A customer with one location in `orgId`, written directly. */
async function createSite(orgId = tree.subA.id, names: { customer?: string; location?: string; city?: string } = {}) {
  const db = testDb();
  const customerId = crypto.randomUUID();
  const locationId = crypto.randomUUID();
  await db.batch([
    db.insert(customers).values({ id: customerId, orgId, name: names.customer ?? unique("Customer ") }),
    db.insert(locations).values({
      id: locationId,
      orgId,
      customerId,
      name: names.location ?? unique("Store "),
      street: "1 Main St",
      city: names.city ?? "Dayton",
      state: "OH",
      zip: "45402",
    }),
  ]);
  return { customerId, locationId };
}

const unitBody = (locationId: string, overrides: Record<string, unknown> = {}) => ({
  locationId,
  name: unique("RTU-"),
  manufacturer: "Carrier",
  model: "48TC",
  serial: unique("SN"),
  category: "COMFORT_COOLING",
  refrigerant: "R-410A",
  fullChargeLb: 20,
  fullChargeMethod: "MANUFACTURER",
  installDate: "2020-05-01",
  ...overrides,
});

// biome-ignore lint/suspicious/noExplicitAny: API bodies are asserted with toMatchObject.
async function createUnit(overrides: Record<string, unknown> = {}, cookie = cookies.MANAGER): Promise<any> {
  const { locationId } = await createSite();
  const res = await api(base(), { cookie, body: unitBody(locationId, overrides) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Rows a failed write must not have added, for this org. */
async function writesOf(orgId = tree.subA.id) {
  const [customerRows, locationRows, unitRows, audit] = await Promise.all([
    sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM locations WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM units WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", orgId),
  ]);
  return { customers: customerRows, locations: locationRows, units: unitRows, audit };
}

describe("refrigerant catalogue", () => {
  it("answers every member, SALES included, with designation, ODS, GWP, family and safety class", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"] as const) {
      const res = await api(`/api/orgs/${tree.subA.id}/refrigerants`, { cookie: cookies[role] });
      expect(res.status, role).toBe(200);
      expect(res.body.refrigerants).toEqual(
        expect.arrayContaining([
          { designation: "R-22", ods: true, gwp: 1810, family: "HCFC", safetyClass: "A1" },
          { designation: "R-410A", ods: false, gwp: 2088, family: "HFC blend", safetyClass: "A1" },
          expect.objectContaining({ designation: "R-454B", gwp: 466, safetyClass: "A2L" }),
        ]),
      );
    }
  });

  it("answers 404 for an org the caller does not reach and 401 without a session", async () => {
    expectError(await api(`/api/orgs/${tree.subA.id}/refrigerants`, { cookie: outsiderAdmin }), 404, "NOT_FOUND");
    expectError(await api(`/api/orgs/${tree.subA.id}/refrigerants`), 401);
  });
});

describe("creating units", () => {
  it("lets technicians, managers and admins add a unit at a location, with coverage and an OK leak status", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"] as const) {
      const { locationId } = await createSite(tree.subA.id, { location: "Main store" });
      const res = await api(base(), { cookie: cookies[role], body: unitBody(locationId, { refrigerant: "r-410a" }) });
      expect(res.status, role).toBe(201);
      expect(res.body).toMatchObject({
        refrigerant: "R-410A",
        category: "COMFORT_COOLING",
        fullChargeLb: 20,
        status: "ACTIVE",
        decommission: null,
        location: { id: locationId, name: "Main store", city: "Dayton", state: "OH" },
        coverage: { covered: true, rule: "PART_84_SUBPART_C" },
        leakStatus: { level: "OK", latestRate: null, openLeak: null },
        serviceHistory: [],
        leakRateHistory: [],
      });
      const audit = await auditOf(res.body.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: "unit.create",
        entityType: "unit",
        actorId: tree.users[role].id,
        before: null,
        after: { name: res.body.name, refrigerant: "R-410A", fullChargeLb: 20, locationId },
      });
    }
  });

  it("refuses SALES (403) and writes nothing", async () => {
    const { locationId } = await createSite();
    const before = await writesOf();
    expectError(await api(base(), { cookie: cookies.SALES, body: unitBody(locationId) }), 403, "FORBIDDEN");
    expect(await writesOf()).toEqual(before);
  });

  it("creates a new customer, location and unit in one write", async () => {
    const customerName = unique("Frosty Foods ");
    const res = await api(base(), {
      cookie: cookies.MANAGER,
      body: unitBody("", {
        locationId: undefined,
        location: {
          customer: { name: customerName },
          name: "Store 12",
          street: "12 Elm St",
          city: "Akron",
          state: "oh",
          zip: "443081234",
        },
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      location: { name: "Store 12", city: "Akron", state: "OH", zip: "44308-1234" },
      customer: { name: customerName, archived: false },
    });
    const [location] = await sqlAll("SELECT * FROM locations WHERE id = ?", res.body.location.id);
    expect(location).toMatchObject({ org_id: tree.subA.id, customer_id: res.body.customer.id });
    expect((await auditOf(res.body.customer.id)).map((entry) => entry.action)).toEqual(["customer.create"]);
    expect((await auditOf(res.body.location.id)).map((entry) => entry.action)).toEqual(["location.create"]);
    expect((await auditOf(res.body.id)).map((entry) => entry.action)).toEqual(["unit.create"]);
  });

  it("creates a new location at an existing customer", async () => {
    const { customerId } = await createSite();
    const res = await api(base(), {
      cookie: cookies.ORG_ADMIN,
      body: unitBody("", {
        locationId: undefined,
        location: { customerId, name: "Annex", street: "2 Main St", city: "Dayton", state: "OH", zip: "45402" },
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.customer.id).toBe(customerId);
    expect(await sqlCount("SELECT count(*) AS n FROM locations WHERE customer_id = ?", customerId)).toBe(2);
  });

  it("writes nothing at all when the nested location is bad (400 with the nested fields)", async () => {
    const before = await writesOf();
    const res = await api(base(), {
      cookie: cookies.MANAGER,
      body: unitBody("", {
        locationId: undefined,
        location: {
          customer: { name: "Half Written Inc" },
          name: "X",
          street: "1 St",
          city: "Y",
          state: "ZZ",
          zip: "123",
        },
      }),
    });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.error.fields).toHaveProperty(["location.state"]);
    expect(res.body.error.fields).toHaveProperty(["location.zip"]);
    expect(await writesOf()).toEqual(before);
    expect(await sqlCount("SELECT count(*) AS n FROM customers WHERE name = 'Half Written Inc'")).toBe(0);
  });

  it("writes nothing when the unit itself is bad even though the new location is fine", async () => {
    const before = await writesOf();
    const res = await api(base(), {
      cookie: cookies.MANAGER,
      body: unitBody("", {
        locationId: undefined,
        refrigerant: "R-999",
        location: {
          customer: { name: "Never Stored" },
          name: "X",
          street: "1 St",
          city: "Y",
          state: "OH",
          zip: "45402",
        },
      }),
    });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.error.fields).toHaveProperty("refrigerant");
    expect(await writesOf()).toEqual(before);
  });

  it("refuses a nested customer of another org, or an archived one (400), writing nothing", async () => {
    const { customerId: foreign } = await createSite(tree.subB.id);
    const { customerId: archived } = await createSite();
    await testDb().update(customers).set({ archivedAt: new Date() }).where(eq(customers.id, archived));
    const before = await writesOf();
    for (const customerId of [foreign, archived, "no-such-customer"]) {
      const res = await api(base(), {
        cookie: cookies.MANAGER,
        body: unitBody("", {
          locationId: undefined,
          location: { customerId, name: "X", street: "1 St", city: "Y", state: "OH", zip: "45402" },
        }),
      });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields).toHaveProperty(["location.customerId"]);
    }
    expect(await writesOf()).toEqual(before);
  });

  it("lets a technician add a unit at an existing location but not create a location (403)", async () => {
    const before = await writesOf();
    const res = await api(base(), {
      cookie: cookies.TECHNICIAN,
      body: unitBody("", {
        locationId: undefined,
        location: { customer: { name: "Tech Made" }, name: "X", street: "1 St", city: "Y", state: "OH", zip: "45402" },
      }),
    });
    expectError(res, 403, "FORBIDDEN");
    expect(await writesOf()).toEqual(before);
  });

  it("requires a refrigerant from the catalogue", async () => {
    const { locationId } = await createSite();
    const before = await writesOf();
    for (const refrigerant of ["R-999", "Freon", "R-410"]) {
      const res = await api(base(), { cookie: cookies.MANAGER, body: unitBody(locationId, { refrigerant }) });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields.refrigerant[0]).toContain("catalogue");
    }
    expect(await writesOf()).toEqual(before);
  });

  it("answers 400 with fields for bad input, writing nothing", async () => {
    const { locationId } = await createSite();
    const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: undefined }, "name"],
      [{ name: "" }, "name"],
      [{ name: "x".repeat(81) }, "name"],
      [{ name: 42 }, "name"],
      [{ category: "FREEZER" }, "category"],
      [{ fullChargeLb: 0 }, "fullChargeLb"],
      [{ fullChargeLb: -3 }, "fullChargeLb"],
      [{ fullChargeLb: "20" }, "fullChargeLb"],
      [{ fullChargeLb: 1e9 }, "fullChargeLb"],
      [{ fullChargeMethod: "GUESS" }, "fullChargeMethod"],
      [{ installDate: "2020-02-30" }, "installDate"],
      [{ installDate: tomorrow }, "installDate"],
      [{ repairNeedsShutdown: "yes" }, "repairNeedsShutdown"],
      [{ serial: "s".repeat(81) }, "serial"],
      [{ locationId: undefined }, "locationId"],
      [{ locationId: "missing-location" }, "locationId"],
      [
        { location: { customer: { name: "A" }, name: "B", street: "C", city: "D", state: "OH", zip: "45402" } },
        "location",
      ],
      [{ status: "DECOMMISSIONED" }, "status"],
      [{ orgId: tree.subB.id }, "orgId"],
    ];
    const before = await writesOf();
    for (const [overrides, field] of cases) {
      const res = await api(base(), { cookie: cookies.MANAGER, body: unitBody(locationId, overrides) });
      expect(res.status, `${JSON.stringify(overrides)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.fields, JSON.stringify(overrides)).toHaveProperty([field]);
    }
    expectError(await api(base(), { cookie: cookies.MANAGER, body: "{not json" }), 400);
    expectError(await api(base(), { cookie: cookies.MANAGER, body: [] }), 400);
    expect(await writesOf()).toEqual(before);
  });

  it("refuses a location of another org, or an archived one (400)", async () => {
    const { locationId: foreign } = await createSite(tree.other.id);
    const { locationId: archived } = await createSite();
    await testDb().update(locations).set({ archivedAt: new Date() }).where(eq(locations.id, archived));
    for (const locationId of [foreign, archived]) {
      const res = await api(base(), { cookie: cookies.MANAGER, body: unitBody(locationId) });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields).toHaveProperty("locationId");
    }
  });
});

describe("listing units", () => {
  it("filters by location, customer, status, category and search, with location and customer names", async () => {
    const site = await createSite(tree.subA.id, { customer: unique("Polar Grocers "), location: "Deli" });
    const make = async (overrides: Record<string, unknown>) => {
      const res = await api(base(), { cookie: cookies.MANAGER, body: unitBody(site.locationId, overrides) });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const walkIn = await make({
      name: unique("Walk-in "),
      category: "COMMERCIAL_REFRIGERATION",
      refrigerant: "R-448A",
    });
    const rtu = await make({ name: unique("RTU "), serial: "ZX-77" });
    const old = await make({ name: unique("Old chiller ") });
    const decommission = await api(`${base()}/${old}/decommission`, {
      cookie: cookies.MANAGER,
      body: { reason: "Replaced", date: isoDaysAgo(1) },
    });
    expect(decommission.status).toBe(200);

    const ids = async (query: string) => {
      const res = await api(`${base()}?${query}`, { cookie: cookies.TECHNICIAN });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.units.map((unit: { id: string }) => unit.id);
    };
    expect(await ids(`locationId=${site.locationId}`)).toEqual(expect.arrayContaining([walkIn, rtu, old]));
    expect(await ids(`locationId=${site.locationId}`)).toHaveLength(3);
    expect(await ids(`customerId=${site.customerId}`)).toHaveLength(3);
    expect(await ids(`customerId=${site.customerId}&status=ACTIVE`)).toEqual(expect.arrayContaining([walkIn, rtu]));
    expect(await ids(`customerId=${site.customerId}&status=ACTIVE`)).not.toContain(old);
    expect(await ids(`customerId=${site.customerId}&status=DECOMMISSIONED`)).toEqual([old]);
    expect(await ids(`customerId=${site.customerId}&category=COMMERCIAL_REFRIGERATION`)).toEqual([walkIn]);
    expect(await ids(`customerId=${site.customerId}&q=zx-7`)).toEqual([rtu]);
    expect(await ids(`customerId=${site.customerId}&q=r-448`)).toEqual([walkIn]);
    expect(await ids("q=Polar%20Grocers")).toHaveLength(3);
    expect(await ids("q=100%25")).toEqual([]);

    const res = await api(`${base()}?locationId=${site.locationId}&category=COMMERCIAL_REFRIGERATION`, {
      cookie: cookies.MANAGER,
    });
    expect(res.body.units[0]).toMatchObject({
      id: walkIn,
      refrigerant: "R-448A",
      fullChargeLb: 20,
      location: { id: site.locationId, name: "Deli" },
      customer: { id: site.customerId },
      leakStatus: { level: "OK" },
      coverage: { covered: true },
    });
  });

  it("answers 400 for bad filters", async () => {
    expectError(await api(`${base()}?status=BROKEN`, { cookie: cookies.MANAGER }), 400);
    expectError(await api(`${base()}?category=FREEZER`, { cookie: cookies.MANAGER }), 400);
    expectError(await api(`${base()}?limit=0`, { cookie: cookies.MANAGER }), 400);
  });

  it("refuses SALES (403) on the list and on a unit", async () => {
    const unit = await createUnit();
    expectError(await api(base(), { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expectError(await api(`${base()}/${unit.id}`, { cookie: cookies.SALES }), 403, "FORBIDDEN");
  });
});

describe("tenancy", () => {
  it("answers 404 for another org's unit on every route, and changes nothing", async () => {
    const unit = await createUnit();
    const snapshot = await sqlAll("SELECT * FROM units WHERE id = ?", unit.id);
    const attempts = [
      { cookie: siblingAdmin, org: tree.subB },
      { cookie: outsiderAdmin, org: tree.other },
    ];
    for (const { cookie, org } of attempts) {
      const path = `${base(org)}/${unit.id}`;
      expectError(await api(path, { cookie }), 404, "NOT_FOUND");
      expectError(await api(path, { cookie, method: "PATCH", body: { name: "Hijacked" } }), 404, "NOT_FOUND");
      expectError(
        await api(`${path}/decommission`, { cookie, body: { reason: "x", date: isoDaysAgo(1) } }),
        404,
        "NOT_FOUND",
      );
      expectError(await api(path, { cookie, method: "DELETE" }), 404, "NOT_FOUND");
      const list = await api(base(org), { cookie });
      expect(list.body.units.map((u: { id: string }) => u.id)).not.toContain(unit.id);
    }
    // The org in the URL is checked too: an outsider cannot reach subA at all.
    expectError(await api(`${base()}/${unit.id}`, { cookie: outsiderAdmin }), 404, "NOT_FOUND");
    expect(await sqlAll("SELECT * FROM units WHERE id = ?", unit.id)).toEqual(snapshot);
  });
});

describe("editing units", () => {
  it("lets technicians and managers edit, auditing before and after", async () => {
    const unit = await createUnit();
    const res = await api(`${base()}/${unit.id}`, {
      cookie: cookies.TECHNICIAN,
      method: "PATCH",
      body: { name: "RTU-9", refrigerant: "r-454b", fullChargeLb: 14.5, fullChargeMethod: "MEASUREMENT", serial: "" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name: "RTU-9",
      refrigerant: "R-454B",
      fullChargeLb: 14.5,
      fullChargeMethod: "MEASUREMENT",
      serial: null,
      // R-454B (GWP 466) at 14.5 lb is under the 15 lb Part 84 threshold.
      coverage: { covered: false, rule: null },
    });
    const audit = await auditOf(unit.id);
    expect(audit.map((entry) => entry.action)).toEqual(["unit.create", "unit.update"]);
    expect(audit[1]).toMatchObject({
      actorId: tree.users.TECHNICIAN.id,
      before: { name: unit.name, refrigerant: "R-410A", fullChargeLb: 20 },
      after: { name: "RTU-9", refrigerant: "R-454B", fullChargeLb: 14.5, serial: null },
    });

    const same = await api(`${base()}/${unit.id}`, {
      cookie: cookies.MANAGER,
      method: "PATCH",
      body: { name: "RTU-9" },
    });
    expect(same.status).toBe(200);
    expect(await auditOf(unit.id)).toHaveLength(2);
  });

  it("answers 400 for bad edits (catalogue, charge, future install date, unknown fields) and writes nothing", async () => {
    const unit = await createUnit();
    const row = await sqlAll("SELECT * FROM units WHERE id = ?", unit.id);
    const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ refrigerant: "R-999" }, "refrigerant"],
      [{ fullChargeLb: 0 }, "fullChargeLb"],
      [{ fullChargeLb: -1 }, "fullChargeLb"],
      [{ installDate: tomorrow }, "installDate"],
      [{ name: "" }, "name"],
      [{ category: "X" }, "category"],
      [{ status: "DECOMMISSIONED" }, "status"],
      [{ locationId: "elsewhere" }, "locationId"],
      [{ deletedAt: null }, "deletedAt"],
    ];
    for (const [body, field] of cases) {
      const res = await api(`${base()}/${unit.id}`, { cookie: cookies.MANAGER, method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await sqlAll("SELECT * FROM units WHERE id = ?", unit.id)).toEqual(row);
    expect(await auditOf(unit.id)).toHaveLength(1);
  });

  it("refuses SALES edits (403)", async () => {
    const unit = await createUnit();
    expectError(
      await api(`${base()}/${unit.id}`, { cookie: cookies.SALES, method: "PATCH", body: { name: "x" } }),
      403,
      "FORBIDDEN",
    );
  });
});

describe("decommissioning", () => {
  it("is refused to technicians and sales (403) and allowed to managers and admins, with reason and date", async () => {
    const unit = await createUnit();
    const body = { reason: "Replaced by a new RTU", date: isoDaysAgo(2) };
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(await api(`${base()}/${unit.id}/decommission`, { cookie: cookies[role], body }), 403, "FORBIDDEN");
    }
    expect((await sqlAll("SELECT status FROM units WHERE id = ?", unit.id))[0]?.status).toBe("ACTIVE");

    const res = await api(`${base()}/${unit.id}/decommission`, { cookie: cookies.MANAGER, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: "DECOMMISSIONED",
      decommission: { reason: body.reason, date: body.date },
    });
    const audit = await auditOf(unit.id);
    expect(audit.at(-1)).toMatchObject({
      action: "unit.decommission",
      actorId: tree.users.MANAGER.id,
      before: { status: "ACTIVE", decommissionReason: null },
      after: { status: "DECOMMISSIONED", decommissionReason: body.reason, decommissionedAt: body.date },
    });

    const again = await api(`${base()}/${unit.id}/decommission`, { cookie: cookies.ORG_ADMIN, body });
    expectError(again, 409, "ALREADY_DECOMMISSIONED");

    for (const role of ["ORG_ADMIN", "PARENT_ORG_ADMIN"] as const) {
      const other = await createUnit();
      const ok = await api(`${base()}/${other.id}/decommission`, { cookie: cookies[role], body });
      expect(ok.status, role).toBe(200);
    }
  });

  it("decommissions once when two managers race (the other gets 409), with one audit entry", async () => {
    const unit = await createUnit();
    const body = { reason: "Replaced", date: isoDaysAgo(1) };
    const results = await Promise.all([
      api(`${base()}/${unit.id}/decommission`, { cookie: cookies.MANAGER, body }),
      api(`${base()}/${unit.id}/decommission`, { cookie: cookies.ORG_ADMIN, body }),
    ]);
    expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
    expect((await auditOf(unit.id)).filter((entry) => entry.action === "unit.decommission")).toHaveLength(1);
    expect((await sqlAll("SELECT full_charge_lb FROM units WHERE id = ?", unit.id))[0]?.full_charge_lb).toBe(20);
  });

  it("answers 400 for a missing reason, a future date or a date before the install date", async () => {
    const unit = await createUnit({ installDate: isoDaysAgo(10) });
    const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ date: isoDaysAgo(1) }, "reason"],
      [{ reason: "", date: isoDaysAgo(1) }, "reason"],
      [{ reason: "x".repeat(501), date: isoDaysAgo(1) }, "reason"],
      [{ reason: "Gone" }, "date"],
      [{ reason: "Gone", date: "yesterday" }, "date"],
      [{ reason: "Gone", date: tomorrow }, "date"],
      [{ reason: "Gone", date: isoDaysAgo(20) }, "date"],
      [{ reason: "Gone", date: isoDaysAgo(1), status: "ACTIVE" }, "status"],
    ];
    for (const [body, field] of cases) {
      const res = await api(`${base()}/${unit.id}/decommission`, { cookie: cookies.MANAGER, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect((await sqlAll("SELECT status FROM units WHERE id = ?", unit.id))[0]?.status).toBe("ACTIVE");
    expect(await auditOf(unit.id)).toHaveLength(1);
  });
});

describe("deleting units", () => {
  it("is for admins only: technicians and managers get 403", async () => {
    const unit = await createUnit();
    for (const role of ["TECHNICIAN", "MANAGER", "SALES"] as const) {
      expectError(await api(`${base()}/${unit.id}`, { cookie: cookies[role], method: "DELETE" }), 403, "FORBIDDEN");
    }
    expect((await sqlAll("SELECT deleted_at FROM units WHERE id = ?", unit.id))[0]?.deleted_at).toBeNull();
  });

  it("soft-deletes: gone from lists, 404 by id, the row and its service records kept, audited", async () => {
    const unit = await createUnit();
    const transfer = await insertCharge(unit.id, { daysAgo: 3, status: "APPROVED" });
    const res = await api(`${base()}/${unit.id}`, { cookie: cookies.ORG_ADMIN, method: "DELETE" });
    expect(res.status).toBe(204);

    const list = await api(base(), { cookie: cookies.MANAGER });
    expect(list.body.units.map((u: { id: string }) => u.id)).not.toContain(unit.id);
    const byLocation = await api(`${base()}?locationId=${unit.location.id}`, { cookie: cookies.MANAGER });
    expect(byLocation.body.units).toEqual([]);
    expectError(await api(`${base()}/${unit.id}`, { cookie: cookies.ORG_ADMIN }), 404, "NOT_FOUND");
    expectError(
      await api(`${base()}/${unit.id}`, { cookie: cookies.ORG_ADMIN, method: "PATCH", body: { name: "x" } }),
      404,
      "NOT_FOUND",
    );
    expectError(await api(`${base()}/${unit.id}`, { cookie: cookies.ORG_ADMIN, method: "DELETE" }), 404, "NOT_FOUND");

    const [row] = await sqlAll("SELECT * FROM units WHERE id = ?", unit.id);
    expect(row?.deleted_at).toEqual(expect.any(Number));
    expect(await sqlCount("SELECT count(*) AS n FROM transfers WHERE id = ?", transfer.id)).toBe(1);
    expect((await auditOf(unit.id)).at(-1)).toMatchObject({
      action: "unit.delete",
      actorId: tree.users.ORG_ADMIN.id,
      before: { deletedAt: null },
      after: { deletedAt: expect.any(String) },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Leak status and histories, from transfers and leak rates written directly

let chargeCount = 0;
async function insertCharge(
  unitId: string,
  {
    daysAgo,
    status = "APPROVED",
    voided = false,
    amountLb = 1,
  }: { daysAgo: number; status?: "PENDING" | "APPROVED" | "REJECTED"; voided?: boolean; amountLb?: number },
) {
  const technician = tree.users.TECHNICIAN;
  return testDb()
    .insert(transfers)
    .values({
      id: crypto.randomUUID(),
      orgId: tree.subA.id,
      kind: "CHARGE",
      unitId,
      refrigerant: "R-410A",
      amountLb,
      performedAt: new Date(Date.now() - daysAgo * DAY),
      technicianId: technician.id,
      technicianName: "Tess Tech",
      certificationNumber: "EPA-608-1234",
      certificationType: "UNIVERSAL",
      status,
      voidedAt: voided ? new Date() : null,
      voidReason: voided ? "Wrong unit" : null,
      createdById: technician.id,
      createdAt: new Date(Date.now() + chargeCount++),
    })
    .returning()
    .get();
}

async function insertRate(transfer: { id: string; unitId: string | null }, percent: number, threshold = 10) {
  return testDb()
    .insert(leakRates)
    .values({
      id: crypto.randomUUID(),
      orgId: tree.subA.id,
      unitId: transfer.unitId ?? "",
      transferId: transfer.id,
      method: "ANNUALIZING",
      percent,
      threshold,
      alertLevel: threshold * 0.8,
      exceeded: percent > threshold,
      alert: percent >= threshold * 0.8,
      inputs: { method: "ANNUALIZING", addedLb: 1, fullChargeLb: 20, daysUsed: 30 },
      explanation: `(1 lb / 20 lb) × (365 / 30 days) × 100 = ${percent}%`,
      ruleVersion: "epa-2026.1",
    })
    .returning()
    .get();
}

async function leakStatusOf(unitId: string) {
  const list = await api(`${base()}?q=${encodeURIComponent((await unitName(unitId)) ?? "")}`, {
    cookie: cookies.MANAGER,
  });
  const fromList = list.body.units.find((u: { id: string }) => u.id === unitId)?.leakStatus;
  const one = await api(`${base()}/${unitId}`, { cookie: cookies.MANAGER });
  expect(fromList).toEqual(one.body.leakStatus);
  return one.body.leakStatus;
}

async function unitName(unitId: string) {
  return (await sqlAll("SELECT name FROM units WHERE id = ?", unitId))[0]?.name as string | undefined;
}

describe("current leak status", () => {
  it("comes from the latest APPROVED, non-voided leak rate only", async () => {
    const unit = await createUnit();
    expect(await leakStatusOf(unit.id)).toMatchObject({ level: "OK", latestRate: null, percentOfThreshold: null });

    const first = await insertCharge(unit.id, { daysAgo: 40 });
    await insertRate(first, 4);
    expect(await leakStatusOf(unit.id)).toMatchObject({
      level: "OK",
      percentOfThreshold: 40,
      latestRate: { percent: 4, threshold: 10, performedAt: first.performedAt.toISOString() },
    });

    // Later, but pending, rejected or voided: none of them counts.
    await insertRate(await insertCharge(unit.id, { daysAgo: 30, status: "PENDING" }), 50);
    await insertRate(await insertCharge(unit.id, { daysAgo: 25, status: "REJECTED" }), 60);
    await insertRate(await insertCharge(unit.id, { daysAgo: 20, status: "APPROVED", voided: true }), 70);
    expect(await leakStatusOf(unit.id)).toMatchObject({ level: "OK", latestRate: { percent: 4 } });

    const alert = await insertCharge(unit.id, { daysAgo: 10 });
    await insertRate(alert, 8.5);
    expect(await leakStatusOf(unit.id)).toMatchObject({
      level: "ALERT",
      percentOfThreshold: 85,
      latestRate: { percent: 8.5, alert: true, exceeded: false },
    });

    const over = await insertCharge(unit.id, { daysAgo: 5 });
    await insertRate(over, 12.17);
    expect(await leakStatusOf(unit.id)).toMatchObject({ level: "OVER_THRESHOLD", percentOfThreshold: 122 });
  });

  it("shows an open repair and REPAIR_OVERDUE once its due day has passed; a repair clears it", async () => {
    const unit = await createUnit();
    const charge = await insertCharge(unit.id, { daysAgo: 45 });
    const rate = await insertRate(charge, 20);
    const [leak] = await testDb()
      .insert(leaks)
      .values({
        id: crypto.randomUUID(),
        orgId: tree.subA.id,
        unitId: unit.id,
        foundAt: charge.performedAt,
        leakRateId: rate.id,
        repairDueAt: new Date(Date.now() - 15 * DAY),
        status: "OPEN",
      })
      .returning();
    expect(await leakStatusOf(unit.id)).toMatchObject({
      level: "REPAIR_OVERDUE",
      openLeak: { id: leak?.id, status: "OPEN", repairDueAt: leak?.repairDueAt?.toISOString() },
    });
    await testDb()
      .update(leaks)
      .set({ status: "REPAIRED", repairedAt: new Date(Date.now() - DAY) })
      .where(eq(leaks.id, leak?.id ?? ""));
    expect(await leakStatusOf(unit.id)).toMatchObject({ level: "OK", openLeak: { status: "REPAIRED" } });
  });

  it("keeps a reported leak without an EPA deadline from turning an OK unit red", async () => {
    const unit = await createUnit();
    await testDb()
      .insert(leaks)
      .values({ id: crypto.randomUUID(), orgId: tree.subA.id, unitId: unit.id, foundAt: new Date(), status: "OPEN" });
    expect(await leakStatusOf(unit.id)).toMatchObject({ level: "OK", openLeak: { status: "OPEN", repairDueAt: null } });
  });
});

describe("one unit's page data", () => {
  it("holds the service history newest first with the technician's certification, and the leak-rate history", async () => {
    const unit = await createUnit();
    const older = await insertCharge(unit.id, { daysAgo: 60, amountLb: 2 });
    const olderRate = await insertRate(older, 6);
    const pending = await insertCharge(unit.id, { daysAgo: 2, status: "PENDING", amountLb: 0.5 });
    await insertRate(pending, 30);

    const res = await api(`${base()}/${unit.id}`, { cookie: cookies.TECHNICIAN });
    expect(res.status).toBe(200);
    expect(res.body.serviceHistory.map((t: { id: string }) => t.id)).toEqual([pending.id, older.id]);
    expect(res.body.serviceHistory[1]).toMatchObject({
      kind: "CHARGE",
      status: "APPROVED",
      amountLb: 2,
      technician: { name: "Tess Tech", certificationNumber: "EPA-608-1234", certificationType: "UNIVERSAL" },
      leakRate: { percent: 6, method: "ANNUALIZING" },
    });
    expect(res.body.leakRateHistory).toEqual([
      expect.objectContaining({
        id: olderRate.id,
        counted: true,
        percent: 6,
        threshold: 10,
        method: "ANNUALIZING",
        ruleVersion: "epa-2026.1",
        explanation: expect.stringContaining("365 / 30 days"),
        inputs: expect.objectContaining({ fullChargeLb: 20 }),
      }),
      expect.objectContaining({ transferId: pending.id, counted: false, transferStatus: "PENDING", percent: 30 }),
    ]);
    expect(res.body.latestLeakRate).toMatchObject({ id: olderRate.id, explanation: olderRate.explanation });
  });

  it("says whether Part 82 or Part 84 covers the unit, and why", async () => {
    const r22 = await createUnit({ refrigerant: "R-22", fullChargeLb: 60 });
    expect(r22.coverage).toMatchObject({ covered: true, rule: "PART_82_SUBPART_F", thresholdLb: 50 });
    expect(r22.coverage.reason).toContain("ozone-depleting");
    const smallR22 = await createUnit({ refrigerant: "R-22", fullChargeLb: 30 });
    expect(smallR22.coverage).toMatchObject({ covered: false, rule: null });
    const r410a = await createUnit({ refrigerant: "R-410A", fullChargeLb: 15 });
    expect(r410a.coverage).toMatchObject({ covered: true, rule: "PART_84_SUBPART_C", thresholdLb: 15 });
    const r744 = await createUnit({ refrigerant: "R-744", fullChargeLb: 500 });
    expect(r744.coverage).toMatchObject({ covered: false, rule: null });
    expect(r744.coverage.reason).toContain("GWP");
    expect(r744.refrigerantInfo).toMatchObject({ designation: "R-744", gwp: 1, ods: false });
  });
});

describe("unit pages", () => {
  it("ask an admin to confirm a delete, and offer no delete panel to a manager", async () => {
    const unit = await createUnit();
    const admin = await api(`/o/${tree.subA.id}/units/${unit.id}?panel=delete`, { cookie: cookies.ORG_ADMIN });
    const html = String(admin.body);
    expect(html).toContain(`Delete ${unit.name}?`);
    expect(html).toMatch(/<input type="hidden" name="intent" value="delete"\/>/);
    expect(html).toContain("Delete unit");
    const manager = await api(`/o/${tree.subA.id}/units/${unit.id}?panel=delete`, { cookie: cookies.MANAGER });
    expect(String(manager.body)).not.toContain(`Delete ${unit.name}?`);
  });

  it("run the page's form actions by intent: unknown intents 400, a manager's delete 403, an admin's delete done", async () => {
    const unit = await createUnit();
    const submit = (cookie: string, intent: string) =>
      postForm(`/o/${tree.subA.id}/units/${unit.id}?panel=delete`, cookie, { intent });
    const unknown = await submit(cookies.ORG_ADMIN, "explode");
    expect(unknown.status).toBe(400);
    const refused = await submit(cookies.MANAGER, "delete");
    expect(refused.status).toBe(403);
    expect(await sqlCount("SELECT count(*) AS n FROM units WHERE id = ? AND deleted_at IS NULL", unit.id)).toBe(1);
    const done = await submit(cookies.ORG_ADMIN, "delete");
    expect(done.status).toBeLessThan(400);
    expect(await sqlCount("SELECT count(*) AS n FROM units WHERE id = ? AND deleted_at IS NULL", unit.id)).toBe(0);
  });

  it("render the leak badge, the rate with how it was computed, and the chart with its threshold line", async () => {
    const unit = await createUnit();
    await insertRate(await insertCharge(unit.id, { daysAgo: 90 }), 3.5);
    await insertRate(await insertCharge(unit.id, { daysAgo: 10 }), 8.5);
    const res = await api(`/o/${tree.subA.id}/units/${unit.id}`, { cookie: cookies.TECHNICIAN });
    expect(res.status).toBe(200);
    const html = String(res.body);
    expect(html).toMatch(/data-testid="leak-badge"[^>]*>Alert 85% of threshold</);
    expect(html).toContain("8.50%");
    expect(html).toContain("How this was computed");
    expect(html).toContain("(1 lb / 20 lb) × (365 / 30 days) × 100 = 8.5%");
    // Two server-rendered SVG charts (phone and desktop sizes), each with the threshold and alert lines.
    const charts = html.match(/<svg[^>]*class="recharts-surface"[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      expect(chart).toContain("recharts-reference-line");
      expect(chart).toContain("Threshold 10%");
      expect(chart).toContain("Alert 8%");
      expect(chart.match(/recharts-line-curve/g)).toHaveLength(1);
    }

    const list = await api(`/o/${tree.subA.id}/units?q=${encodeURIComponent(unit.name)}`, { cookie: cookies.MANAGER });
    expect(String(list.body)).toMatch(/data-testid="leak-badge"[^>]*>Alert 85% of threshold</);
  });

  it("answer 404 for another org's unit and 403 for SALES", async () => {
    const unit = await createUnit();
    expect((await api(`/o/${tree.subB.id}/units/${unit.id}`, { cookie: siblingAdmin })).status).toBe(404);
    expect((await api(`/o/${tree.subA.id}/units/${unit.id}`, { cookie: cookies.SALES })).status).toBe(403);
  });
});

describe("live updates", () => {
  it("publishes unit changes to field roles, not to SALES", async () => {
    const technician = await openLive(tree.subA.id, cookies.TECHNICIAN);
    const sales = await openLive(tree.subA.id, cookies.SALES);
    const unit = await createUnit();
    const event = await technician.event(unit.id);
    expect(event).toMatchObject({ entity: "unit", action: "created", orgId: tree.subA.id });
    const decommissioned = await api(`${base()}/${unit.id}/decommission`, {
      cookie: cookies.MANAGER,
      body: { reason: "Gone", date: isoDaysAgo(1) },
    });
    expect(decommissioned.status).toBe(200);
    await technician.waitFor((m) => m.type === "event" && m.id === unit.id && m.action === "decommissioned");
    // SALES hears of the site (customers and locations are for everyone) but never of the unit.
    expect(sales.eventIds()).not.toContain(unit.id);
  });
});
