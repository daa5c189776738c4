/**
 * The Organization → Users tab as each manager of people uses it: who may be given which role,
 * inviting, changing a role, deactivating. Tests that write invite their own fresh users, so the
 * seeded people are never changed.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { login, sharedBrowser } from "./browser";

const session = sharedBrowser();
const openPage = () => session.openPage();

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A person nobody has seen before, so tests never depend on (or change) the seed or each other. */
function freshPerson(label: string) {
  const id = unique();
  return { name: `${label} ${id}`, email: `${label.toLowerCase().replace(/\W+/g, ".")}-${id}@e2e.test` };
}

/** The users table's row of one person (their name is the row header). */
const userRow = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });

const roleSelect = (page: Page) => page.getByRole("combobox", { name: "Role", exact: true });

/** The choices a select offers (its disabled placeholder aside). */
async function choices(page: Page) {
  const select = roleSelect(page);
  await select.waitFor();
  const options = await select.locator("option:not([disabled])").allTextContents();
  return options.map((text) => text.trim());
}

async function openUsersTab(page: Page, orgId: string) {
  await page.goto(`/o/${orgId}/organization/users`);
  await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
}

/** Opens a row's "⋮" menu and picks an entry. */
async function rowAction(page: Page, name: string, action: "Edit User" | "Deactivate") {
  await page.getByRole("button", { name: `Actions for ${name}`, exact: true }).click();
  await page
    .getByRole("menu", { name: `Actions for ${name}` })
    .getByRole("menuitem", { name: action })
    .click();
}

/** Closes the Add user panel with its Done link; waits until the list stands alone again. */
async function closeAddPanel(page: Page) {
  await page.getByRole("link", { name: "Done", exact: true }).click();
  await page.getByRole("heading", { name: "Add user", exact: true }).waitFor({ state: "detached" });
}

/** Invites someone through Add user; answers the invitation link the page shows. */
async function invite(page: Page, person: { name: string; email: string }, role: string) {
  const panel = page.getByRole("heading", { name: "Add user", exact: true });
  if ((await panel.count()) === 0) await page.getByRole("link", { name: "Add user", exact: true }).click();
  await panel.waitFor();
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await roleSelect(page).selectOption({ label: role });
  await page.getByRole("button", { name: "Send invitation", exact: true }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `Invitation created for ${person.name} (${person.email})` })
    .waitFor();
  return page.getByLabel("Invitation link", { exact: true }).inputValue();
}

