/**
 * Leads: a sales rep owns and works their own (another rep's is 404), admins read all, managers
 * and technicians are refused; stage rules (LOST needs a reason, WON/LOST close, reopening);
 * converting a WON lead creates a customer once; bad input; audit; live audience.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { api, createTree, createUser, openLive, signIn, type TestOrg, type Tree } from "./helpers";
import { auditOf, expectError, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;
let otherRep: string;
let siblingRep: string;
let outsiderAdmin: string;

const ROLES: Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];

beforeAll(async () => {
  tree = await createTree();
  const signed = await Promise.all(ROLES.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(ROLES.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  otherRep = await signIn((await createUser({ orgId: tree.subA.id, role: "SALES" })).id);
  siblingRep = await signIn(tree.sibling.SALES.id);
  outsiderAdmin = await signIn(tree.outsiders.PARENT_ORG_ADMIN.id);
});

const at = (path: string, org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}${path}`;

async function createLead(body: Record<string, unknown> = {}, cookie = cookies.SALES) {
  const res = await api(at("/leads"), { cookie, body: { company: unique("Acme HVAC "), ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; company: string };
}

const patch = (id: string, body: unknown, cookie = cookies.SALES) =>
  api(at(`/leads/${id}`), { method: "PATCH", cookie, body });

describe("who sees and works leads", () => {
  it("a rep creates their own lead (NEW, owner = self) and sees only their own", async () => {
    const res = await api(at("/leads"), {
      cookie: cookies.SALES,
      body: {
        company: "Lakeshore Refrigeration",
        contactName: "Pat Doe",
        email: "pat@lakeshore.example",
        state: "wi",
        zip: "53703",
        valueCents: 480_000,
        nextStep: "Call about R-448A",
        dueDate: "2030-01-15",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      stage: "NEW",
      open: true,
      owner: { id: tree.users.SALES.id },
      state: "WI",
      valueCents: 480_000,
      dueDate: "2030-01-15",
      customer: null,
      closedAt: null,
    });
    const theirs = await createLead({}, otherRep);
    const mine = (await api(at("/leads"), { cookie: cookies.SALES })).body.leads.map((l: { id: string }) => l.id);
    expect(mine).toContain(res.body.id);
    expect(mine).not.toContain(theirs.id);
    expectError(await api(at(`/leads/${theirs.id}`), { cookie: cookies.SALES }), 404, "NOT_FOUND");
    expectError(await patch(theirs.id, { stage: "CONTACTED" }), 404);
    expectError(await api(at(`/leads/${theirs.id}/convert`), { cookie: cookies.SALES, body: {} }), 404);
    expect((await auditOf(res.body.id))[0]).toMatchObject({ action: "lead.create", actorId: tree.users.SALES.id });
  });

  it("admins read every lead with its owner, never write; managers and technicians are refused", async () => {
    const lead = await createLead();
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN"] as const) {
      const list = await api(at("/leads"), { cookie: cookies[role] });
      expect(list.status).toBe(200);
      expect(list.body.leads.find((l: { id: string }) => l.id === lead.id)).toMatchObject({
        owner: { id: tree.users.SALES.id, name: tree.users.SALES.name },
      });
      expect((await api(at(`/leads/${lead.id}`), { cookie: cookies[role] })).status).toBe(200);
      expectError(await api(at("/leads"), { cookie: cookies[role], body: { company: "X" } }), 403);
      expectError(await patch(lead.id, { stage: "CONTACTED" }, cookies[role]), 403);
      expectError(await api(at(`/leads/${lead.id}/convert`), { cookie: cookies[role], body: {} }), 403);
    }
    for (const role of ["MANAGER", "TECHNICIAN"] as const) {
      expectError(await api(at("/leads"), { cookie: cookies[role] }), 403, "FORBIDDEN");
      expectError(await api(at(`/leads/${lead.id}`), { cookie: cookies[role] }), 403);
      expectError(await api(at("/leads"), { cookie: cookies[role], body: { company: "X" } }), 403);
      expectError(await patch(lead.id, { stage: "CONTACTED" }, cookies[role]), 403);
    }
  });

  it("another org's lead answers 404, and another org's URL too", async () => {
    const lead = await createLead();
    // The sibling branch's rep and admin, through their own org's URL.
    expectError(await api(at(`/leads/${lead.id}`, tree.subB), { cookie: siblingRep }), 404);
    expectError(await api(at(`/leads/${lead.id}`, tree.subB), { cookie: cookies.PARENT_ORG_ADMIN }), 404);
    expectError(await api(at(`/leads/${lead.id}`), { cookie: siblingRep }), 404);
    expectError(await api(at("/leads"), { cookie: outsiderAdmin }), 404);
    expectError(await api(at("/leads"), { cookie: outsiderAdmin, body: { company: "X" } }), 404);
  });
});

describe("stages", () => {
  it("NEW → CONTACTED → QUOTED → WON closes; reopening clears closedAt", async () => {
    const lead = await createLead();
    for (const stage of ["CONTACTED", "QUOTED"]) {
      const res = await patch(lead.id, { stage });
      expect(res.body).toMatchObject({ stage, closedAt: null, open: true });
    }
    const won = await patch(lead.id, { stage: "WON", valueCents: 125_000 });
    expect(won.body).toMatchObject({ stage: "WON", open: false, closedAt: expect.any(String), valueCents: 125_000 });
    const reopened = await patch(lead.id, { stage: "QUOTED" });
    expect(reopened.body).toMatchObject({ stage: "QUOTED", closedAt: null });
    const actions = (await auditOf(lead.id)).map((entry) => entry.action);
    expect(actions).toEqual(["lead.create", "lead.stage", "lead.stage", "lead.stage", "lead.stage"]);
    expect((await auditOf(lead.id))[3]).toMatchObject({ before: { stage: "QUOTED" }, after: { stage: "WON" } });
  });

  it("LOST needs a reason; a reason goes only with LOST; reopening clears it", async () => {
    const lead = await createLead();
    const missing = await patch(lead.id, { stage: "LOST" });
    expectError(missing, 400);
    expect(missing.body.error.fields).toHaveProperty("lostReason");
    const wrong = await patch(lead.id, { stage: "CONTACTED", lostReason: "No budget" });
    expectError(wrong, 400);
    expect((await api(at(`/leads/${lead.id}`), { cookie: cookies.SALES })).body.stage).toBe("NEW");
    const lost = await patch(lead.id, { stage: "LOST", lostReason: "Went with a competitor" });
    expect(lost.body).toMatchObject({
      stage: "LOST",
      lostReason: "Went with a competitor",
      closedAt: expect.any(String),
    });
    // Editing other fields of a lost lead keeps its reason.
    expect((await patch(lead.id, { nextStep: "Check back in spring" })).body.lostReason).toBe("Went with a competitor");
    const reopened = await patch(lead.id, { stage: "CONTACTED" });
    expect(reopened.body).toMatchObject({ stage: "CONTACTED", lostReason: null, closedAt: null });
  });
});

describe("convert", () => {
  it("a WON lead becomes a customer once, with a location; the lead keeps the customer", async () => {
    const lead = await createLead({
      company: unique("Northwoods Dairy "),
      email: "ops@northwoods.example",
      phone: "(715) 555-0100",
      state: "WI",
      zip: "54701",
      contactName: "Jo",
    });
    expectError(await api(at(`/leads/${lead.id}/convert`), { cookie: cookies.SALES, body: {} }), 409, "LEAD_NOT_WON");
    await patch(lead.id, { stage: "WON" });
    const customersBefore = await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id);
    const res = await api(at(`/leads/${lead.id}/convert`), {
      cookie: cookies.SALES,
      body: { location: { street: "1 Dairy Rd", city: "Eau Claire" } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.customer).toMatchObject({ name: lead.company });
    expect(res.body.lead).toMatchObject({ stage: "WON", customer: { id: res.body.customer.id } });
    const customer = await api(at(`/customers/${res.body.customer.id}`), { cookie: cookies.MANAGER });
    expect(customer.body).toMatchObject({ name: lead.company, email: "ops@northwoods.example" });
    expect(await sqlCount("SELECT count(*) AS n FROM locations WHERE customer_id = ?", res.body.customer.id)).toBe(1);
    expect(
      await sqlCount(
        "SELECT count(*) AS n FROM locations WHERE customer_id = ? AND state = 'WI' AND zip = '54701'",
        res.body.customer.id,
      ),
    ).toBe(1);

    // Once: a second conversion is refused and writes nothing.
    expectError(
      await api(at(`/leads/${lead.id}/convert`), { cookie: cookies.SALES, body: {} }),
      409,
      "ALREADY_CONVERTED",
    );
    expect(await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id)).toBe(
      customersBefore + 1,
    );
    // A converted lead stays WON.
    expectError(await patch(lead.id, { stage: "QUOTED" }), 409, "LEAD_CONVERTED");
    expect((await auditOf(lead.id)).at(-1)).toMatchObject({
      action: "lead.convert",
      after: { customerId: res.body.customer.id },
    });
    expect((await auditOf(res.body.customer.id))[0]).toMatchObject({
      action: "customer.create",
      actorId: tree.users.SALES.id,
    });
  });

  it("two concurrent conversions make one customer", async () => {
    const lead = await createLead();
    await patch(lead.id, { stage: "WON" });
    const before = await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id);
    const results = await Promise.all(
      [1, 2].map(() => api(at(`/leads/${lead.id}/convert`), { cookie: cookies.SALES, body: {} })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id)).toBe(before + 1);
  });

  it("a location needs a state and ZIP (from the body or the lead); bad input writes nothing", async () => {
    const lead = await createLead();
    await patch(lead.id, { stage: "WON" });
    const url = at(`/leads/${lead.id}/convert`);
    const before = await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id);
    const cases: [unknown, string][] = [
      [{ location: { street: "1 A St", city: "Fargo" } }, "location.state"],
      [{ location: { street: "1 A St" } }, "location.city"],
      [{ location: { street: "1 A St", city: "Fargo", state: "XX", zip: "58102" } }, "location.state"],
      [{ location: { street: "1 A St", city: "Fargo", state: "ND", zip: "581" } }, "location.zip"],
      [{ name: "" }, "name"],
      [{ email: "not-an-email" }, "email"],
      [{ unknown: true }, "unknown"],
    ];
    for (const [body, field] of cases) {
      const res = await api(url, { cookie: cookies.SALES, body });
      expectError(res, 400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await sqlCount("SELECT count(*) AS n FROM customers WHERE org_id = ?", tree.subA.id)).toBe(before);
    const ok = await api(url, {
      cookie: cookies.SALES,
      body: { name: "Fargo Foods", location: { street: "1 A St", city: "Fargo", state: "ND", zip: "58102" } },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.customer.name).toBe("Fargo Foods");
  });
});

describe("bad input", () => {
  it("POST and PATCH /leads refuse missing, wrong, oversized and unknown fields with 400, nothing written", async () => {
    const before = await sqlCount("SELECT count(*) AS n FROM leads WHERE org_id = ?", tree.subA.id);
    const cases: [unknown, string][] = [
      [{}, "company"],
      [{ company: "" }, "company"],
      [{ company: "x".repeat(121) }, "company"],
      [{ company: 5 }, "company"],
      [{ company: "A", valueCents: -1 }, "valueCents"],
      [{ company: "A", valueCents: 10.5 }, "valueCents"],
      [{ company: "A", valueCents: "100" }, "valueCents"],
      [{ company: "A", dueDate: "2030-02-30" }, "dueDate"],
      [{ company: "A", state: "Wisconsin" }, "state"],
      [{ company: "A", zip: "5370" }, "zip"],
      [{ company: "A", email: "nope" }, "email"],
      [{ company: "A", stage: "WON" }, "stage"],
      [{ company: "A", ownerId: tree.users.SALES.id }, "ownerId"],
      [{ company: "A", nextStep: "x".repeat(201) }, "nextStep"],
    ];
    for (const [body, field] of cases) {
      const res = await api(at("/leads"), { cookie: cookies.SALES, body });
      expectError(res, 400);
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expect(await sqlCount("SELECT count(*) AS n FROM leads WHERE org_id = ?", tree.subA.id)).toBe(before);

    const lead = await createLead();
    for (const [body, field] of [
      [{ stage: "SIGNED" }, "stage"],
      [{ valueCents: -5 }, "valueCents"],
      [{ company: "" }, "company"],
      [{ ownerId: "x" }, "ownerId"],
      [{ lostReason: "x".repeat(501), stage: "LOST" }, "lostReason"],
    ] as const) {
      const res = await patch(lead.id, body);
      expectError(res, 400);
      expect(res.body.error.fields).toHaveProperty([field]);
    }
    expect(await auditOf(lead.id)).toHaveLength(1);
  });
});

describe("live events", () => {
  it("reach the owner and the admins, not another rep", async () => {
    const owner = await openLive(tree.subA.id, cookies.SALES);
    const admin = await openLive(tree.subA.id, cookies.ORG_ADMIN);
    const other = await openLive(tree.subA.id, otherRep);
    const lead = await createLead();
    await owner.event(lead.id);
    await admin.event(lead.id);
    const marker = await createLead({}, otherRep);
    await other.event(marker.id);
    expect(other.eventIds()).not.toContain(lead.id);
    expect(owner.eventIds()).not.toContain(marker.id);
  });
});
