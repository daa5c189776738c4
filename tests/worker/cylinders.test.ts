/**
 * Cylinders: inventory, the 80% rule, moves and status history, who sees what (SALES: FOR_SALE
 * only, in the query), who may do what (SPEC §4), tenancy, bad input, audit and live events.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  customers,
  cylinders,
  locations,
  organizations,
  type Role,
  territories,
  territoryAssignments,
} from "../../db/schema";
import { withCylinderConstraints } from "../../worker/cylinders/constraints";
import { addYears, hydroFacts } from "../../worker/cylinders/rules";
import { HttpError } from "../../worker/http/errors";
import { api, createTree, createUser, grantAccess, openLive, signIn, type TestOrg, type Tree, testDb } from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;
let siblingManager: string;
let outsiderAdmin: string;

beforeAll(async () => {
  tree = await createTree();
  const roles: Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];
  const signed = await Promise.all(roles.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(roles.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  siblingManager = await signIn(tree.sibling.MANAGER.id);
  outsiderAdmin = await signIn(tree.outsiders.PARENT_ORG_ADMIN.id);
  // SALES sees FOR_SALE cylinders in their territories only: one covers subA's branch address,
  // where its warehouse and truck cylinders are (tests/worker/sales.test.ts tests the territories).
  const db = testDb();
  const territoryId = crypto.randomUUID();
  await db.batch([
    db.update(organizations).set({ addressState: "MN", addressZip: "55401" }).where(eq(organizations.id, tree.subA.id)),
    db.insert(territories).values({ id: territoryId, orgId: tree.subA.id, name: "Branch", states: ["MN"] }),
    db.insert(territoryAssignments).values({ territoryId, userId: tree.users.SALES.id, orgId: tree.subA.id }),
  ]);
});

const base = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/cylinders`;

/** A valid create body; each test changes what it is about. */
const cylinderBody = (overrides: Record<string, unknown> = {}) => ({
  tag: unique("CYL-"),
  refrigerant: "R-410A",
  kind: "VIRGIN",
  tareWeightLb: 14.5,
  waterCapacityLb: 30,
  netContentsLb: 25,
  hydroTestDate: "2024-03-15",
  ...overrides,
});

