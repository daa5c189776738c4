/**
 * Browser helpers for e2e tests: Debian's chromium driven by playwright-core (Playwright's own
 * browser download does not work on these machines). One persistent context per `launchBrowser()`,
 * rooted at a temp profile dir that `close()` removes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed";

export { DEMO_PASSWORD };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Viewport = { width: number; height: number };
export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const MOBILE: Viewport = { width: 390, height: 844 };

export interface E2EBrowser {
  context: BrowserContext;
  baseUrl: string;
  /** A new tab; relative URLs in `page.goto` resolve against the e2e server. */
  newPage(options?: { viewport?: Viewport }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: { baseUrl?: string } = {}): Promise<E2EBrowser> {
  const baseUrl = options.baseUrl ?? inject("baseUrl");
  const profileDir = mkdtempSync(join(tmpdir(), "refritrak-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL: baseUrl,
      viewport: DESKTOP,
      timeout: 30_000,
    });
  } catch (error) {
    rmSync(profileDir, { recursive: true, force: true });
    throw new Error(
      `Could not launch chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\` ` +
        `or set CHROMIUM_PATH): ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  let closed = false;
  return {
    context,
    baseUrl,
    async newPage({ viewport = DESKTOP } = {}) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** The app shell every signed-in page renders. */
export function appShell(page: Page) {
  return page.getByRole("navigation").or(page.getByTestId("app-shell")).first();
}

/** Signs in through the login form and waits for the app shell. */
export async function login(page: Page, email: string, password: string = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await appShell(page).waitFor({ state: "visible" });
}

export type PageOptions = { viewport?: Viewport; allowedStatuses?: number[] };

/**
 * One browser for a test file: launched before the tests, pages closed and cookies cleared after
 * each test, closed at the end. Pages from `openPage` fail the test on any uncaught error or
 * console error, except the HTTP statuses a test expects (e.g. a 404 page).
 */
export function sharedBrowser() {
  let browser: E2EBrowser | undefined;
  let pageErrors: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    if (browser) {
      for (const page of browser.context.pages()) await page.close();
      await browser.context.clearCookies();
    }
    const errors = pageErrors;
    pageErrors = [];
    expect(errors, "errors in the browser console").toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const current = () => {
    if (!browser) throw new Error("the browser is not running yet");
    return browser;
  };
  return {
    get browser() {
      return current();
    },
    async openPage({ viewport, allowedStatuses = [] }: PageOptions = {}) {
      const page = await current().newPage(viewport ? { viewport } : undefined);
      watchErrors(page, pageErrors, allowedStatuses);
      return page;
    },
  };
}

/** Collects a page's uncaught errors and console errors into `sink`, prefixed with `label`. */
export function watchErrors(page: Page, sink: string[], allowedStatuses: number[] = [], label = "") {
  page.on("pageerror", (error) => sink.push(`${label}${String(error)}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (allowedStatuses.some((status) => text.includes(`status of ${status}`))) return;
    sink.push(`${label}${text} (${message.location().url})`);
  });
}
