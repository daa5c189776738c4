/**
 * Sales territories and what a sales rep sees: territory CRUD and assignment (PARENT_ORG_ADMIN),
 * territory matching (state, ZIP prefix, warehouse and trucks by the branch address), SALES
 * visibility of cylinders everywhere (list, detail, moves, inventory, live events), the sales
 * inventory, selling a cylinder, permissions per role and tenancy, bad input, audit.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, locations, organizations, type Role } from "../../db/schema";
import { territoryCovers } from "../../worker/sales/coverage";
import { api, createTree, createUser, grantAccess, openLive, signIn, type TestOrg, type Tree, testDb } from "./helpers";
import { auditOf, expectError, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;
let siblingSales: string;
let outsiderAdmin: string;
/** A second sales rep of subA, with no territory unless a test gives one. */
let rep2: { id: string; cookie: string };

const ROLES: Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];

beforeAll(async () => {
  tree = await createTree();
  const signed = await Promise.all(ROLES.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(ROLES.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  siblingSales = await signIn(tree.sibling.SALES.id);
  outsiderAdmin = await signIn(tree.outsiders.PARENT_ORG_ADMIN.id);
  const second = await createUser({ orgId: tree.subA.id, role: "SALES" });
  rep2 = { id: second.id, cookie: await signIn(second.id) };
  // subA's branch (warehouse, trucks) is in Minneapolis.
  await testDb()
    .update(organizations)
    .set({ addressState: "MN", addressZip: "55401" })
    .where(eq(organizations.id, tree.subA.id));
});

const at = (path: string, org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}${path}`;

async function createSite(state: string, zip: string, orgId = tree.subA.id) {
  const db = testDb();
  const customerId = crypto.randomUUID();
  const locationId = crypto.randomUUID();
  await db.batch([
    db.insert(customers).values({ id: customerId, orgId, name: unique("Customer ") }),
    db.insert(locations).values({
      id: locationId,
      orgId,
      customerId,
      name: unique("Site "),
      street: "1 Main St",
      city: "Somewhere",
      state,
      zip,
    }),
  ]);
  return { customerId, locationId };
}

type Cyl = { id: string; tag: string };
async function createCylinder(overrides: Record<string, unknown> = {}, org = tree.subA): Promise<Cyl> {
  const res = await api(at("/cylinders", org), {
    cookie: cookies.PARENT_ORG_ADMIN,
    body: {
      tag: unique("SAL-"),
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: 14,
      waterCapacityLb: 30,
      netContentsLb: 25,
      status: "FOR_SALE",
      priceCents: 21_500,
      ...overrides,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function createTerritory(body: Record<string, unknown>, userIds: string[] = [], org = tree.subA) {
  const res = await api(at("/territories", org), {
    cookie: cookies.PARENT_ORG_ADMIN,
    body: { name: unique("Territory "), ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (userIds.length > 0) {
    const assigned = await api(at(`/territories/${res.body.id}/assignees`, org), {
      method: "PUT",
      cookie: cookies.PARENT_ORG_ADMIN,
      body: { userIds },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  }
  return res.body as { id: string; name: string };
}

const ids = (res: { body: { cylinders: { id: string }[] } }) => res.body.cylinders.map((c) => c.id);

describe("territory matching", () => {
  it("covers a place by state or by ZIP prefix (startsWith)", () => {
    const area = { states: ["WI"], zipPrefixes: ["554", "6"] };
    expect(territoryCovers(area, { state: "WI", zip: "53718" })).toBe(true);
    expect(territoryCovers(area, { state: "MN", zip: "55401" })).toBe(true);
    expect(territoryCovers(area, { state: "IL", zip: "60601" })).toBe(true);
    expect(territoryCovers(area, { state: "MN", zip: "55369" })).toBe(false);
    expect(territoryCovers(area, { state: null, zip: null })).toBe(false);
  });
});

describe("territories", () => {
  it("are created, edited, assigned and archived by the parent admin, with audit entries", async () => {
    const created = await api(at("/territories"), {
      cookie: cookies.PARENT_ORG_ADMIN,
      body: { name: unique("Upper Midwest "), states: ["wi", "MN", "IL", "MN"], zipPrefixes: ["52"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ states: ["IL", "MN", "WI"], zipPrefixes: ["52"], archived: false });
    const id = created.body.id;

    const patched = await api(at(`/territories/${id}`), {
      method: "PATCH",
      cookie: cookies.PARENT_ORG_ADMIN,
      body: { states: ["MN"], zipPrefixes: [] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ states: ["MN"], zipPrefixes: [] });

    const assigned = await api(at(`/territories/${id}/assignees`), {
      method: "PUT",
      cookie: cookies.PARENT_ORG_ADMIN,
      body: { userIds: [tree.users.SALES.id] },
    });
    expect(assigned.body.assignees.map((u: { id: string }) => u.id)).toEqual([tree.users.SALES.id]);

    const archived = await api(at(`/territories/${id}/archive`), { method: "POST", cookie: cookies.PARENT_ORG_ADMIN });
    expect(archived.body).toMatchObject({ archived: true });
    const active = await api(at("/territories"), { cookie: cookies.PARENT_ORG_ADMIN });
    expect(active.body.territories.map((t: { id: string }) => t.id)).not.toContain(id);
    const all = await api(at("/territories?archived=all"), { cookie: cookies.PARENT_ORG_ADMIN });
    expect(all.body.territories.map((t: { id: string }) => t.id)).toContain(id);

    expect((await auditOf(id)).map((entry) => entry.action)).toEqual([
      "territory.create",
      "territory.update",
      "territory.assign",
      "territory.archive",
    ]);
    const [, update, assign] = await auditOf(id);
    expect(update).toMatchObject({ before: { states: ["IL", "MN", "WI"] }, after: { states: ["MN"] } });
    expect(assign).toMatchObject({ actorId: tree.users.PARENT_ORG_ADMIN.id, after: { added: [tree.users.SALES.id] } });
  });

  it("assign only active SALES users who reach the org", async () => {
    const territory = await createTerritory({ states: ["ND"] });
    const url = at(`/territories/${territory.id}/assignees`);
    for (const userId of [tree.users.MANAGER.id, tree.sibling.SALES.id, tree.outsiders.SALES.id, "nobody"]) {
      const res = await api(url, { method: "PUT", cookie: cookies.PARENT_ORG_ADMIN, body: { userIds: [userId] } });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields).toHaveProperty("userIds.0");
    }
    // A sibling rep granted access to subA may be assigned there.
    const rover = await createUser({ orgId: tree.subB.id, role: "SALES" });
    await grantAccess(rover.id, tree.subA.id);
    const ok = await api(url, { method: "PUT", cookie: cookies.PARENT_ORG_ADMIN, body: { userIds: [rover.id] } });
    expect(ok.status).toBe(200);
    const reps = await api(at("/sales/reps"), { cookie: cookies.PARENT_ORG_ADMIN });
    expect(reps.body.reps.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining([tree.users.SALES.id, rover.id, rep2.id]),
    );
  });

  it("are read by admins (all), a rep (their own; another's is 404); managers and technicians are refused", async () => {
    const mine = await createTerritory({ states: ["SD"] }, [tree.users.SALES.id]);
    const other = await createTerritory({ states: ["NE"] }, [rep2.id]);
    const list = async (cookie: string) =>
      (await api(at("/territories"), { cookie })).body.territories.map((t: { id: string }) => t.id);
    expect(await list(cookies.SALES)).toContain(mine.id);
    expect(await list(cookies.SALES)).not.toContain(other.id);
    expect(await list(cookies.ORG_ADMIN)).toEqual(expect.arrayContaining([mine.id, other.id]));
    expect((await api(at(`/territories/${mine.id}`), { cookie: cookies.SALES })).status).toBe(200);
    expectError(await api(at(`/territories/${other.id}`), { cookie: cookies.SALES }), 404);
    for (const role of ["MANAGER", "TECHNICIAN"] as const) {
      expectError(await api(at("/territories"), { cookie: cookies[role] }), 403, "FORBIDDEN");
      expectError(await api(at("/sales/inventory"), { cookie: cookies[role] }), 403, "FORBIDDEN");
    }
  });

  it("are written by the parent admin only; another org's answers 404", async () => {
    const territory = await createTerritory({ states: ["KS"] });
    for (const role of ["ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"] as const) {
      const cookie = cookies[role];
      expectError(await api(at("/territories"), { cookie, body: { name: "X", states: ["MN"] } }), 403);
      expectError(await api(at(`/territories/${territory.id}`), { method: "PATCH", cookie, body: { name: "Y" } }), 403);
      expectError(await api(at(`/territories/${territory.id}/archive`), { method: "POST", cookie }), 403);
      expectError(
        await api(at(`/territories/${territory.id}/assignees`), { method: "PUT", cookie, body: { userIds: [] } }),
        403,
      );
      expectError(await api(at("/sales/reps"), { cookie }), 403);
    }
    // The same territory through a sibling org's URL, and an outsider on subA.
    expectError(await api(at(`/territories/${territory.id}`, tree.subB), { cookie: cookies.PARENT_ORG_ADMIN }), 404);
    expectError(
      await api(at(`/territories/${territory.id}`, tree.subB), {
        method: "PATCH",
        cookie: cookies.PARENT_ORG_ADMIN,
        body: { name: "Z" },
      }),
      404,
    );
    expectError(await api(at("/territories"), { cookie: outsiderAdmin }), 404);
    expectError(await api(at("/territories"), { cookie: outsiderAdmin, body: { name: "X", states: ["MN"] } }), 404);
  });

  it("refuse bad input with 400 and write nothing", async () => {
    const before = await sqlCount("SELECT count(*) AS n FROM territories WHERE org_id = ?", tree.subA.id);
    const cases: [unknown, string][] = [
      [{ states: ["MN"] }, "name"],
      [{ name: "", states: ["MN"] }, "name"],
      [{ name: "x".repeat(81), states: ["MN"] }, "name"],
      [{ name: "Nowhere" }, "states"],
      [{ name: "Nowhere", states: [], zipPrefixes: [] }, "states"],
      [{ name: "Bad", states: ["XX"] }, "states.0"],
      [{ name: "Bad", states: "MN" }, "states"],
      [{ name: "Bad", zipPrefixes: ["554321"] }, "zipPrefixes.0"],
      [{ name: "Bad", zipPrefixes: ["55a"] }, "zipPrefixes.0"],
      [{ name: "Bad", zipPrefixes: [55] }, "zipPrefixes.0"],
      [{ name: "Bad", states: ["MN"], color: "red" }, "color"],
    ];
    for (const [body, field] of cases) {
      const res = await api(at("/territories"), { cookie: cookies.PARENT_ORG_ADMIN, body });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    const territory = await createTerritory({ states: ["MT"] });
    const patch = (body: unknown) =>
      api(at(`/territories/${territory.id}`), { method: "PATCH", cookie: cookies.PARENT_ORG_ADMIN, body });
    expectError(await patch({ states: [] }), 400);
    expectError(await patch({ zipPrefixes: ["abc"] }), 400);
    expectError(await patch({ name: 5 }), 400);
    expectError(await patch({ archived: true }), 400);
    const assign = (body: unknown) =>
      api(at(`/territories/${territory.id}/assignees`), { method: "PUT", cookie: cookies.PARENT_ORG_ADMIN, body });
    expectError(await assign({}), 400);
    expectError(await assign({ userIds: "x" }), 400);
    expectError(await assign({ userIds: [], extra: 1 }), 400);
    expect(await sqlCount("SELECT count(*) AS n FROM territories WHERE org_id = ?", tree.subA.id)).toBe(before + 1);
    expect(await auditOf(territory.id)).toHaveLength(1);
    expect(await sqlCount("SELECT count(*) AS n FROM territory_assignments WHERE territory_id = ?", territory.id)).toBe(
      0,
    );
  });
});

describe("what a sales rep sees", () => {
  it("only FOR_SALE cylinders located in their territories: list, detail, moves, inventory", async () => {
    const rep = await createUser({ orgId: tree.subA.id, role: "SALES" });
    const cookie = await signIn(rep.id);
    const prefix = unique("VIS-");
    const wiSite = await createSite("WI", "53703");
    const iaSite = await createSite("IA", "52402");
    const mplsSite = await createSite("MN", "55369");
    const inWarehouse = await createCylinder({ tag: `${prefix}A` });
    const atWi = await createCylinder({
      tag: `${prefix}B`,
      holder: { holderType: "SITE", holderLocationId: wiSite.locationId },
    });
    const atIa = await createCylinder({
      tag: `${prefix}C`,
      holder: { holderType: "SITE", holderLocationId: iaSite.locationId },
    });
    const atMpls = await createCylinder({
      tag: `${prefix}D`,
      holder: { holderType: "SITE", holderLocationId: mplsSite.locationId },
    });
    const notForSale = await createCylinder({ tag: `${prefix}E`, status: "IN_STOCK" });
    const all = [inWarehouse, atWi, atIa, atMpls, notForSale];

    // No territory: nothing at all.
    expect(ids(await api(at(`/cylinders?q=${prefix}`), { cookie }))).toEqual([]);
    expect((await api(at("/sales/inventory"), { cookie })).body).toEqual({ cylinders: [], territories: [] });
    for (const c of all) expectError(await api(at(`/cylinders/${c.id}`), { cookie }), 404);

    // WI by state and ZIPs 554xx: the Wisconsin site, and the warehouse (branch 55401); not 55369, not Iowa.
    await createTerritory({ states: ["WI"], zipPrefixes: ["554"] }, [rep.id]);
    const visible = [inWarehouse.id, atWi.id];
    expect(ids(await api(at(`/cylinders?q=${prefix}`), { cookie }))).toEqual(visible);
    for (const c of all) {
      const expected = visible.includes(c.id) ? 200 : 404;
      expect((await api(at(`/cylinders/${c.id}`), { cookie })).status).toBe(expected);
      expect((await api(at(`/cylinders/${c.id}/moves`), { cookie })).status).toBe(expected);
    }
    const inventory = await api(at(`/sales/inventory?q=${prefix}`), { cookie });
    expect(inventory.status).toBe(200);
    expect(ids(inventory)).toEqual(visible);
    expect(inventory.body.cylinders[0]).toMatchObject({
      refrigerant: "R-410A",
      netContentsLb: 25,
      priceCents: 21_500,
      location: { holderType: "WAREHOUSE", state: "MN", zip: "55401" },
    });
    expect(ids(await api(at(`/sales/inventory?q=${prefix}&state=wi`), { cookie }))).toEqual([atWi.id]);
    expect(ids(await api(at(`/sales/inventory?q=${prefix}&refrigerant=R-22`), { cookie }))).toEqual([]);

    // A truck is where the branch is; taken off sale or sold, it is gone.
    await api(at(`/cylinders/${atIa.id}/moves`), {
      cookie: cookies.MANAGER,
      body: { to: { holderType: "WAREHOUSE" } },
    });
    expect((await api(at(`/cylinders/${atIa.id}`), { cookie })).status).toBe(200);
    await api(at(`/cylinders/${atIa.id}`), { method: "PATCH", cookie: cookies.MANAGER, body: { status: "EMPTY" } });
    expectError(await api(at(`/cylinders/${atIa.id}`), { cookie }), 404);

    // Archiving the territory takes everything away.
    const mine = (await api(at("/territories"), { cookie })).body.territories;
    for (const t of mine) {
      await api(at(`/territories/${t.id}/archive`), { method: "POST", cookie: cookies.PARENT_ORG_ADMIN });
    }
    expect(ids(await api(at(`/cylinders?q=${prefix}`), { cookie }))).toEqual([]);
  });

  it("a warehouse is matched by its own org's address; a territory covers its own org only", async () => {
    const prefix = unique("ORG-");
    await testDb()
      .update(organizations)
      .set({ addressState: "IA", addressZip: "50309" })
      .where(eq(organizations.id, tree.subB.id));
    const inB = await createCylinder({ tag: `${prefix}B` }, tree.subB);
    const rover = await createUser({ orgId: tree.subA.id, role: "SALES" });
    await grantAccess(rover.id, tree.subB.id);
    const cookie = await signIn(rover.id);
    // A subA territory covering Iowa does not reach subB's cylinders.
    await createTerritory({ states: ["IA"] }, [rover.id]);
    expect(ids(await api(at(`/cylinders?q=${prefix}`, tree.subB), { cookie }))).toEqual([]);
    await createTerritory({ zipPrefixes: ["503"] }, [rover.id], tree.subB);
    expect(ids(await api(at(`/cylinders?q=${prefix}`, tree.subB), { cookie }))).toEqual([inB.id]);
    // The sibling org's own rep, without a territory, sees nothing.
    expect(ids(await api(at(`/cylinders?q=${prefix}`, tree.subB), { cookie: siblingSales }))).toEqual([]);
  });

  it("admins get every FOR_SALE cylinder in the inventory, with the territories covering each", async () => {
    const prefix = unique("ADM-");
    const hawaii = await createSite("HI", "96813");
    const uncovered = await createCylinder({
      tag: `${prefix}A`,
      holder: { holderType: "SITE", holderLocationId: hawaii.locationId },
    });
    const home = await createCylinder({ tag: `${prefix}B` });
    const t1 = await createTerritory({ states: ["MN"] });
    const t2 = await createTerritory({ zipPrefixes: ["55"] });
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN"] as const) {
      const res = await api(at(`/sales/inventory?q=${prefix}`), { cookie: cookies[role] });
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([uncovered.id, home.id]);
      expect(res.body.cylinders[0].territories).toEqual([]);
      expect(res.body.cylinders[1].territories.map((t: { id: string }) => t.id).sort()).toEqual([t1.id, t2.id].sort());
    }
    expectError(await api(at("/sales/inventory"), { cookie: outsiderAdmin }), 404);
    expectError(await api(at("/sales/inventory?state=Minnesota"), { cookie: cookies.ORG_ADMIN }), 400);
  });
});

describe("live events", () => {
  it("reach only the reps whose territories hold the cylinder, before or after the change", async () => {
    const north = await createUser({ orgId: tree.subA.id, role: "SALES" });
    const south = await createUser({ orgId: tree.subA.id, role: "SALES" });
    await createTerritory({ states: ["MN"] }, [north.id]);
    await createTerritory({ states: ["IA"] }, [south.id]);
    const iaSite = await createSite("IA", "52240");
    const northLive = await openLive(tree.subA.id, await signIn(north.id));
    const southLive = await openLive(tree.subA.id, await signIn(south.id));
    const noTerritory = await openLive(tree.subA.id, rep2.cookie);

    const inMn = await createCylinder();
    await northLive.event(inMn.id);
    // Moved to Iowa: the north rep must drop it, the south rep gains it.
    await api(at(`/cylinders/${inMn.id}/moves`), {
      cookie: cookies.MANAGER,
      body: { to: { holderType: "SITE", holderLocationId: iaSite.locationId } },
    });
    await northLive.waitFor((m) => m.type === "event" && m.id === inMn.id && m.action === "moved");
    await southLive.waitFor((m) => m.type === "event" && m.id === inMn.id && m.action === "moved");
    // In Iowa, later changes are the south rep's only.
    await api(at(`/cylinders/${inMn.id}`), { method: "PATCH", cookie: cookies.MANAGER, body: { priceCents: 1000 } });
    await southLive.waitFor((m) => m.type === "event" && m.id === inMn.id && m.action === "updated");
    const marker = await createCylinder();
    await northLive.event(marker.id);
    expect(northLive.events().filter((m) => m.id === inMn.id && m.action === "updated")).toEqual([]);
    expect(southLive.eventIds()).not.toContain(marker.id);
    expect(noTerritory.eventIds()).not.toContain(inMn.id);
    expect(noTerritory.eventIds()).not.toContain(marker.id);
  });
});

describe("price and sale", () => {
  it("price is edited with the cylinder and validated", async () => {
    const cylinder = await createCylinder({ priceCents: null });
    const url = at(`/cylinders/${cylinder.id}`);
    const res = await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { priceCents: 18_900 } });
    expect(res.body).toMatchObject({ priceCents: 18_900 });
    for (const priceCents of [-1, 12.5, "100", 10_000_001]) {
      const bad = await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { priceCents } });
      expectError(bad, 400);
      expect(bad.body.error.fields).toHaveProperty("priceCents");
    }
    expectError(await api(url, { method: "PATCH", cookie: cookies.TECHNICIAN, body: { priceCents: 1 } }), 403);
    const audit = await auditOf(cylinder.id);
    expect(audit.at(-1)).toMatchObject({ action: "cylinder.update", after: { priceCents: 18_900 } });
  });

  it("sells only a FOR_SALE cylinder, to a customer's first location, recorded as a move, once", async () => {
    const site = await createSite("MN", "55401");
    const cylinder = await createCylinder();
    const url = at(`/cylinders/${cylinder.id}/sell`);
    const sold = await api(url, { cookie: cookies.MANAGER, body: { customerId: site.customerId, note: "Invoice 7" } });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    expect(sold.body.cylinder).toMatchObject({
      status: "SOLD",
      soldToCustomerId: site.customerId,
      soldAt: expect.any(String),
      holder: { type: "SITE", locationId: site.locationId },
    });
    expect(sold.body.move).toMatchObject({ fromStatus: "FOR_SALE", toStatus: "SOLD", note: "Invoice 7" });
    const moves = await api(at(`/cylinders/${cylinder.id}/moves`), { cookie: cookies.MANAGER });
    expect(moves.body.moves[0]).toMatchObject({ toStatus: "SOLD", to: { type: "SITE", locationId: site.locationId } });
    expect((await auditOf(cylinder.id)).at(-1)).toMatchObject({
      action: "cylinder.sell",
      before: { status: "FOR_SALE" },
      after: { status: "SOLD", soldToCustomerId: site.customerId },
    });
    // Twice: no longer for sale.
    expectError(
      await api(url, { cookie: cookies.MANAGER, body: { customerId: site.customerId } }),
      409,
      "NOT_FOR_SALE",
    );
    const inStock = await createCylinder({ status: "IN_STOCK" });
    expectError(
      await api(at(`/cylinders/${inStock.id}/sell`), {
        cookie: cookies.MANAGER,
        body: { customerId: site.customerId },
      }),
      409,
      "NOT_FOR_SALE",
    );
  });

  it("keeps the holder when the customer has no location", async () => {
    const customerId = crypto.randomUUID();
    await testDb()
      .insert(customers)
      .values({ id: customerId, orgId: tree.subA.id, name: unique("Walk-in ") });
    const cylinder = await createCylinder();
    const sold = await api(at(`/cylinders/${cylinder.id}/sell`), { cookie: cookies.ORG_ADMIN, body: { customerId } });
    expect(sold.status).toBe(201);
    expect(sold.body.cylinder).toMatchObject({ status: "SOLD", holder: { type: "WAREHOUSE" } });
    expect(sold.body.move.note).toMatch(/^Sold to Walk-in/);
  });

  it("is for managers and up; bad input 400 with nothing written; another org 404", async () => {
    const site = await createSite("MN", "55401");
    const cylinder = await createCylinder();
    const url = at(`/cylinders/${cylinder.id}/sell`);
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(await api(url, { cookie: cookies[role], body: { customerId: site.customerId } }), 403);
    }
    const other = await createSite("MN", "55401", tree.subB.id);
    const moves = () => sqlCount("SELECT count(*) AS n FROM cylinder_moves WHERE cylinder_id = ?", cylinder.id);
    const before = await moves();
    for (const [body, field] of [
      [{}, "customerId"],
      [{ customerId: 5 }, "customerId"],
      [{ customerId: site.customerId, note: "x".repeat(501) }, "note"],
      [{ customerId: site.customerId, price: 1 }, "price"],
      [{ customerId: other.customerId }, "customerId"],
      [{ customerId: "nope" }, "customerId"],
    ] as const) {
      const res = await api(url, { cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(res.body.error.fields).toHaveProperty([field]);
    }
    expect(await moves()).toBe(before);
    expectError(
      await api(at(`/cylinders/${cylinder.id}/sell`, tree.subB), {
        cookie: cookies.PARENT_ORG_ADMIN,
        body: { customerId: other.customerId },
      }),
      404,
    );
    expectError(await api(url, { cookie: outsiderAdmin, body: { customerId: site.customerId } }), 404);
    expect((await api(at(`/cylinders/${cylinder.id}`), { cookie: cookies.MANAGER })).body.status).toBe("FOR_SALE");
  });
});