/** Creates a cylinder in subA as its manager (or as `cookie` in `org`). */
async function createCylinder(overrides: Record<string, unknown> = {}, cookie = cookies.MANAGER, org = tree.subA) {
  const res = await api(base(org), { cookie, body: cylinderBody(overrides) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; tag: string; status: string };
}

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function createSite(orgId = tree.subA.id) {
  const db = testDb();
  const customerId = crypto.randomUUID();
  const locationId = crypto.randomUUID();
  await db.batch([
    db.insert(customers).values({ id: customerId, orgId, name: unique("Customer ") }),
    db.insert(locations).values({
      id: locationId,
      orgId,
      customerId,
      name: unique("Store "),
      street: "1 Main St",
      city: "Dayton",
      state: "OH",
      zip: "45402",
    }),
  ]);
  return locationId;
}

/** Rows a failed write must not have added, for this org. */
async function writesOf(orgId = tree.subA.id) {
  const [cylinderRows, moves, audit] = await Promise.all([
    sqlCount("SELECT count(*) AS n FROM cylinders WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM cylinder_moves WHERE org_id = ?", orgId),
    sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ? AND entity_type = 'cylinder'", orgId),
  ]);
  return { cylinders: cylinderRows, moves, audit };
}

describe("creating cylinders", () => {
  it("lets managers and admins create, with holder name, refrigerant info and hydro due date", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const res = await api(base(), { cookie: cookies[role], body: cylinderBody({ refrigerant: "r-410a" }) });
      expect(res.status, role).toBe(201);
      expect(res.body).toMatchObject({
        refrigerant: "R-410A",
        kind: "VIRGIN",
        status: "IN_STOCK",
        netContentsLb: 25,
        grossWeightLb: 39.5,
        holder: { type: "WAREHOUSE", name: "Warehouse" },
        hydroTestDate: "2024-03-15",
        hydro: { dueDate: "2029-03-15", overdue: false },
        refrigerantInfo: { designation: "R-410A", ods: false, gwp: 2088 },
      });
    }
  });

  it("refuses technicians and sales (403) and writes nothing", async () => {
    const before = await writesOf();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(await api(base(), { cookie: cookies[role], body: cylinderBody() }), 403, "FORBIDDEN");
    }
    expect(await writesOf()).toEqual(before);
  });

  it("stores tags upper-case, unique per org (another org may reuse one)", async () => {
    const tag = unique("rc-");
    const first = await createCylinder({ tag });
    expect(first.tag).toBe(tag.toUpperCase());
    const again = await api(base(), { cookie: cookies.MANAGER, body: cylinderBody({ tag: tag.toUpperCase() }) });
    expectError(again, 409, "TAG_TAKEN");
    expect(again.body.error.fields).toHaveProperty("tag");
    const elsewhere = await api(base(tree.subB), { cookie: siblingManager, body: cylinderBody({ tag }) });
    expect(elsewhere.status).toBe(201);

    const other = await createCylinder();
    const rename = await api(`${base()}/${other.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { tag: tag.toLowerCase() },
    });
    expectError(rename, 409, "TAG_TAKEN");
  });

  it("keeps a recovery cylinder at or under 80% of its water capacity", async () => {
    const ok = await api(base(), {
      cookie: cookies.MANAGER,
      body: cylinderBody({ kind: "RECOVERY", waterCapacityLb: 50, netContentsLb: 40 }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.fill).toMatchObject({ limitLb: 40, percentOfLimit: 100, percentOfCapacity: 80, roomLb: 0 });

    const before = await writesOf();
    const over = await api(base(), {
      cookie: cookies.MANAGER,
      body: cylinderBody({ kind: "RECOVERY", waterCapacityLb: 50, netContentsLb: 40.1 }),
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/80%/);
    expect(over.body.error.fields.netContentsLb.join(" ")).toMatch(/at most 80%.*40 lb/);
    expect(await writesOf()).toEqual(before);

    // Any cylinder: never over its water capacity.
    const full = await api(base(), {
      cookie: cookies.MANAGER,
      body: cylinderBody({ kind: "VIRGIN", waterCapacityLb: 50, netContentsLb: 50.5 }),
    });
    expectError(full, 400, "VALIDATION_FAILED");
    expect(full.body.error.message).toMatch(/water capacity/);

    // Shrinking the capacity under the contents is refused too.
    const shrink = await api(`${base()}/${ok.body.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { waterCapacityLb: 45 },
    });
    expectError(shrink, 400, "VALIDATION_FAILED");
    expect(shrink.body.error.fields).toHaveProperty("waterCapacityLb");
  });

  it("turns the database's CHECK constraints into a 409, never a 500", async () => {
    const cylinder = await createCylinder({ kind: "RECOVERY", waterCapacityLb: 50, netContentsLb: 10 });
    const db = testDb();
    // A write that got past the service's checks (as a concurrent transfer could) meets the DB's.
    for (const [contents, code] of [
      [41, "RECOVERY_OVER_80_PERCENT"],
      [-1, "CONTENTS_NEGATIVE"],
    ] as const) {
      const error = await withCylinderConstraints(() =>
        db.update(cylinders).set({ netContentsLb: contents }).where(eq(cylinders.id, cylinder.id)).run(),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status: 409, code });
    }
    const [row] = await sqlAll("SELECT net_contents_lb FROM cylinders WHERE id = ?", cylinder.id);
    expect(row?.net_contents_lb).toBe(10);
  });

  it("refuses a hydrostatic test date in the future, and flags an overdue retest", async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await api(base(), { cookie: cookies.MANAGER, body: cylinderBody({ hydroTestDate: tomorrow }) });
    expectError(future, 400, "VALIDATION_FAILED");
    expect(future.body.error.fields).toHaveProperty("hydroTestDate");

    const old = await createCylinder({ hydroTestDate: isoDaysAgo(6 * 366) });
    const res = await api(`${base()}/${old.id}`, { cookie: cookies.TECHNICIAN });
    expect(res.body.hydro).toMatchObject({ overdue: true, dueSoon: false });
    expect(addYears("2024-02-29", 5)).toBe("2029-02-28");
    expect(hydroFacts("2021-06-01", "2026-06-01")).toMatchObject({
      dueDate: "2026-06-01",
      overdue: false,
      dueSoon: true,
    });
    expect(hydroFacts("2021-06-01", "2026-06-02")).toMatchObject({ overdue: true });
  });

  it("can place a new cylinder on a technician's truck (ASSIGNED)", async () => {
    const res = await api(base(), {
      cookie: cookies.MANAGER,
      body: cylinderBody({ holder: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "ASSIGNED",
      holder: { type: "TECHNICIAN", userId: tree.users.TECHNICIAN.id, name: tree.users.TECHNICIAN.name },
    });
    const assignedInWarehouse = await api(base(), {
      cookie: cookies.MANAGER,
      body: cylinderBody({ status: "ASSIGNED" }),
    });
    expectError(assignedInWarehouse, 400, "VALIDATION_FAILED");
    expect(assignedInWarehouse.body.error.fields).toHaveProperty("status");
  });
});

