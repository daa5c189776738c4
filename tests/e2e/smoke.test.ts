import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type E2EBrowser, launchBrowser } from "./browser";

describe("smoke", () => {
  let browser: E2EBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("sends an anonymous visitor from / to the login page", async () => {
    // The server answers with a redirect, not a client-side hop.
    const response = await fetch(`${inject("baseUrl")}/`, { redirect: "manual" });
    await response.arrayBuffer();
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(new URL(response.headers.get("location") ?? "", inject("baseUrl")).pathname).toBe("/login");

    const page = await browser.newPage();
    const visit = await page.goto("/");
    expect(visit?.ok()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/login");
    const heading = page.getByRole("heading", { level: 1 });
    await heading.waitFor({ state: "visible" });
    expect((await heading.textContent())?.trim()).toMatch(/sign in/i);
  });
});
