/**
 * Refrigerant tracking as people use it (issue 3): a technician records a charge on a phone that
 * pushes a unit over its leak-rate threshold, a manager approves it on a desktop, the unit's badge,
 * leak rate and repair deadline follow the EPA formula; the cylinder lost what was charged; the
 * compliance report exports as CSV and PDF; the sales user sees only cylinders for sale.
 *
 * The tests run in order and share one story: the charge of the first is what the next two look
 * for. It writes to the seed (one charge, its approval and the leak repair that opens), on a unit
 * no other e2e test reads: Dock office RTU.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { DESKTOP, type E2EBrowser, launchBrowser, login, sharedBrowser, type Viewport, watchErrors } from "./browser";

const PHONE: Viewport = { width: 375, height: 812 };
const ORG = "org-polar-north";

/**
 * From db/seed-refrigerant.ts: Dock office RTU (Northland Cold Storage) is comfort cooling on
 * R-410A with a 24 lb full charge (covered: Part 84, GWP above 53 and ≥ 15 lb); its only addition
 * was 1 lb, 310 days before the seed ran (today). PN-V101 is a virgin R-410A jug on Tess's truck.
 */
const UNIT = { name: "Dock office RTU", fullChargeLb: 24, refrigerant: "R-410A" };
const DAYS_SINCE_PREVIOUS = 310;
const CYLINDER = "PN-V101";
const TECH = { email: "tech1.north@polar.test", name: "Tess Tech" };
const MANAGER = "manager.north@polar.test";

/**
 * Polar North's EPA config is the default: annualizing, comfort cooling 10%. Charging 3 lb 4 oz:
 * (3.25 / 24) × 365 / min(310, 365) × 100 = 15.944…% → 15.94%, over 10%.
 */
const CHARGE = { pounds: "3", ounces: "4", lb: 3.25 };
const THRESHOLD = 10;
const EXPECTED_PERCENT =
  Math.round(((CHARGE.lb / UNIT.fullChargeLb) * 365 * 100 * 100) / Math.min(DAYS_SINCE_PREVIOUS, 365)) / 100;
const PERCENT_TEXT = `${EXPECTED_PERCENT.toFixed(2)}%`;
const FORMULA = `(${CHARGE.lb} lb / ${UNIT.fullChargeLb} lb) × (365 / ${DAYS_SINCE_PREVIOUS} days) × 100 = ${PERCENT_TEXT}`;

const session = sharedBrowser();
/** Browsers of their own (a second person's session), closed after the file. */
const ownBrowsers: E2EBrowser[] = [];
const ownErrors: string[] = [];
afterAll(async () => {
  await Promise.all(ownBrowsers.splice(0).map((browser) => browser.close()));
});

/** What the first test did, for the tests that look at its consequences. */
const story: { contentsBefore?: number; performedAt?: Date } = {};
function recorded() {
  if (story.contentsBefore === undefined || !story.performedAt)
    throw new Error("the charge of the first test was not recorded; this test looks at its consequences");
  return { contentsBefore: story.contentsBefore, performedAt: story.performedAt };
}

async function signedInElsewhere(email: string, viewport: Viewport) {
  const browser = await launchBrowser();
  ownBrowsers.push(browser);
  const page = await browser.newPage({ viewport });
  watchErrors(page, ownErrors, [], `${email}: `);
  await login(page, email);
  return page;
}

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

async function openNav(page: Page, section: string, heading: string) {
  await mainNav(page).getByRole("link", { name: section, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
}

/** The net contents the cylinder page states ("20.75 lb in a 27 lb water-capacity cylinder"). */
async function cylinderContents(page: Page, tag: string) {
  await openNav(page, "Cylinders", "Cylinders");
  await page.getByRole("link", { name: tag, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: tag, exact: true }).waitFor();
  const text = (await page.getByRole("region", { name: "Contents", exact: true }).textContent()) ?? "";
  const match = /([\d,.]+) lb in a /.exec(text);
  if (!match?.[1]) throw new Error(`no contents on ${tag}'s page: ${text}`);
  return Number(match[1].replace(/,/g, ""));
}

/** Waits (briefly) until the element is on screen: hidden text (a closed <details>) does not count. */
const shows = (locator: Locator) => locator.waitFor({ state: "visible", timeout: 5_000 });

/** "17.5 lb", as the transfer screens write amounts (up to 3 decimals). */
const lb = (value: number) => `${Number(value.toFixed(3))} lb`;

/** How far the page scrolls sideways (0 when it fits the viewport's width). */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The text of the selected option of a labelled select. */
const chosen = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).locator("option:checked").textContent();

/** "Jan 5, 2027" for the UTC day `days` after `at`'s UTC day (deadlines are UTC days). */
function utcDayPlus(at: Date, days: number) {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + days));
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(day);
}