describe("who sees which cylinder", () => {
  it("shows SALES only FOR_SALE cylinders, filtered in the query", async () => {
    const prefix = unique("SEE-");
    // Tags sort the hidden cylinders first: a filter applied after a limited query would return nothing.
    const hidden = await Promise.all(["A1", "A2", "A3"].map((suffix) => createCylinder({ tag: `${prefix}${suffix}` })));
    const forSale = await createCylinder({ tag: `${prefix}Z`, status: "FOR_SALE" });

    const sales = await api(`${base()}?q=${prefix}&limit=1`, { cookie: cookies.SALES });
    expect(sales.status).toBe(200);
    expect(sales.body.cylinders.map((c: { id: string }) => c.id)).toEqual([forSale.id]);
    const everything = await api(`${base()}?q=${prefix}`, { cookie: cookies.SALES });
    expect(everything.body.cylinders.map((c: { id: string }) => c.id)).toEqual([forSale.id]);
    const asked = await api(`${base()}?q=${prefix}&status=IN_STOCK`, { cookie: cookies.SALES });
    expect(asked.body.cylinders).toEqual([]);

    const tech = await api(`${base()}?q=${prefix}`, { cookie: cookies.TECHNICIAN });
    expect(tech.body.cylinders).toHaveLength(4);
    expect((await api(`${base()}?q=${prefix}&limit=1`, { cookie: cookies.TECHNICIAN })).body.truncated).toBe(true);

    for (const cylinder of hidden) {
      expectError(await api(`${base()}/${cylinder.id}`, { cookie: cookies.SALES }), 404, "NOT_FOUND");
      expectError(await api(`${base()}/${cylinder.id}/moves`, { cookie: cookies.SALES }), 404, "NOT_FOUND");
    }
    expect((await api(`${base()}/${forSale.id}`, { cookie: cookies.SALES })).status).toBe(200);
    expect((await api(`${base()}/${forSale.id}/moves`, { cookie: cookies.SALES })).status).toBe(200);

    // Taken off sale, it disappears for SALES at once.
    const off = await api(`${base()}/${forSale.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "IN_STOCK" },
    });
    expect(off.status).toBe(200);
    expectError(await api(`${base()}/${forSale.id}`, { cookie: cookies.SALES }), 404);
  });

  it("filters by status, kind, refrigerant, holder and tag", async () => {
    const prefix = unique("FLT-");
    const site = await createSite();
    const virgin = await createCylinder({ tag: `${prefix}1`, refrigerant: "R-22" });
    const recovery = await createCylinder({ tag: `${prefix}2`, kind: "RECOVERY", netContentsLb: 0 });
    const mine = await createCylinder({
      tag: `${prefix}3`,
      holder: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id },
    });
    const onSite = await createCylinder({ tag: `${prefix}4`, holder: { holderType: "SITE", holderLocationId: site } });
    const ids = async (query: string, cookie = cookies.TECHNICIAN) => {
      const res = await api(`${base()}?q=${prefix}&${query}`, { cookie });
      expect(res.status, query).toBe(200);
      return res.body.cylinders.map((c: { id: string }) => c.id);
    };
    expect(await ids("kind=RECOVERY")).toEqual([recovery.id]);
    expect(await ids("refrigerant=r-22")).toEqual([virgin.id]);
    expect(await ids("status=ASSIGNED")).toEqual([mine.id]);
    expect(await ids("holder=me")).toEqual([mine.id]);
    expect(await ids(`holder=${tree.users.TECHNICIAN.id}`, cookies.MANAGER)).toEqual([mine.id]);
    expect(await ids("holder=me", cookies.MANAGER)).toEqual([]);
    expect(await ids("holder=warehouse")).toEqual([virgin.id, recovery.id]);
    expect(await ids("holder=site")).toEqual([onSite.id]);
    // `_` and `%` are matched literally, not as LIKE wildcards.
    const literal = await api(`${base()}?q=${prefix.slice(0, -1)}_`, { cookie: cookies.TECHNICIAN });
    expect(literal.body.cylinders).toEqual([]);
    const bad = await api(`${base()}?status=LOST`, { cookie: cookies.TECHNICIAN });
    expectError(bad, 400, "VALIDATION_FAILED");
  });

  it("answers 404 to other companies and other branches, for every route", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    const before = await writesOf();
    for (const cookie of [outsiderAdmin, siblingManager]) {
      expectError(await api(base(), { cookie }), 404);
      expectError(await api(url, { cookie }), 404);
      expectError(await api(`${url}/moves`, { cookie }), 404);
      expectError(await api(url, { method: "PATCH", cookie, body: { status: "FOR_SALE" } }), 404);
      expectError(await api(url, { method: "DELETE", cookie }), 404);
      expectError(await api(`${url}/moves`, { cookie, body: { to: { holderType: "WAREHOUSE" } } }), 404);
      expectError(await api(base(), { cookie, body: cylinderBody() }), 404);
    }
    // Their own org in the URL does not reach our cylinder either.
    const own = `/api/orgs/${tree.subB.id}/cylinders/${cylinder.id}`;
    expectError(await api(own, { cookie: siblingManager }), 404, "NOT_FOUND");
    expectError(await api(own, { method: "PATCH", cookie: siblingManager, body: { status: "FOR_SALE" } }), 404);
    expectError(await api(`${own}/moves`, { cookie: siblingManager, body: { to: { holderType: "WAREHOUSE" } } }), 404);
    expect(await writesOf()).toEqual(before);
    // Without a session: 401.
    expectError(await api(url), 401, "UNAUTHENTICATED");
  });
});

describe("permissions on edits and deletes", () => {
  it("lets technicians move but not edit or delete (403)", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    const tech = cookies.TECHNICIAN;
    expectError(await api(url, { method: "PATCH", cookie: tech, body: { status: "FOR_SALE" } }), 403, "FORBIDDEN");
    expectError(await api(url, { method: "PATCH", cookie: tech, body: { tareWeightLb: 15 } }), 403);
    expectError(await api(url, { method: "DELETE", cookie: tech }), 403);
    const moved = await api(`${url}/moves`, {
      cookie: tech,
      body: { to: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id } },
    });
    expect(moved.status).toBe(201);
    expect(moved.body.cylinder).toMatchObject({ status: "ASSIGNED", holder: { type: "TECHNICIAN" } });
  });

  it("refuses SALES every write", async () => {
    const cylinder = await createCylinder({ status: "FOR_SALE" });
    const url = `${base()}/${cylinder.id}`;
    expectError(await api(url, { method: "PATCH", cookie: cookies.SALES, body: { status: "SOLD" } }), 403);
    expectError(await api(url, { method: "DELETE", cookie: cookies.SALES }), 403);
    expectError(
      await api(`${url}/moves`, { cookie: cookies.SALES, body: { to: { holderType: "SITE", holderLocationId: "x" } } }),
      403,
    );
  });

  it("lets managers mark FOR_SALE, SOLD and RETIRED but not delete; admins delete (soft)", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    for (const status of ["FOR_SALE", "SOLD", "RETIRED"]) {
      const res = await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { status } });
      expect(res.status, status).toBe(200);
      expect(res.body.status).toBe(status);
    }
    expectError(await api(url, { method: "DELETE", cookie: cookies.MANAGER }), 403, "FORBIDDEN");

    const deleted = await api(url, { method: "DELETE", cookie: cookies.ORG_ADMIN });
    expect(deleted.status).toBe(204);
    expectError(await api(url, { cookie: cookies.ORG_ADMIN }), 404);
    expectError(await api(url, { method: "DELETE", cookie: cookies.ORG_ADMIN }), 404);
    const list = await api(`${base()}?q=${cylinder.tag}`, { cookie: cookies.ORG_ADMIN });
    expect(list.body.cylinders).toEqual([]);
    const [row] = await sqlAll("SELECT deleted_at FROM cylinders WHERE id = ?", cylinder.id);
    expect(row?.deleted_at).toEqual(expect.any(Number));
    // Its tag stays with its records.
    expectError(
      await api(base(), { cookie: cookies.MANAGER, body: cylinderBody({ tag: cylinder.tag }) }),
      409,
      "TAG_TAKEN",
    );

    const another = await createCylinder();
    expect((await api(`${base()}/${another.id}`, { method: "DELETE", cookie: cookies.PARENT_ORG_ADMIN })).status).toBe(
      204,
    );
  });

  it("never changes contents through PATCH", async () => {
    const cylinder = await createCylinder();
    const res = await api(`${base()}/${cylinder.id}`, {
      method: "PATCH",
      cookie: cookies.ORG_ADMIN,
      body: { netContentsLb: 1 },
    });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.error.fields).toHaveProperty("netContentsLb");
  });
});

describe("moves and status history", () => {
  it("records every move with from, to, statuses and actor, newest first", async () => {
    const site = await createSite();
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    const tech = tree.users.TECHNICIAN;

    const toTruck = await api(`${url}/moves`, {
      cookie: cookies.TECHNICIAN,
      body: { to: { holderType: "TECHNICIAN", holderUserId: tech.id }, note: "Loaded for the Dayton job" },
    });
    expect(toTruck.status).toBe(201);
    expect(toTruck.body.move).toMatchObject({
      from: { type: "WAREHOUSE", name: "Warehouse" },
      to: { type: "TECHNICIAN", userId: tech.id, name: tech.name },
      fromStatus: "IN_STOCK",
      toStatus: "ASSIGNED",
      movedBy: { id: tech.id, name: tech.name },
      note: "Loaded for the Dayton job",
    });
    const toSite = await api(`${url}/moves`, {
      cookie: cookies.TECHNICIAN,
      body: { to: { holderType: "SITE", holderLocationId: site } },
    });
    expect(toSite.body.cylinder).toMatchObject({ status: "ASSIGNED", holder: { type: "SITE", locationId: site } });
    const back = await api(`${url}/moves`, { cookie: cookies.MANAGER, body: { to: { holderType: "WAREHOUSE" } } });
    expect(back.body.cylinder).toMatchObject({ status: "IN_STOCK", holder: { type: "WAREHOUSE" } });

    const history = await api(`${url}/moves`, { cookie: cookies.TECHNICIAN });
    expect(history.status).toBe(200);
    expect(
      history.body.moves.map((m: { to: { type: string }; toStatus: string; movedBy: { id: string } }) => [
        m.to.type,
        m.toStatus,
        m.movedBy.id,
      ]),
    ).toEqual([
      ["WAREHOUSE", "IN_STOCK", tree.users.MANAGER.id],
      ["SITE", "ASSIGNED", tech.id],
      ["TECHNICIAN", "ASSIGNED", tech.id],
      ["WAREHOUSE", "IN_STOCK", tree.users.MANAGER.id],
    ]);
    expect(history.body.moves.at(-1)).toMatchObject({ from: null, fromStatus: null, note: "Added to inventory" });
  });

  it("keeps FOR_SALE and EMPTY when a cylinder returns to the warehouse", async () => {
    for (const status of ["FOR_SALE", "EMPTY"]) {
      const cylinder = await createCylinder({
        status,
        holder: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id },
      });
      const res = await api(`${base()}/${cylinder.id}/moves`, {
        cookie: cookies.TECHNICIAN,
        body: { to: { holderType: "WAREHOUSE" } },
      });
      expect(res.body.cylinder.status, status).toBe(status);
    }
  });

  it("writes a history row for every status change through PATCH", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "FOR_SALE", note: "Surplus R-410A" } });
    await api(url, { method: "PATCH", cookie: cookies.ORG_ADMIN, body: { status: "SOLD" } });
    await api(url, { method: "PATCH", cookie: cookies.ORG_ADMIN, body: { tareWeightLb: 15 } });
    const { body } = await api(`${url}/moves`, { cookie: cookies.MANAGER });
    expect(
      body.moves.map((m: { fromStatus: string; toStatus: string; movedBy: { id: string }; note: string | null }) => [
        m.fromStatus,
        m.toStatus,
        m.movedBy.id,
        m.note,
      ]),
    ).toEqual([
      ["FOR_SALE", "SOLD", tree.users.ORG_ADMIN.id, null],
      ["IN_STOCK", "FOR_SALE", tree.users.MANAGER.id, "Surplus R-410A"],
      [null, "IN_STOCK", tree.users.MANAGER.id, "Added to inventory"],
    ]);
    // Status changes keep the holder: from and to are the same place.
    expect(body.moves[0].from).toEqual(body.moves[0].to);
  });

  it("moves only to real, active holders of this org", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}/moves`;
    const inactive = await createUser({ orgId: tree.subA.id, role: "TECHNICIAN", status: "DEACTIVATED" });
    const otherSite = await createSite(tree.subB.id);
    const before = await writesOf();
    for (const [to, field] of [
      [{ holderType: "TECHNICIAN", holderUserId: tree.sibling.TECHNICIAN.id }, "to.holderUserId"],
      [{ holderType: "TECHNICIAN", holderUserId: tree.outsiders.TECHNICIAN.id }, "to.holderUserId"],
      [{ holderType: "TECHNICIAN", holderUserId: inactive.id }, "to.holderUserId"],
      [{ holderType: "TECHNICIAN", holderUserId: tree.users.SALES.id }, "to.holderUserId"],
      [{ holderType: "TECHNICIAN", holderUserId: "nobody" }, "to.holderUserId"],
      [{ holderType: "SITE", holderLocationId: otherSite }, "to.holderLocationId"],
    ] as const) {
      const res = await api(url, { cookie: cookies.TECHNICIAN, body: { to } });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields, JSON.stringify(to)).toHaveProperty([field]);
    }
    expectError(
      await api(url, { cookie: cookies.TECHNICIAN, body: { to: { holderType: "WAREHOUSE" } } }),
      409,
      "ALREADY_THERE",
    );
    expect(await writesOf()).toEqual(before);

    // A technician of the sibling branch granted access to this org can carry its cylinders.
    const roving = await createUser({ orgId: tree.subB.id, role: "TECHNICIAN" });
    await grantAccess(roving.id, tree.subA.id);
    const ok = await api(url, {
      cookie: cookies.TECHNICIAN,
      body: { to: { holderType: "TECHNICIAN", holderUserId: roving.id } },
    });
    expect(ok.status).toBe(201);
  });

  it("does not move sold or retired cylinders", async () => {
    for (const status of ["SOLD", "RETIRED"]) {
      const cylinder = await createCylinder({ status });
      const res = await api(`${base()}/${cylinder.id}/moves`, {
        cookie: cookies.MANAGER,
        body: { to: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id } },
      });
      expectError(res, 409, "CYLINDER_OUT_OF_SERVICE");
    }
  });
});

