/**
 * Customers and locations behind the API: everyone views them, managers and up create and edit,
 * admins archive (SPEC §4); a customer's first location is created with it, all or nothing;
 * addresses are validated (2-letter state, 5- or 9-digit ZIP); tenancy, bad input, audit, live.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { locations, type Role, units } from "../../db/schema";
import { api, createTree, openLive, signIn, type TestOrg, type Tree, testDb } from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount, unique } from "./support";

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

const customersPath = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/customers`;
const locationsPath = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/locations`;

const address = (overrides: Record<string, unknown> = {}) => ({
  name: unique("Store "),
  street: "100 Main St",
  city: "Columbus",
  state: "OH",
  zip: "43215",
  ...overrides,
});

// biome-ignore lint/suspicious/noExplicitAny: API bodies are asserted with toMatchObject.
async function createCustomer(body: Record<string, unknown> = {}, cookie = cookies.MANAGER): Promise<any> {
  const res = await api(customersPath(), {
    cookie,
    body: { name: unique("Customer "), location: address(), ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function writesOf(orgId = tree.subA.id) {
  const [customerRows, locationRows, audit] = await Promise.all([
    sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM locations WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", orgId),
  ]);
  return { customers: customerRows, locations: locationRows, audit };
}

describe("creating customers", () => {
  it("lets managers and admins add a customer with its first location, both audited", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const name = unique("Frosty Foods ");
      const res = await api(customersPath(), {
        cookie: cookies[role],
        body: {
          name,
          email: "ap@frosty.example",
          phone: "555-0100",
          location: address({ name: "Main plant", state: "oh", zip: "432151234" }),
        },
      });
      expect(res.status, role).toBe(201);
      expect(res.body).toMatchObject({
        name,
        email: "ap@frosty.example",
        phone: "555-0100",
        archived: false,
        locations: [{ name: "Main plant", state: "OH", zip: "43215-1234", archived: false, units: [] }],
      });
      const customerAudit = await auditOf(res.body.id);
      expect(customerAudit).toMatchObject([
        { action: "customer.create", actorId: tree.users[role].id, after: { name, email: "ap@frosty.example" } },
      ]);
      const locationAudit = await auditOf(res.body.locations[0].id);
      expect(locationAudit).toMatchObject([
        { action: "location.create", after: { customerId: res.body.id, name: "Main plant", zip: "43215-1234" } },
      ]);
    }
  });

  it("adds a customer without a location", async () => {
    const res = await api(customersPath(), { cookie: cookies.MANAGER, body: { name: unique("Solo ") } });
    expect(res.status).toBe(201);
    expect(res.body.locations).toEqual([]);
  });

  it("refuses technicians and sales (403) and writes nothing", async () => {
    const before = await writesOf();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      const res = await api(customersPath(), { cookie: cookies[role], body: { name: "Nope", location: address() } });
      expectError(res, 403, "FORBIDDEN");
    }
    expect(await writesOf()).toEqual(before);
  });

  it("writes neither the customer nor the location when the location is bad", async () => {
    const before = await writesOf();
    const cases: [Record<string, unknown>, string][] = [
      [{ state: "Ohio" }, "location.state"],
      [{ state: "ZZ" }, "location.state"],
      [{ zip: "4321" }, "location.zip"],
      [{ zip: "43215-12" }, "location.zip"],
      [{ zip: 43215 }, "location.zip"],
      [{ street: "" }, "location.street"],
      [{ city: undefined }, "location.city"],
      [{ name: "x".repeat(121) }, "location.name"],
      [{ customerId: "abc" }, "location.customerId"],
    ];
    for (const [overrides, field] of cases) {
      const res = await api(customersPath(), {
        cookie: cookies.MANAGER,
        body: { name: "Half Written", location: address(overrides) },
      });
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(overrides)).toHaveProperty([field]);
    }
    expect(await writesOf()).toEqual(before);
    expect(await sqlCount("SELECT count(*) AS n FROM customers WHERE name = 'Half Written'")).toBe(0);
  });

  it("answers 400 with fields for a bad customer, writing nothing", async () => {
    const before = await writesOf();
    const cases: [Record<string, unknown>, string][] = [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "   " }, "name"],
      [{ name: 7 }, "name"],
      [{ name: "x".repeat(121) }, "name"],
      [{ name: "A", email: "not-an-email" }, "email"],
      [{ name: "A", phone: "1".repeat(41) }, "phone"],
      [{ name: "A", notes: "n".repeat(2001) }, "notes"],
      [{ name: "A", orgId: tree.subB.id }, "orgId"],
      [{ name: "A", archivedAt: null }, "archivedAt"],
    ];
    for (const [body, field] of cases) {
      const res = await api(customersPath(), { cookie: cookies.MANAGER, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await writesOf()).toEqual(before);
  });
});

describe("viewing customers", () => {
  it("lets every role list, search and open customers; units only for roles that see units", async () => {
    const name = unique("Arctic Ice ");
    const customer = await createCustomer({ name, location: address({ city: "Toledo", zip: "43604" }) });
    const locationId = customer.locations[0].id;
    await testDb().insert(units).values({
      id: crypto.randomUUID(),
      orgId: tree.subA.id,
      locationId,
      name: "Ice machine",
      category: "COMMERCIAL_REFRIGERATION",
      refrigerant: "R-404A",
      fullChargeLb: 8,
      fullChargeMethod: "MANUFACTURER",
    });

    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"] as const) {
      const list = await api(`${customersPath()}?q=${encodeURIComponent(name)}`, { cookie: cookies[role] });
      expect(list.status, role).toBe(200);
      expect(list.body.customers).toMatchObject([
        { id: customer.id, name, locationCount: 1, unitCount: role === "SALES" ? null : 1, cities: ["Toledo, OH"] },
      ]);
      const one = await api(`${customersPath()}/${customer.id}`, { cookie: cookies[role] });
      expect(one.status, role).toBe(200);
      expect(one.body.locations[0]).toMatchObject({ id: locationId, city: "Toledo" });
      if (role === "SALES") expect(one.body.locations[0].units).toBeNull();
      else expect(one.body.locations[0].units).toMatchObject([{ name: "Ice machine", leakStatus: { level: "OK" } }]);
    }
  });

  it("searches by the locations' city and ZIP too, matching % and _ literally", async () => {
    const customer = await createCustomer({ location: address({ city: unique("Springfield"), zip: "62701" }) });
    const byCity = await api(`${customersPath()}?q=${encodeURIComponent(customer.locations[0].city)}`, {
      cookie: cookies.TECHNICIAN,
    });
    expect(byCity.body.customers.map((c: { id: string }) => c.id)).toEqual([customer.id]);
    const byZip = await api(`${customersPath()}?q=62701`, { cookie: cookies.TECHNICIAN });
    expect(byZip.body.customers.map((c: { id: string }) => c.id)).toContain(customer.id);
    const wildcard = await api(`${customersPath()}?q=${encodeURIComponent("%_")}`, { cookie: cookies.TECHNICIAN });
    expect(wildcard.body.customers).toEqual([]);
  });
});

describe("editing customers", () => {
  it("lets managers edit, auditing the change, and refuses technicians and sales", async () => {
    const customer = await createCustomer();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(
        await api(`${customersPath()}/${customer.id}`, { cookie: cookies[role], method: "PATCH", body: { name: "X" } }),
        403,
        "FORBIDDEN",
      );
    }
    const res = await api(`${customersPath()}/${customer.id}`, {
      cookie: cookies.MANAGER,
      method: "PATCH",
      body: { name: "Renamed Co", phone: "", notes: "Gate code 1234" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Renamed Co", notes: "Gate code 1234" });
    const audit = await auditOf(customer.id);
    expect(audit.at(-1)).toMatchObject({
      action: "customer.update",
      before: { name: customer.name, notes: null },
      after: { name: "Renamed Co", notes: "Gate code 1234" },
    });
  });

  it("answers 400 for bad edits and writes nothing", async () => {
    const customer = await createCustomer();
    const before = await writesOf();
    for (const body of [{ name: "" }, { email: "x" }, { unknown: 1 }, { location: address() }]) {
      expectError(
        await api(`${customersPath()}/${customer.id}`, { cookie: cookies.MANAGER, method: "PATCH", body }),
        400,
        "VALIDATION_FAILED",
      );
    }
    expect(await writesOf()).toEqual(before);
  });
});

describe("archiving customers", () => {
  it("is for admins: managers, technicians and sales get 403", async () => {
    const customer = await createCustomer();
    for (const role of ["MANAGER", "TECHNICIAN", "SALES"] as const) {
      expectError(
        await api(`${customersPath()}/${customer.id}`, { cookie: cookies[role], method: "DELETE" }),
        403,
        "FORBIDDEN",
      );
    }
    expect((await sqlAll("SELECT archived_at FROM customers WHERE id = ?", customer.id))[0]?.archived_at).toBeNull();
  });

  it("archives the customer and its locations, keeps the rows, hides them from lists, audits", async () => {
    const customer = await createCustomer();
    const res = await api(`${customersPath()}/${customer.id}`, { cookie: cookies.ORG_ADMIN, method: "DELETE" });
    expect(res.status).toBe(204);

    const list = await api(customersPath(), { cookie: cookies.MANAGER });
    expect(list.body.customers.map((c: { id: string }) => c.id)).not.toContain(customer.id);
    const archived = await api(`${customersPath()}?archived=archived`, { cookie: cookies.MANAGER });
    expect(archived.body.customers.map((c: { id: string }) => c.id)).toContain(customer.id);
    const one = await api(`${customersPath()}/${customer.id}`, { cookie: cookies.MANAGER });
    expect(one.body).toMatchObject({ archived: true, locations: [{ archived: true }] });
    const locationList = await api(`${locationsPath()}?customerId=${customer.id}`, { cookie: cookies.MANAGER });
    expect(locationList.body.locations).toEqual([]);

    expect((await auditOf(customer.id)).at(-1)).toMatchObject({
      action: "customer.archive",
      actorId: tree.users.ORG_ADMIN.id,
      before: { archivedAt: null },
      after: { archivedAt: expect.any(String), locationsArchived: [customer.locations[0].id] },
    });
    expectError(
      await api(`${customersPath()}/${customer.id}`, { cookie: cookies.ORG_ADMIN, method: "DELETE" }),
      409,
      "ALREADY_ARCHIVED",
    );
    // Nothing new lands at an archived customer.
    const location = await api(locationsPath(), {
      cookie: cookies.MANAGER,
      body: { customerId: customer.id, ...address() },
    });
    expectError(location, 400, "VALIDATION_FAILED");
    expect(location.body.error.fields).toHaveProperty("customerId");
    expectError(
      await api(`${customersPath()}/${customer.id}`, { cookie: cookies.MANAGER, method: "PATCH", body: { name: "X" } }),
      409,
      "ARCHIVED",
    );
  });
});

describe("locations", () => {
  it("lets managers add one to a customer, normalising state and ZIP; technicians and sales get 403", async () => {
    const customer = await createCustomer();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(
        await api(locationsPath(), { cookie: cookies[role], body: { customerId: customer.id, ...address() } }),
        403,
        "FORBIDDEN",
      );
    }
    const res = await api(locationsPath(), {
      cookie: cookies.MANAGER,
      body: { customerId: customer.id, ...address({ name: "Warehouse", state: "ky", zip: "40202-1234" }) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      customerId: customer.id,
      name: "Warehouse",
      state: "KY",
      zip: "40202-1234",
      customer: { id: customer.id, name: customer.name },
      units: [],
    });
    expect(await auditOf(res.body.id)).toMatchObject([{ action: "location.create", actorId: tree.users.MANAGER.id }]);
  });

  it("answers 400 for bad addresses and for a customer of another org, writing nothing", async () => {
    const customer = await createCustomer();
    const foreign = await api(customersPath(tree.subB), { cookie: siblingAdmin, body: { name: unique("B ") } });
    expect(foreign.status).toBe(201);
    const before = await writesOf();
    const cases: [Record<string, unknown>, string][] = [
      [{ customerId: customer.id, ...address({ state: "XX" }) }, "state"],
      [{ customerId: customer.id, ...address({ state: "O" }) }, "state"],
      [{ customerId: customer.id, ...address({ zip: "ABCDE" }) }, "zip"],
      [{ customerId: customer.id, ...address({ zip: "1234567" }) }, "zip"],
      [{ customerId: customer.id, ...address({ street: "s".repeat(201) }) }, "street"],
      [{ ...address() }, "customerId"],
      [{ customerId: foreign.body.id, ...address() }, "customerId"],
      [{ customerId: customer.id, ...address(), lat: 1 }, "lat"],
    ];
    for (const [body, field] of cases) {
      const res = await api(locationsPath(), { cookie: cookies.MANAGER, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await writesOf()).toEqual(before);
  });

  it("lists by customer, opens one, edits and archives (admins only)", async () => {
    const customer = await createCustomer();
    const [first] = customer.locations;
    const added = await api(locationsPath(), {
      cookie: cookies.ORG_ADMIN,
      body: { customerId: customer.id, ...address({ name: "Second" }) },
    });
    const list = await api(`${locationsPath()}?customerId=${customer.id}`, { cookie: cookies.SALES });
    expect(list.status).toBe(200);
    expect(list.body.locations.map((l: { id: string }) => l.id).sort()).toEqual([first.id, added.body.id].sort());
    expect(list.body.locations[0]).toMatchObject({ customer: { id: customer.id } });

    const one = await api(`${locationsPath()}/${first.id}`, { cookie: cookies.TECHNICIAN });
    expect(one.body).toMatchObject({ id: first.id, customer: { id: customer.id }, units: [] });
    const forSales = await api(`${locationsPath()}/${first.id}`, { cookie: cookies.SALES });
    expect(forSales.body.units).toBeNull();

    expectError(
      await api(`${locationsPath()}/${first.id}`, { cookie: cookies.TECHNICIAN, method: "PATCH", body: { city: "X" } }),
      403,
      "FORBIDDEN",
    );
    const edit = await api(`${locationsPath()}/${first.id}`, {
      cookie: cookies.MANAGER,
      method: "PATCH",
      body: { street: "200 High St", zip: "432159999" },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ street: "200 High St", zip: "43215-9999" });
    expect((await auditOf(first.id)).at(-1)).toMatchObject({
      action: "location.update",
      before: { street: "100 Main St" },
      after: { street: "200 High St", zip: "43215-9999" },
    });
    expectError(
      await api(`${locationsPath()}/${first.id}`, { cookie: cookies.MANAGER, method: "PATCH", body: { state: "ZZ" } }),
      400,
    );

    expectError(await api(`${locationsPath()}/${first.id}`, { cookie: cookies.MANAGER, method: "DELETE" }), 403);
    const archived = await api(`${locationsPath()}/${first.id}`, { cookie: cookies.ORG_ADMIN, method: "DELETE" });
    expect(archived.status).toBe(204);
    expect((await auditOf(first.id)).at(-1)).toMatchObject({ action: "location.archive" });
    const after = await api(`${locationsPath()}?customerId=${customer.id}`, { cookie: cookies.MANAGER });
    expect(after.body.locations.map((l: { id: string }) => l.id)).toEqual([added.body.id]);
    const all = await api(`${locationsPath()}?customerId=${customer.id}&archived=all`, { cookie: cookies.MANAGER });
    expect(all.body.locations).toHaveLength(2);
    // The row is kept.
    const [row] = await testDb().select().from(locations).where(eq(locations.id, first.id));
    expect(row?.archivedAt).toBeInstanceOf(Date);
  });
});

describe("tenancy", () => {
  it("answers 404 for another org's customers and locations on every route, changing nothing", async () => {
    const customer = await createCustomer();
    const locationId = customer.locations[0].id;
    const snapshot = await Promise.all([
      sqlAll("SELECT * FROM customers WHERE id = ?", customer.id),
      sqlAll("SELECT * FROM locations WHERE id = ?", locationId),
    ]);
    for (const { cookie, org } of [
      { cookie: siblingAdmin, org: tree.subB },
      { cookie: outsiderAdmin, org: tree.other },
    ]) {
      const c = `${customersPath(org)}/${customer.id}`;
      const l = `${locationsPath(org)}/${locationId}`;
      for (const path of [c, l]) {
        expectError(await api(path, { cookie }), 404, "NOT_FOUND");
        expectError(await api(path, { cookie, method: "PATCH", body: { name: "Hijack" } }), 404, "NOT_FOUND");
        expectError(await api(path, { cookie, method: "DELETE" }), 404, "NOT_FOUND");
      }
      const list = await api(customersPath(org), { cookie });
      expect(list.body.customers.map((x: { id: string }) => x.id)).not.toContain(customer.id);
    }
    expectError(await api(customersPath(), { cookie: outsiderAdmin }), 404, "NOT_FOUND");
    expect(
      await Promise.all([
        sqlAll("SELECT * FROM customers WHERE id = ?", customer.id),
        sqlAll("SELECT * FROM locations WHERE id = ?", locationId),
      ]),
    ).toEqual(snapshot);
  });

  it("answers 401 without a session", async () => {
    expectError(await api(customersPath()), 401);
    expectError(await api(locationsPath(), { body: { customerId: "x", ...address() } }), 401);
  });
});

describe("live updates", () => {
  it("tells everyone in the org, SALES included, about new and changed customers", async () => {
    const sales = await openLive(tree.subA.id, cookies.SALES);
    const customer = await createCustomer();
    expect(await sales.event(customer.id)).toMatchObject({ entity: "customer", action: "created" });
    expect(await sales.event(customer.locations[0].id)).toMatchObject({
      entity: "location",
      action: "created",
    });
  });
});