describe("users tab", () => {
  it("lets a manager give a technician only the Technician role", async () => {
    const page = await openPage();
    await login(page, "manager.north@polar.test");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();

    await rowAction(page, "Tess Tech", "Edit User");
    await page.getByRole("heading", { name: "Edit Tess Tech", exact: true }).waitFor();
    expect(await choices(page)).toEqual(["Technician"]);
    expect(await roleSelect(page).inputValue()).toBe("TECHNICIAN");

    // People above a manager's reach (and the manager themself) have no actions at all.
    await userRow(page, "Nora North").waitFor();
    for (const name of ["Nora North", "Sam Sales", "Miles Manager"]) {
      expect(await page.getByRole("button", { name: `Actions for ${name}`, exact: true }).count()).toBe(0);
    }
    // A manager's invitations are for technicians only, too.
    await page.getByRole("link", { name: "Cancel", exact: true }).click();
    await page.getByRole("heading", { name: "Edit Tess Tech", exact: true }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Add user", exact: true }).click();
    await page.getByRole("heading", { name: "Add user", exact: true }).waitFor();
    expect(await choices(page)).toEqual(["Technician"]);
  });

  it("lets an org admin invite a new user and hands over a working invitation link", async () => {
    const page = await openPage();
    await login(page, "admin.north@polar.test");
    await openUsersTab(page, "org-polar-north");
    const newcomer = freshPerson("Ivy Invitee");

    await page.getByRole("link", { name: "Add user", exact: true }).click();
    await page.getByRole("heading", { name: "Add user", exact: true }).waitFor();
    expect(await choices(page)).toEqual(["Manager", "Technician", "Sales"]);
    const link = await invite(page, newcomer, "Sales");
    expect(link).toMatch(new RegExp(`^${session.browser.baseUrl}/invite/[A-Za-z0-9_-]{20,}$`));

    // The invitee is on the list right away, never signed in yet.
    const row = userRow(page, newcomer.name);
    await row.waitFor();
    expect(await row.getByRole("cell").allInnerTexts()).toEqual(
      expect.arrayContaining([newcomer.email, "Sales", "Active", "Never"]),
    );

    // The link opens the invitation for this person in this org.
    const invitation = await session.browser.newPage();
    await invitation.goto(link);
    await invitation.getByRole("heading", { level: 1, name: "Join Polar North", exact: true }).waitFor();
    expect(await invitation.getByText(newcomer.email, { exact: true }).count()).toBeGreaterThan(0);
  });

  it("keeps the invitation on screen when its own live event arrives while the page reloads", async () => {
    const page = await openPage();
    await login(page, "owner@polar.test");
    await openUsersTab(page, "org-polar-north");
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
    // A slow network: the reload after the invitation takes a while, so the room's "user created"
    // event (the invitation's own) arrives, and its revalidation comes due, while it is under way.
    await page.route(/\.data(\?|$)/, async (route) => {
      if (route.request().method() === "GET") await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    const person = freshPerson("Slow Network");
    await invite(page, person, "Sales");
    await userRow(page, person.name).waitFor();
    // Long enough for a revalidation the event might still start (120 ms later, 800 ms slow) to end.
    await page.waitForTimeout(2500);
    // The answer is still there, link and all, until the manager closes it.
    expect(
      await page
        .getByRole("status")
        .filter({ hasText: `Invitation created for ${person.name}` })
        .count(),
    ).toBe(1);
    expect(await page.getByLabel("Invitation link", { exact: true }).inputValue()).toContain("/invite/");
    await closeAddPanel(page);
  });

  it("lets the owner change a user's role, and the list shows the new role", async () => {
    const page = await openPage();
    await login(page, "owner@polar.test");
    await openUsersTab(page, "org-polar-north");
    const promoted = freshPerson("Rita Role");
    await invite(page, promoted, "Technician");
    await closeAddPanel(page);
    const row = userRow(page, promoted.name);
    await row.getByText("Technician", { exact: true }).waitFor();

    await rowAction(page, promoted.name, "Edit User");
    await page.getByRole("heading", { name: `Edit ${promoted.name}`, exact: true }).waitFor();
    expect(await choices(page)).toEqual(["Org admin", "Manager", "Technician", "Sales"]);
    await roleSelect(page).selectOption({ label: "Manager" });
    await page.getByRole("button", { name: "Save Changes", exact: true }).click();

    await page.getByRole("status").getByText(`Saved changes to ${promoted.name}.`).waitFor();
    await row.getByText("Manager", { exact: true }).waitFor();
    expect(await row.getByText("Technician", { exact: true }).count()).toBe(0);
    // Saved on the server, not only on screen.
    await page.reload();
    await row.getByText("Manager", { exact: true }).waitFor();
  });

  it("asks before deactivating a user, then shows them as deactivated", async () => {
    const page = await openPage();
    await login(page, "admin.north@polar.test");
    await openUsersTab(page, "org-polar-north");
    const leaver = freshPerson("Lee Leaver");
    await invite(page, leaver, "Technician");
    await closeAddPanel(page);
    const row = userRow(page, leaver.name);
    await row.getByText("Active", { exact: true }).waitFor();

    // The menu entry only asks; cancelling changes nothing.
    const confirmation = page.getByRole("heading", { name: `Deactivate ${leaver.name}?`, exact: true });
    await rowAction(page, leaver.name, "Deactivate");
    await confirmation.waitFor();
    expect(await row.getByText("Active", { exact: true }).count()).toBe(1);
    await page.getByRole("link", { name: "Cancel", exact: true }).click();
    await confirmation.waitFor({ state: "detached" });
    expect(await row.getByText("Active", { exact: true }).count()).toBe(1);

    await rowAction(page, leaver.name, "Deactivate");
    await confirmation.waitFor();
    await page.getByRole("button", { name: "Deactivate", exact: true }).click();

    await page.getByRole("status").getByText(`${leaver.name} was deactivated and signed out everywhere.`).waitFor();
    await row.getByText("Deactivated", { exact: true }).waitFor();
    expect(await row.getByText("Active", { exact: true }).count()).toBe(0);
    // Nothing left to deactivate: the menu offers editing only.
    await page.getByRole("button", { name: `Actions for ${leaver.name}`, exact: true }).click();
    const menu = page.getByRole("menu", { name: `Actions for ${leaver.name}` });
    await menu.getByRole("menuitem", { name: "Edit User" }).waitFor();
    expect(await menu.getByRole("menuitem", { name: "Deactivate" }).count()).toBe(0);
  });
});