describe("bad input on every write", () => {
  const long = (n: number) => "X".repeat(n);

  it("POST /cylinders: missing, wrong types, out of range, oversized, unknown fields → 400, nothing written", async () => {
    const before = await writesOf();
    const required = ["tag", "refrigerant", "kind", "tareWeightLb", "waterCapacityLb", "netContentsLb"];
    const cases: [string, Record<string, unknown>][] = [
      ...required.map((field): [string, Record<string, unknown>] => {
        const body = cylinderBody();
        delete (body as Record<string, unknown>)[field];
        return [field, body];
      }),
      ["tag", cylinderBody({ tag: 42 })],
      ["tag", cylinderBody({ tag: long(41) })],
      ["tag", cylinderBody({ tag: "   " })],
      ["tag", cylinderBody({ tag: "<script>" })],
      ["refrigerant", cylinderBody({ refrigerant: "R-9999" })],
      ["refrigerant", cylinderBody({ refrigerant: long(21) })],
      ["kind", cylinderBody({ kind: "DISPOSABLE" })],
      ["tareWeightLb", cylinderBody({ tareWeightLb: "14.5" })],
      ["tareWeightLb", cylinderBody({ tareWeightLb: 0 })],
      ["waterCapacityLb", cylinderBody({ waterCapacityLb: -5 })],
      ["waterCapacityLb", cylinderBody({ waterCapacityLb: 1e9 })],
      ["netContentsLb", cylinderBody({ netContentsLb: -0.5 })],
      ["netContentsLb", cylinderBody({ netContentsLb: null })],
      ["status", cylinderBody({ status: "LOST" })],
      ["hydroTestDate", cylinderBody({ hydroTestDate: "2024-02-30" })],
      ["hydroTestDate", cylinderBody({ hydroTestDate: "03/15/2024" })],
      ["holder.holderType", cylinderBody({ holder: { holderType: "TRUCK" } })],
      ["holder.holderUserId", cylinderBody({ holder: { holderType: "TECHNICIAN" } })],
      ["holder.holderUserId", cylinderBody({ holder: { holderType: "WAREHOUSE", holderUserId: "x" } })],
      ["serial", cylinderBody({ serial: "abc" })],
      ["__proto__", JSON.parse(`{"__proto__": {"x": 1}, "tag": "OK-1"}`)],
    ];
    for (const [field, body] of cases) {
      const res = await api(base(), { cookie: cookies.PARENT_ORG_ADMIN, body });
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.fields, field).toHaveProperty([field]);
    }
    expectError(await api(base(), { cookie: cookies.MANAGER, body: "{not json" }), 400);
    expectError(await api(base(), { cookie: cookies.MANAGER, body: [] }), 400);
    expect(await writesOf()).toEqual(before);
  });

  it("PATCH /cylinders/:id: wrong types, unknown fields, a note without a status change → 400", async () => {
    const cylinder = await createCylinder();
    const before = await writesOf();
    const cases: [string, Record<string, unknown>][] = [
      ["tag", { tag: "" }],
      ["tareWeightLb", { tareWeightLb: "heavy" }],
      ["waterCapacityLb", { waterCapacityLb: 0 }],
      ["hydroTestDate", { hydroTestDate: 20240101 }],
      ["status", { status: "ASSIGNED" }],
      ["note", { note: long(501), status: "FOR_SALE" }],
      ["note", { note: "no status change" }],
      ["refrigerant", { refrigerant: "R-22" }],
      ["kind", { kind: "RECOVERY" }],
      ["holderType", { holderType: "SITE" }],
    ];
    for (const [field, body] of cases) {
      const res = await api(`${base()}/${cylinder.id}`, { method: "PATCH", cookie: cookies.ORG_ADMIN, body });
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.fields, field).toHaveProperty([field]);
    }
    expect(await writesOf()).toEqual(before);
  });

  it("POST /cylinders/:id/moves: missing or malformed destination, unknown fields → 400", async () => {
    const cylinder = await createCylinder();
    const before = await writesOf();
    const cases: [string, unknown][] = [
      ["to", {}],
      ["to", { to: "WAREHOUSE" }],
      ["to.holderType", { to: { holderType: "MOON" } }],
      ["to.holderLocationId", { to: { holderType: "SITE" } }],
      ["to.holderLocationId", { to: { holderType: "SITE", holderLocationId: long(65) } }],
      ["to.status", { to: { holderType: "WAREHOUSE", status: "SOLD" } }],
      ["note", { to: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id }, note: long(501) }],
      ["netContentsLb", { to: { holderType: "WAREHOUSE" }, netContentsLb: 3 }],
    ];
    for (const [field, body] of cases) {
      const res = await api(`${base()}/${cylinder.id}/moves`, { cookie: cookies.TECHNICIAN, body });
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.fields, field).toHaveProperty([field]);
    }
    expect(await writesOf()).toEqual(before);
  });
});

