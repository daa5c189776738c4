/**
 * The owner's multi-org dashboard in a real browser: every branch side by side with the company
 * total, live (a job added in Polar South shows up without a reload, and leaves again when
 * deleted, so the seed ends as it was), and a tile opens its branch (URL and switcher follow).
 */
import { type Page, request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, login, MOBILE, sharedBrowser } from "./browser";

const session = sharedBrowser();

const switcher = (page: Page) => page.getByRole("combobox", { name: "Organization", exact: true });
const tile = (page: Page, name: string) =>
  page.locator("li.an-tile").filter({ has: page.locator(".card-title").getByText(name, { exact: true }) });
/** A figure of a tile, by its label (e.g. "Open jobs"). */
const figure = (page: Page, org: string, label: string) =>
  tile(page, org)
    .locator("div")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd");

async function openDashboard(page: Page) {
  await login(page, "owner@polar.test");
  await page.getByRole("heading", { level: 2, name: "Organizations side by side" }).waitFor();
  // Hydrated: the switcher's no-JS Switch button is gone.
  await page.getByRole("button", { name: "Switch", exact: true }).waitFor({ state: "detached" });
}

describe("multi-org dashboard", () => {
  it("shows every branch side by side with the company total and charts", async () => {
    const page = await session.openPage();
    await openDashboard(page);
    for (const name of ["Polar Mechanical", "Polar North", "Polar South"]) {
      expect(await tile(page, name).count()).toBe(1);
    }
    expect(await page.locator("li.an-tile").count()).toBe(3);
    // Another company's branch is never on it.
    expect(await page.content()).not.toContain("Frostline");
    await page.getByRole("heading", { level: 2, name: "Across the company", exact: true }).waitFor();
    for (const title of [
      "Jobs by status, per organization",
      "Refrigerant this month, by refrigerant (lb)",
      "CO2e this month, per organization (tonnes)",
    ]) {
      await page.getByRole("heading", { level: 3, name: title, exact: true }).waitFor();
    }
    // The total's open jobs is the branches' sum.
    const open = async (org: string) => Number(await figure(page, org, "Open jobs").textContent());
    const total = Number(
      await page.locator(".an-stats .stat").filter({ hasText: "Open jobs" }).locator(".stat-value").textContent(),
    );
    expect(total).toBe((await open("Polar Mechanical")) + (await open("Polar North")) + (await open("Polar South")));
  });

  it("follows a branch live: a job added in Polar South counts at once, and leaves when deleted", async () => {
    const page = await session.openPage();
    await openDashboard(page);
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
    const southOpenJobs = async () => Number(await figure(page, "Polar South", "Open jobs").textContent());
    const before = await southOpenJobs();

    // Polar South's org admin, in a session of their own, adds a job through the API.
    const baseUrl = session.browser.baseUrl;
    const admin = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { Origin: baseUrl } });
    try {
      const signedIn = await admin.post("/api/auth/login", {
        data: { email: "admin.south@polar.test", password: DEMO_PASSWORD },
      });
      expect(signedIn.status()).toBe(200);
      const { locations } = await (await admin.get("/api/orgs/org-polar-south/locations")).json();
      const location = locations[0];
      const created = await admin.post("/api/orgs/org-polar-south/jobs", {
        data: { customerId: location.customer.id, locationId: location.id, description: "Dashboard live check" },
      });
      expect(created.status()).toBe(201);
      const job = await created.json();
      try {
        await expect.poll(southOpenJobs, { timeout: 10_000 }).toBe(before + 1);
      } finally {
        const removed = await admin.delete(`/api/orgs/org-polar-south/jobs/${job.id}`);
        expect(removed.status()).toBeLessThan(300);
      }
      await expect.poll(southOpenJobs, { timeout: 10_000 }).toBe(before);
    } finally {
      await admin.dispose();
    }
  });

  it("opens a branch from its tile: the URL and the switcher change (on a phone too)", async () => {
    const page = await session.openPage({ viewport: MOBILE });
    await openDashboard(page);
    expect(await switcher(page).inputValue()).toBe("org-polar");
    await page.getByRole("link", { name: "Open Polar North", exact: true }).click();
    await page.locator("main .eyebrow").getByText("Polar North", { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/o/org-polar-north");
    expect(await switcher(page).inputValue()).toBe("org-polar-north");
    // Inside the branch: that branch's figures only.
    await page.getByRole("heading", { level: 2, name: "This organization at a glance", exact: true }).waitFor();
    expect(await page.locator("li.an-tile").count()).toBe(0);
  });
});
