import { beforeAll, describe, expect, it } from "vitest";
import { customers, locations, type Role } from "../../db/schema";
import { api, createTree, getPage, postForm, signIn, signInEveryRole, type Tree, testDb } from "./helpers";
import { auditOf, sqlAll, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;

beforeAll(async () => {
  tree = await createTree();
  cookies = await signInEveryRole(tree);
});

const org = () => tree.subA.id;
const page = (rest = "") => `/o/${org()}${rest}`;

async function createCylinder(overrides: Record<string, unknown> = {}) {
  const res = await api(`/api/orgs/${org()}/cylinders`, {
    cookie: cookies.MANAGER,
    body: {
      tag: unique("PG-"),
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: 14,
      waterCapacityLb: 30,
      netContentsLb: 25,
      status: "FOR_SALE",
      ...overrides,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; tag: string };
}

/** A customer of the branch with one site. */
async function createCustomer(orgId = org()) {
  const db = testDb();
  const customer = { id: crypto.randomUUID(), orgId, name: unique("Buyer ") };
  const location = {
    id: crypto.randomUUID(),
    orgId,
    customerId: customer.id,
    name: unique("Plant "),
    street: "1 Main St",
    city: "Duluth",
    state: "MN",
    zip: "55802",
  };
  await db.batch([db.insert(customers).values(customer), db.insert(locations).values(location)]);
  return { ...customer, locationId: location.id };
}

const cylinderRow = async (id: string) => (await sqlAll("SELECT * FROM cylinders WHERE id = ?", id))[0];
const movesOf = (id: string) => sqlCount("SELECT count(*) AS n FROM cylinder_moves WHERE cylinder_id = ?", id);
/** React puts comment markers between adjacent text parts; compare text, not markup. */
const text = (html: string) => html.replace(/<!-- -->/g, "");

describe("price on the cylinder page", () => {
  it("a manager sets the asking price in dollars; it is stored in cents, audited, and shown", async () => {
    const cylinder = await createCylinder();
    const res = await postForm(page(`/cylinders/${cylinder.id}?panel=edit`), cookies.MANAGER, {
      intent: "edit",
      tag: cylinder.tag,
      tareWeightLb: "14",
      waterCapacityLb: "30",
      hydroTestDate: "",
      price: "$1,250.5",
    });
    expect(res.status, res.html.slice(0, 500)).toBe(302);
    expect(res.location).toBe(page(`/cylinders/${cylinder.id}?saved=1`));
    expect((await cylinderRow(cylinder.id))?.price_cents).toBe(125_050);
    expect((await auditOf(cylinder.id)).at(-1)).toMatchObject({
      action: "cylinder.update",
      after: { priceCents: 125_050 },
    });

    const html = text((await getPage(page(`/cylinders/${cylinder.id}`), cookies.MANAGER)).html);
    expect(html).toContain("$1,250.50");

    // The edit form offers it back in dollars; emptying the field clears the price.
    const edit = text((await getPage(page(`/cylinders/${cylinder.id}?panel=edit`), cookies.MANAGER)).html);
    expect(edit).toMatch(/Price \(USD\)/);
    expect(edit).toContain('value="1250.50"');
    const cleared = await postForm(page(`/cylinders/${cylinder.id}`), cookies.MANAGER, { intent: "edit", price: "" });
    expect(cleared.status).toBe(302);
    expect((await cylinderRow(cylinder.id))?.price_cents).toBeNull();
  });

  it("refuses a bad price with a field error, writing nothing", async () => {
    const cylinder = await createCylinder({ priceCents: 9_900 });
    const auditBefore = (await auditOf(cylinder.id)).length;
    for (const [price, message] of [
      ["-5", "Cannot be negative."],
      ["12.345", "Use at most 2 decimals."],
      ["twelve", "Enter an amount in dollars, like 1250.00."],
      ["100000.01", "At most $100,000."],
    ] as const) {
      const res = await postForm(page(`/cylinders/${cylinder.id}?panel=edit`), cookies.MANAGER, {
        intent: "edit",
        tag: cylinder.tag,
        price,
      });
      expect(res.status, price).toBe(400);
      expect(res.html, price).toContain(message);
      expect(res.html, price).toMatch(/aria-invalid="true"/);
    }
    expect((await cylinderRow(cylinder.id))?.price_cents).toBe(9_900);
    expect(await auditOf(cylinder.id)).toHaveLength(auditBefore);
  });

  it("takes a price when adding a cylinder", async () => {
    const tag = unique("NEW-");
    const res = await postForm(page("/cylinders?new=1"), cookies.MANAGER, {
      tag,
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: "14",
      waterCapacityLb: "30",
      netContentsLb: "20",
      holder: "WAREHOUSE",
      status: "FOR_SALE",
      price: "199",
    });
    expect(res.status, res.html.slice(0, 500)).toBe(302);
    const [row] = await sqlAll("SELECT * FROM cylinders WHERE tag = ? AND org_id = ?", tag.toUpperCase(), org());
    expect(row).toMatchObject({ status: "FOR_SALE", price_cents: 19_900 });
  });
});

describe("selling from the cylinder page", () => {
  it("a manager marks a FOR_SALE cylinder sold to a customer: SOLD, buyer, date, move and audit", async () => {
    const buyer = await createCustomer();
    const cylinder = await createCylinder({ priceCents: 21_500 });
    const before = text((await getPage(page(`/cylinders/${cylinder.id}`), cookies.MANAGER)).html);
    expect(before).toContain("Mark sold");
    expect(before).toContain(`<option value="${buyer.id}">${buyer.name}</option>`);

    const res = await postForm(page(`/cylinders/${cylinder.id}`), cookies.MANAGER, {
      intent: "sell",
      customerId: buyer.id,
      note: "Invoice 4417",
    });
    expect(res.status, res.html.slice(0, 500)).toBe(302);
    expect(res.location).toBe(page(`/cylinders/${cylinder.id}?sold=1`));

    expect(await cylinderRow(cylinder.id)).toMatchObject({
      status: "SOLD",
      sold_to_customer_id: buyer.id,
      holder_type: "SITE",
      holder_location_id: buyer.locationId,
    });
    expect((await cylinderRow(cylinder.id))?.sold_at).toBeTruthy();
    const [move] = await sqlAll(
      "SELECT * FROM cylinder_moves WHERE cylinder_id = ? ORDER BY moved_at DESC, rowid DESC",
      cylinder.id,
    );
    expect(move).toMatchObject({ from_status: "FOR_SALE", to_status: "SOLD", note: "Invoice 4417" });
    expect((await auditOf(cylinder.id)).at(-1)).toMatchObject({
      action: "cylinder.sell",
      actorId: tree.users.MANAGER.id,
      after: { status: "SOLD", soldToCustomerId: buyer.id },
    });

    const after = text((await getPage(page(`/cylinders/${cylinder.id}?sold=1`), cookies.MANAGER)).html);
    expect(after).toContain("Cylinder sold.");
    expect(after).toMatch(
      new RegExp(`<dt>Sold to</dt><dd><a href="/o/${org()}/customers/${buyer.id}"[^>]*>${buyer.name}</a>`),
    );
    expect(after).toContain("Sold on");
    expect(after).toContain("For sale → Sold");
    expect(after).toContain("Invoice 4417");
    expect(after).not.toContain("Mark sold");
  });

  it("answers a cylinder no longer for sale with the reason, and a missing buyer with a field error", async () => {
    const buyer = await createCustomer();
    const cylinder = await createCylinder({ status: "IN_STOCK" });
    const moves = await movesOf(cylinder.id);
    const notForSale = await postForm(page(`/cylinders/${cylinder.id}`), cookies.MANAGER, {
      intent: "sell",
      customerId: buyer.id,
    });
    expect(notForSale.status).toBe(409);
    expect(text(notForSale.html)).toContain("Only a cylinder marked FOR_SALE can be sold");

    const forSale = await createCylinder();
    for (const customerId of ["", crypto.randomUUID(), (await createCustomer(tree.subB.id)).id]) {
      const res = await postForm(page(`/cylinders/${forSale.id}`), cookies.MANAGER, { intent: "sell", customerId });
      expect(res.status, customerId).toBe(400);
      expect(res.html, customerId).toMatch(/aria-invalid="true"/);
    }
    expect((await cylinderRow(forSale.id))?.status).toBe("FOR_SALE");
    expect(await movesOf(cylinder.id)).toBe(moves);
    expect((await auditOf(forSale.id)).map((entry) => entry.action)).toEqual(["cylinder.create"]);
  });

  it("refuses a technician's or a sales rep's sale (403), writing nothing, and hides the panel from them", async () => {
    const buyer = await createCustomer();
    const cylinder = await createCylinder({ priceCents: 5_000 });
    const moves = await movesOf(cylinder.id);
    const audit = (await auditOf(cylinder.id)).length;
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      const res = await postForm(page(`/cylinders/${cylinder.id}`), cookies[role], {
        intent: "sell",
        customerId: buyer.id,
      });
      expect(res.status, role).toBe(403);
    }
    expect(await cylinderRow(cylinder.id)).toMatchObject({ status: "FOR_SALE", sold_to_customer_id: null });
    expect(await movesOf(cylinder.id)).toBe(moves);
    expect(await auditOf(cylinder.id)).toHaveLength(audit);

    const tech = text((await getPage(page(`/cylinders/${cylinder.id}`), cookies.TECHNICIAN)).html);
    expect(tech).toContain("$50.00");
    expect(tech).not.toContain("Mark sold");
    expect(tech).not.toContain("Price (USD)");
    // Another branch's manager does not reach it.
    const sibling = await postForm(page(`/cylinders/${cylinder.id}`), await signIn(tree.sibling.MANAGER.id), {
      intent: "sell",
      customerId: buyer.id,
    });
    expect(sibling.status).toBe(404);
  });
});

describe("cylinders list", () => {
  it("shows asking prices of cylinders for sale and the buyer of sold ones", async () => {
    const priced = await createCylinder({ priceCents: 125_000 });
    const unpriced = await createCylinder();
    const buyer = await createCustomer();
    const sold = await createCylinder({ priceCents: 30_000 });
    const sale = await api(`/api/orgs/${org()}/cylinders/${sold.id}/sell`, {
      cookie: cookies.MANAGER,
      body: { customerId: buyer.id },
    });
    expect(sale.status).toBe(201);

    const html = text((await getPage(page("/cylinders"), cookies.MANAGER)).html);
    expect(html).toMatch(/<th scope="col" class="num">Price<\/th>/);
    const rowOf = (tag: string) => html.slice(html.indexOf(`>${tag}</a>`), html.indexOf("</tr>", html.indexOf(tag)));
    expect(rowOf(priced.tag)).toContain("$1,250.00");
    expect(rowOf(unpriced.tag)).toContain("Not priced");
    expect(rowOf(sold.tag)).toContain(`Sold</span><span class="cyl-sold-to"> to ${buyer.name}`);
    expect(rowOf(sold.tag)).not.toContain("$300.00");
  });
});