describe("audit", () => {
  it("writes an entry with actor, before and after for every write", async () => {
    const cylinder = await createCylinder();
    const url = `${base()}/${cylinder.id}`;
    await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { tareWeightLb: 15.25 } });
    await api(url, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "FOR_SALE" } });
    await api(`${url}/moves`, {
      cookie: cookies.TECHNICIAN,
      body: { to: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id } },
    });
    await api(url, { method: "DELETE", cookie: cookies.ORG_ADMIN });
    const entries = await auditOf(cylinder.id);
    expect(entries.map((e) => [e.action, e.actorId, e.orgId, e.entityType])).toEqual([
      ["cylinder.create", tree.users.MANAGER.id, tree.subA.id, "cylinder"],
      ["cylinder.update", tree.users.MANAGER.id, tree.subA.id, "cylinder"],
      ["cylinder.status", tree.users.MANAGER.id, tree.subA.id, "cylinder"],
      ["cylinder.move", tree.users.TECHNICIAN.id, tree.subA.id, "cylinder"],
      ["cylinder.delete", tree.users.ORG_ADMIN.id, tree.subA.id, "cylinder"],
    ]);
    expect(entries[0]?.before).toBeNull();
    expect(entries[0]?.after).toMatchObject({ tag: cylinder.tag, netContentsLb: 25, status: "IN_STOCK" });
    expect(entries[1]).toMatchObject({ before: { tareWeightLb: 14.5 }, after: { tareWeightLb: 15.25 } });
    expect(entries[2]).toMatchObject({ before: { status: "IN_STOCK" }, after: { status: "FOR_SALE" } });
    expect(entries[3]).toMatchObject({
      before: { holderType: "WAREHOUSE", status: "FOR_SALE" },
      after: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id, status: "ASSIGNED" },
    });
    expect(entries[4]).toMatchObject({ before: { deletedAt: null }, after: { deletedAt: expect.any(String) } });
  });
});

