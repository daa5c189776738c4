/**
 * Sales as a rep uses it (issue 5): Sam Sales (Upper Midwest: IL, WI, MN) sees on his dashboard
 * only Polar North's for-sale cylinders in his territory — not one staged at a North Dakota site —
 * and works a new lead NEW → CONTACTED → QUOTED → WON, then converts it into a customer.
 *
 * It writes to the seed: a North Dakota customer and a for-sale cylinder there (deleted at the
 * end), and one lead with the customer it becomes.
 */
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { DESKTOP, launchBrowser, login, sharedBrowser } from "./browser";

const ORG = "org-polar-north";
const SAM = "sales@polar.test";
const ADMIN = "admin.north@polar.test";
const IN_TERRITORY = ["PN-C402", "PN-S301", "PN-S302", "PN-S303"];
const OUTSIDE_TAG = `PN-ND-${Date.now().toString(36).toUpperCase()}`;
const COMPANY = `Red River Cold Storage ${Date.now().toString(36)}`;

const session = sharedBrowser();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** North's org admin, through the API in a browser of their own: a for-sale cylinder at a Fargo site. */
async function stageCylinderOutsideTerritory() {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: DESKTOP });
  await login(page, ADMIN);
  const headers = { Origin: browser.baseUrl };
  const customer = await page.request.post(`/api/orgs/${ORG}/customers`, {
    headers,
    data: {
      name: `Fargo Consignment ${Date.now().toString(36)}`,
      location: { name: "Fargo yard", street: "1 Main Ave", city: "Fargo", state: "ND", zip: "58102" },
    },
  });
  expect(customer.status()).toBe(201);
  const { id: customerId, locations } = (await customer.json()) as { id: string; locations: { id: string }[] };
  const cylinder = await page.request.post(`/api/orgs/${ORG}/cylinders`, {
    headers,
    data: {
      tag: OUTSIDE_TAG,
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: 11,
      waterCapacityLb: 27,
      netContentsLb: 25,
      status: "FOR_SALE",
      priceCents: 17_500,
      holder: { holderType: "SITE", holderLocationId: locations[0]?.id },
    },
  });
  expect(cylinder.status(), await cylinder.text()).toBe(201);
  const { id: cylinderId } = (await cylinder.json()) as { id: string };
  cleanup.push(async () => {
    await page.request.delete(`/api/orgs/${ORG}/cylinders/${cylinderId}`, { headers });
    await page.request.delete(`/api/orgs/${ORG}/customers/${customerId}`, { headers });
    await browser.close();
  });
}

async function inventoryTags(page: Page) {
  const table = page.getByRole("table", { name: "Inventory for sale" });
  await table.waitFor();
  return (await table.getByRole("rowheader").allInnerTexts()).map((tag) => tag.trim()).sort();
}

describe("sales rep", () => {
  it("sees only the for-sale cylinders of their territory, filterable", async () => {
    await stageCylinderOutsideTerritory();
    const page = await session.openPage({ viewport: DESKTOP });
    await login(page, SAM);
    await page.getByRole("heading", { level: 1, name: "Sales dashboard", exact: true }).waitFor();
    await page.getByText("Territories: Upper Midwest").waitFor();
    expect(await inventoryTags(page)).toEqual(IN_TERRITORY);
    // Prices and contents are shown.
    await page.getByRole("table", { name: "Inventory for sale" }).getByText("$189.00").first().waitFor();
    // Filter by refrigerant.
    await page.getByLabel("Refrigerant").selectOption("R-454B");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/refrigerant=R-454B/);
    expect(await inventoryTags(page)).toEqual(["PN-S303"]);
    // The cylinder staged in North Dakota is not there, not even by its address.
    expect(await page.getByText(OUTSIDE_TAG).count()).toBe(0);
    await page.goto(`/o/${ORG}/cylinders?q=${OUTSIDE_TAG}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.getByText(OUTSIDE_TAG).count()).toBe(0);
  });

  it("works a lead from NEW to WON and converts it into a customer", async () => {
    const page = await session.openPage({ viewport: DESKTOP });
    await login(page, SAM);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
    await page.getByRole("heading", { level: 1, name: "My leads" }).waitFor();
    await page.getByRole("link", { name: "New lead" }).click();
    await page.getByLabel("Company").fill(COMPANY);
    await page.getByLabel("Contact (optional)").fill("Lee Berg");
    await page.getByLabel("State (optional)").selectOption("MN");
    await page.getByLabel("ZIP (optional)").fill("56560");
    await page.getByLabel("Value (USD) (optional)").fill("4,200");
    await page.getByLabel("Next step (optional)").fill("Call the plant manager");
    await page.getByRole("button", { name: "Add lead" }).click();
    await page.getByRole("heading", { level: 1, name: COMPANY }).waitFor();
    await page.getByText("Lead added.").waitFor();
    await page.getByText("$4,200.00").first().waitFor();

    for (const stage of ["Contacted", "Quoted", "Won"]) {
      await page.getByLabel("Stage").selectOption({ label: stage });
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator(".page-header .badge", { hasText: stage }).waitFor();
    }
    // Won: the lead can become a customer.
    const convert = page.getByRole("region", { name: "Convert to customer" });
    await convert.getByLabel("Street (optional)").fill("2301 Main Ave");
    await convert.getByLabel("City (optional)").fill("Moorhead");
    await convert.getByRole("button", { name: "Convert to customer" }).click();
    await page.getByText("Customer created from this lead.").waitFor();
    await page.getByRole("link", { name: COMPANY }).click();
    await page.getByRole("heading", { level: 1, name: COMPANY }).waitFor();
    await page.getByText("Moorhead").first().waitFor();

    // The pipeline shows it under Won, with its value.
    await page.goto(`/o/${ORG}/leads`);
    const won = page.getByRole("region", { name: "Won" });
    await won.getByRole("link", { name: COMPANY }).waitFor();
    expect(await page.getByTestId("total-WON").textContent()).toContain("$4,200.00");
  });
});
