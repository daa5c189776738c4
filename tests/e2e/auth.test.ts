/**
 * Signing up, out and in through the real forms. Every test signs up its own company with a
 * fresh email, so the seeded demo accounts are never touched.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appShell, sharedBrowser } from "./browser";

const PASSWORD = "correct horse battery";
const LOGIN_HEADING = "Sign in to RefriTrak";

const session = sharedBrowser();
const openPage = (allowedStatuses: number[] = []) => session.openPage({ allowedStatuses });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Signs up a brand-new company through the form; answers its details once its dashboard shows. */
async function signUp(page: Page) {
  const id = unique();
  const account = { name: `Ada Founder ${id}`, email: `founder-${id}@e2e.test`, company: `Coldline ${id}` };
  await page.goto("/signup");
  await page.getByLabel("Your name", { exact: true }).fill(account.name);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Company name", { exact: true }).fill(account.company);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Parent organization dashboard" }).waitFor();
  return { ...account, dashboardPath: new URL(page.url()).pathname };
}

async function logOut(page: Page) {
  await page.getByTestId("app-shell").locator("summary").click();
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: LOGIN_HEADING }).waitFor();
}

async function submitLogin(page: Page, email: string, password: string) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

describe("auth", () => {
  it("signs up a new company and lands on its parent organization dashboard", async () => {
    const page = await openPage();
    const account = await signUp(page);

    expect(account.dashboardPath).toMatch(/^\/o\/[^/]+$/);
    const shell = page.getByTestId("app-shell");
    // The company is named in the top bar and over the dashboard heading.
    await shell.locator("header").getByText(account.company, { exact: true }).filter({ visible: true }).waitFor();
    await shell.locator("main").getByText(account.company, { exact: true }).first().waitFor();
    expect(await page.title()).toContain(account.company);
    // The founder is its administrator: the Organization section is theirs.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).waitFor();
  });

  it("logs out back to the login page, after which the dashboard sends to login", async () => {
    const page = await openPage();
    const account = await signUp(page);

    await logOut(page);
    expect(new URL(page.url()).pathname).toBe("/login");

    // The session is gone on the server, not just hidden: a fresh request for the dashboard
    // answers the login page, which offers to come back to the dashboard.
    const response = await page.goto(account.dashboardPath);
    expect(response?.ok()).toBe(true);
    await page.getByRole("heading", { level: 1, name: LOGIN_HEADING }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("redirectTo")).toBe(account.dashboardPath);
    expect(await appShell(page).count()).toBe(0);
  });

  it("rejects a wrong password with a clear message, then signs in with the right one", async () => {
    const page = await openPage([401]);
    const account = await signUp(page);
    await logOut(page);
    await page.goto(account.dashboardPath);
    await page.getByRole("heading", { level: 1, name: LOGIN_HEADING }).waitFor();

    await submitLogin(page, account.email, "not-the-password");
    const alert = page.getByRole("alert").filter({ hasText: "Email or password is incorrect." });
    await alert.waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.getByTestId("app-shell").count()).toBe(0);

    // The right password goes back to the page that asked for a sign-in.
    await submitLogin(page, account.email, PASSWORD);
    await page.getByRole("heading", { level: 1, name: "Parent organization dashboard" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(account.dashboardPath);
  });
});