describe("live events", () => {
  it("reach SALES only for cylinders that are or just were FOR_SALE; field roles get all", async () => {
    const sales = await openLive(tree.subA.id, cookies.SALES);
    const tech = await openLive(tree.subA.id, cookies.TECHNICIAN);

    const inStock = await createCylinder();
    const forSale = await createCylinder({ status: "FOR_SALE" });
    // Events arrive in order on a socket: once the later one is here, the earlier was never sent.
    const seen = await sales.event(forSale.id);
    expect(seen).toMatchObject({ entity: "cylinder", action: "created", orgId: tree.subA.id });
    expect(sales.eventIds()).not.toContain(inStock.id);
    await tech.event(forSale.id);
    expect(tech.eventIds()).toContain(inStock.id);

    // Taken off sale: SALES hears it (their list must drop it); later changes are not theirs.
    await api(`${base()}/${forSale.id}`, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "IN_STOCK" } });
    await sales.waitFor((m) => m.type === "event" && m.id === forSale.id && m.action === "updated");
    await api(`${base()}/${forSale.id}/moves`, {
      cookie: cookies.TECHNICIAN,
      body: { to: { holderType: "TECHNICIAN", holderUserId: tree.users.TECHNICIAN.id } },
    });
    const marker = await createCylinder({ status: "FOR_SALE" });
    await sales.event(marker.id);
    expect(sales.events().filter((m) => m.action === "moved")).toEqual([]);
    await tech.waitFor((m) => m.type === "event" && m.id === forSale.id && m.action === "moved");
  });
});

