/**
 * The org switcher re-scopes the whole app: the org is in the URL and every list follows it.
 * Orgs of another company answer "not found". Read-only: the seed is left as it was.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { login, sharedBrowser } from "./browser";

const session = sharedBrowser();
const openPage = (allowedStatuses: number[] = []) => session.openPage({ allowedStatuses });

const switcher = (page: Page) => page.getByRole("combobox", { name: "Organization", exact: true });
/** The org a page is about, as its header says (the small eyebrow over the page title). */
const pageOrg = (page: Page, name: string) => page.locator("main .eyebrow").getByText(name, { exact: true });
const person = (page: Page, name: string) => page.getByRole("rowheader", { name, exact: true });

/** Chooses an org in the switcher (by its label there) and waits until the page shows that org. */
async function switchTo(page: Page, orgName: string, optionLabel = orgName) {
  await switcher(page).selectOption({ label: optionLabel });
  await pageOrg(page, orgName).waitFor();
  await page.getByTestId("app-shell").locator("header").getByText(orgName, { exact: true }).first().waitFor();
}

describe("org switcher", () => {
  it("moves the owner between the company and its sub-orgs, and the data follows", async () => {
    const page = await openPage();
    await login(page, "owner@polar.test");
    // Until the app has hydrated the switcher is a plain form with a Switch button.
    await page.getByRole("button", { name: "Switch", exact: true }).waitFor({ state: "detached" });
    expect(await switcher(page).inputValue()).toBe("org-polar");

    // At the company level the Users tab lists everyone, North and South.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await person(page, "Tess Tech").waitFor();
    await person(page, "Sofia South").waitFor();

    await switchTo(page, "Polar North");
    expect(new URL(page.url()).pathname).toBe("/o/org-polar-north/organization/users");
    expect(await switcher(page).inputValue()).toBe("org-polar-north");
    await person(page, "Tess Tech").waitFor();
    await person(page, "Nora North").waitFor();
    expect(await person(page, "Sofia South").count()).toBe(0);
    expect(await person(page, "Olivia Owner").count()).toBe(0);

    await switchTo(page, "Polar South");
    expect(new URL(page.url()).pathname).toBe("/o/org-polar-south/organization/users");
    expect(await switcher(page).inputValue()).toBe("org-polar-south");
    await person(page, "Sofia South").waitFor();
    await person(page, "Rory Rover").waitFor();
    expect(await person(page, "Tess Tech").count()).toBe(0);
    expect(await person(page, "Nora North").count()).toBe(0);

    // The dashboard is scoped the same way: the branch view of South, then the company overview.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await page.getByText("You are viewing the branch Polar South.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/o/org-polar-south");
    await switchTo(page, "Polar Mechanical", "Polar Mechanical (parent)");
    expect(new URL(page.url()).pathname).toBe("/o/org-polar");
    await page.getByRole("heading", { level: 1, name: "Parent organization dashboard" }).waitFor();
    expect(await page.getByText("You are viewing the branch").count()).toBe(0);
  });

  it("answers not found for an org of another company typed into the URL", async () => {
    const page = await openPage([404]);
    await login(page, "owner@polar.test");

    const response = await page.goto("/o/org-frostline");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "Not found", exact: true }).waitFor();
    const shown = (await page.getByRole("main").allInnerTexts()).join("\n");
    // Nothing of the other company reaches the page, not even in the data sent along with it.
    expect(await page.content()).not.toContain("Frostline Service");

    // Deeper pages too, and exactly as for an org that does not exist: existence does not leak.
    const deep = await page.goto("/o/org-frostline/organization/users");
    expect(deep?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "Not found", exact: true }).waitFor();
    const html = await page.content();
    expect(html).not.toContain("Frostline Service");
    expect(html).not.toContain("Fern Frost");
    const missing = await page.goto("/o/org-does-not-exist");
    expect(missing?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "Not found", exact: true }).waitFor();
    expect((await page.getByRole("main").allInnerTexts()).join("\n")).toBe(shown);
  });
});
