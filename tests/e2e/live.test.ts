/**
 * Live updates between two people: two browsers (two sessions) on Polar North's Users tab; what
 * one does shows up on the other's screen without a reload. The invited user is fresh, so the
 * seed is left as it was.
 */
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { type E2EBrowser, launchBrowser, login, watchErrors } from "./browser";

const browsers: E2EBrowser[] = [];
let pageErrors: string[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((browser) => browser.close()));
  const errors = pageErrors;
  pageErrors = [];
  expect(errors, "errors in the browser console").toEqual([]);
});

/** A signed-in page in a browser of its own (its own cookies: its own session). */
async function signedIn(email: string) {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.newPage();
  watchErrors(page, pageErrors, [], `${email}: `);
  await login(page, email);
  return page;
}

const liveStatus = (page: Page) => page.getByTestId("live-status");
const userRow = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });

async function openNorthUsers(page: Page) {
  await page.goto("/o/org-polar-north/organization/users");
  await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
}

describe("live updates", () => {
  it("shows a user the owner invites on the org admin's open Users tab, without a reload", async () => {
    const [owner, admin] = await Promise.all([signedIn("owner@polar.test"), signedIn("admin.north@polar.test")]);
    await Promise.all([openNorthUsers(owner), openNorthUsers(admin)]);

    // Both pages are connected to North's room, and say so.
    for (const page of [owner, admin]) {
      await liveStatus(page).and(page.locator('[data-state="live"]')).waitFor();
      expect((await liveStatus(page).textContent())?.trim()).toBe("Live");
    }
    // Marks this document: a reload would lose the mark.
    await admin.evaluate(() => {
      (window as unknown as { e2eNoReload?: boolean }).e2eNoReload = true;
    });

    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const newcomer = { name: `Lara Live ${id}`, email: `lara.live-${id}@e2e.test` };
    expect(await userRow(admin, newcomer.name).count()).toBe(0);

    await owner.getByRole("link", { name: "Add user", exact: true }).click();
    await owner.getByRole("heading", { name: "Add user", exact: true }).waitFor();
    await owner.getByLabel("Name", { exact: true }).fill(newcomer.name);
    await owner.getByLabel("Email", { exact: true }).fill(newcomer.email);
    await owner.getByRole("combobox", { name: "Role", exact: true }).selectOption({ label: "Technician" });
    await owner.getByRole("button", { name: "Send invitation", exact: true }).click();
    await owner
      .getByRole("status")
      .filter({ hasText: `Invitation created for ${newcomer.name}` })
      .waitFor();

    // The admin did nothing: the row arrives over the live connection.
    const row = userRow(admin, newcomer.name);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByRole("cell").allInnerTexts()).toEqual(
      expect.arrayContaining([newcomer.email, "Technician", "Active"]),
    );
    expect(await admin.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);
    expect((await liveStatus(admin).textContent())?.trim()).toBe("Live");
  });
});