describe("QR label page", () => {
  it("renders an SVG QR code of the cylinder page's absolute URL, with tag and specs", async () => {
    const cylinder = await createCylinder({ kind: "RECOVERY", refrigerant: "R-22", netContentsLb: 10 });
    const res = await api(`/o/${tree.subA.id}/cylinders/${cylinder.id}/label`, { cookie: cookies.TECHNICIAN });
    expect(res.status).toBe(200);
    const html = String(res.body);
    expect(html).toContain("<svg");
    expect(html).toContain(`http://localhost/o/${tree.subA.id}/cylinders/${cylinder.id}`);
    expect(html).toContain(cylinder.tag);
    expect(html).toContain("R-22");
    expect(html).toContain("Print label");

    const hidden = await api(`/o/${tree.subA.id}/cylinders/${cylinder.id}/label`, { cookie: cookies.SALES });
    expect(hidden.status).toBe(404);
    // Scanned by a phone that is not signed in: the login page, which comes back to the cylinder.
    const page = `/o/${tree.subA.id}/cylinders/${cylinder.id}`;
    const anonymous = await api(page);
    expect(String(anonymous.body)).toContain("Sign in to RefriTrak");
    expect(String(anonymous.body)).toContain(`name="redirectTo" value="${page}"`);
  });
});