/** Rows of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\n") {
      endCell();
      rows.push(row);
      row = [];
    } else if (c !== "\r") cell += c;
  }
  if (cell !== "" || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** The leak-status badge of the unit's row in the units list. */
async function listBadge(page: Page) {
  await openNav(page, "Units", "Units");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: UNIT.name, exact: true }) });
  return (await row.getByTestId("leak-badge").textContent())?.trim();
}

describe("refrigerant tracking", () => {
  it("a technician's charge on a phone pushes a unit over its threshold; a manager approves it; the unit shows it", async () => {
    // Tess, on her phone, checks the jug on her truck, then records the charge.
    const tech = await session.openPage({ viewport: PHONE });
    await login(tech, TECH.email);
    story.contentsBefore = await cylinderContents(tech, CYLINDER);

    // Before: the manager sees the unit as fine.
    const manager = await signedInElsewhere(MANAGER, DESKTOP);
    expect(await listBadge(manager)).toBe("OK");

    await openNav(tech, "Transfers", "Transfers");
    await tech.getByRole("link", { name: "Record transfer", exact: true }).click();
    await tech.getByRole("heading", { level: 1, name: "Record a transfer" }).waitFor();
    await tech.getByRole("radio", { name: /^Charge a unit/ }).check();
    await tech.getByRole("searchbox", { name: "Search cylinders" }).fill(CYLINDER);
    expect(await chosen(tech, "Cylinder")).toMatch(
      new RegExp(`^${CYLINDER} · ${UNIT.refrigerant} · .* · On my truck$`),
    );
    await tech.getByRole("searchbox", { name: "Search units" }).fill(UNIT.name);
    expect(await chosen(tech, "Unit")).toContain(UNIT.name);
    await tech.getByRole("textbox", { name: /^Pounds\b/ }).fill(CHARGE.pounds);
    await tech.getByRole("textbox", { name: /^Ounces\b/ }).fill(CHARGE.ounces);
    expect(await tech.getByLabel("Date of service", { exact: true }).inputValue()).not.toBe("");
    expect(await sidewaysScroll(tech), "the form scrolls sideways on a phone").toBe(0);
    story.performedAt = new Date();
    await tech.getByRole("button", { name: "Record transfer", exact: true }).click();

    // The answer: pending approval, and the leak rate the EPA formula gives, over the threshold.
    await tech.getByRole("heading", { name: "Transfer recorded", exact: true }).waitFor();
    await shows(tech.getByText("Pending approval", { exact: true }));
    await shows(tech.getByText(`${CYLINDER} — now holds ${lb(story.contentsBefore - CHARGE.lb)}`, { exact: true }));
    const rate = tech.getByRole("region", { name: "Leak rate", exact: true });
    await shows(rate.getByText(PERCENT_TEXT, { exact: true }));
    await shows(rate.getByText(`Over the ${THRESHOLD}% threshold`, { exact: true }));
    await shows(rate.getByText("Approving this charge opens a leak repair for the unit."));
    await rate.getByText("How this was computed", { exact: true }).click();
    await shows(rate.getByText(FORMULA));
    expect(await sidewaysScroll(tech), "the answer scrolls sideways on a phone").toBe(0);

    // Still pending: the unit's badge has not moved yet.
    expect(await listBadge(manager)).toBe("OK");

    // The manager approves it from the queue.
    await openNav(manager, "Transfers", "Transfers");
    const queue = manager.getByRole("region", { name: "Pending approval", exact: true });
    const approve = queue.getByRole("button", {
      name: `Approve transfer: Charge of ${CHARGE.lb} lb ${UNIT.refrigerant} into ${UNIT.name} from ${CYLINDER} by ${TECH.name}`,
      exact: true,
    });
    await approve.click();
    await approve.waitFor({ state: "detached" });

    // The unit is now over its threshold, in the list and on its page, with a repair due 30 days
    // after the day of the charge (comfort cooling) and the numbers the rate was computed from.
    expect(await listBadge(manager)).toBe("Over threshold");
    await manager.getByRole("link", { name: UNIT.name, exact: true }).click();
    await manager.getByRole("heading", { level: 1, name: UNIT.name, exact: true }).waitFor();
    const badges = (await manager.getByTestId("leak-badge").allTextContents()).map((text) => text.trim());
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(["Over threshold"]));
    const current = manager.getByRole("region", { name: "Current leak rate", exact: true });
    await shows(current.getByText(PERCENT_TEXT, { exact: true }));
    await shows(current.getByText(utcDayPlus(story.performedAt, 30), { exact: true }));
    expect(await current.textContent()).toContain(`Repair due ${utcDayPlus(story.performedAt, 30)}`);
    await current.getByText("How this was computed", { exact: true }).click();
    await shows(current.getByText(FORMULA));
    // The history chart and its table carry the new rate.
    const history = manager.getByRole("region", { name: "Leak-rate history", exact: true });
    await shows(history.getByRole("img"));
    await shows(history.getByRole("cell", { name: `${PERCENT_TEXT} (over)`, exact: true }));

    expect(ownErrors, "errors in the manager's browser console").toEqual([]);
  });

  it("takes the charged amount out of the cylinder", async () => {
    const { contentsBefore } = recorded();
    const page = await session.openPage({ viewport: PHONE });
    await login(page, TECH.email);
    expect(await cylinderContents(page, CYLINDER)).toBeCloseTo(contentsBefore - CHARGE.lb, 3);
  });

  it("exports this year's compliance report, the charge included, as CSV and PDF", async () => {
    recorded();
    const page = await session.openPage();
    await login(page, MANAGER);
    await openNav(page, "Compliance", "Compliance");
    await page.getByRole("link", { name: "Compliance report", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Compliance report", exact: true }).waitFor();
    // By default the report covers the current calendar year in the org's time zone.
    const year = new Intl.DateTimeFormat("en-US", { timeZone: "America/Chicago", year: "numeric" }).format(new Date());
    expect(await page.getByLabel(/^From\b/).inputValue()).toBe(`${year}-01-01`);
    expect(await page.getByLabel(/^To\b/).inputValue()).toBe(`${year}-12-31`);

    const csvLink = page.getByRole("link", { name: "Download CSV", exact: true });
    const pdfLink = page.getByRole("link", { name: "Download PDF", exact: true });
    const csvHref = await csvLink.getAttribute("href");
    const pdfHref = await pdfLink.getAttribute("href");
    expect(csvHref).toMatch(new RegExp(`^/api/orgs/${ORG}/reports/compliance\\?.*format=csv`));
    expect(pdfHref).toMatch(new RegExp(`^/api/orgs/${ORG}/reports/compliance\\?.*format=pdf`));

    // The links answer with the page's session (page.request shares its cookies).
    const csv = await page.request.get(csvHref ?? "");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    const [columns = [], ...rows] = parseCsv(await csv.text());
    expect(columns).toEqual(
      expect.arrayContaining(["Appliance", "Added (lb)", "Leak rate (%)", "From cylinder", "Technician"]),
    );
    const charge = rows.find(
      (cells) => cells[columns.indexOf("Appliance")] === UNIT.name && cells[columns.indexOf("Added (lb)")] === "3.25",
    );
    expect(charge, `a CSV row for the ${CHARGE.lb} lb charge into ${UNIT.name}`).toBeDefined();
    expect(charge?.[columns.indexOf("Leak rate (%)")]).toBe(EXPECTED_PERCENT.toFixed(2));
    expect(charge?.[columns.indexOf("From cylinder")]).toBe(CYLINDER);
    expect(charge?.[columns.indexOf("Technician")]).toBe(TECH.name);

    const pdf = await page.request.get(pdfHref ?? "");
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("shows the sales user only the cylinders for sale", async () => {
    const page = await session.openPage({ allowedStatuses: [404] });
    await login(page, "sales@polar.test");
    await openNav(page, "Cylinders", "Cylinders for sale");
    const table = page.getByRole("table", { name: "Cylinders for sale" });
    const tags = (await table.getByRole("rowheader").allInnerTexts()).map((tag) => tag.trim()).sort();
    // The seed's FOR_SALE cylinders of Polar North; not the sold one, not the stock on the trucks.
    expect(tags).toEqual(["PN-C402", "PN-S301", "PN-S302", "PN-S303"]);
    const statuses = table.getByRole("cell").filter({ hasText: /^(For sale|In stock|Assigned|Empty|Sold|Retired)$/ });
    expect((await statuses.allInnerTexts()).map((status) => status.trim())).toEqual(tags.map(() => "For sale"));
    // No filter shows more: asking for the stock on the trucks changes nothing.
    await page.goto(`/o/${ORG}/cylinders?status=ASSIGNED&holder=warehouse`);
    await page.getByRole("heading", { level: 1, name: "Cylinders for sale", exact: true }).waitFor();
    expect((await table.getByRole("rowheader").allInnerTexts()).map((tag) => tag.trim()).sort()).toEqual(tags);
    // A cylinder not for sale is not there, even by its address.
    const response = await page.goto(`/o/${ORG}/cylinders/cyl-north-410a-1`);
    expect(response?.status()).toBe(404);
  });
});
