/**
 * What each demo role sees after signing in: its own dashboard, and a main navigation and org
 * switcher offering exactly what the role may use. Read-only: the seed is left as it was.
 */
import { describe, expect, it } from "vitest";
import { login, sharedBrowser, type Viewport } from "./browser";

const PHONE: Viewport = { width: 375, height: 812 };

type RoleCase = {
  who: string;
  email: string;
  /** The org the user lands in: their home org. */
  homeOrgId: string;
  heading: string;
  /** The links of the main navigation, in order. */
  nav: string[];
  /** Whether the org switcher shows, and then the orgs it offers. */
  switcherOrgs: string[] | null;
  viewport?: Viewport;
};

/**
 * The main navigation of each role, from the role table (SPEC §4): staff run everything of their
 * org (the schedule board, jobs, projects…); technicians get My day and their jobs, and work
 * customers, units, cylinders, transfers and leaks, but no schedule board, projects, compliance
 * reports or Organization section; sales see customers and FOR_SALE cylinders only. A new section needs a
 * line here: what each role sees is decided on purpose, never by accident.
 */
const STAFF_NAV = [
  "Dashboard",
  "Schedule",
  "Jobs",
  "Projects",
  "Customers",
  "Units",
  "Cylinders",
  "Transfers",
  "Leaks",
  "Compliance",
  "Organization",
];
/** Admins also read every rep's leads. */
const ADMIN_NAV = [...STAFF_NAV.slice(0, -1), "Leads", "Organization"];

const ROLES: RoleCase[] = [
  {
    who: "the parent org admin (owner)",
    email: "owner@polar.test",
    homeOrgId: "org-polar",
    heading: "Parent organization dashboard",
    nav: ADMIN_NAV,
    switcherOrgs: ["Polar Mechanical (parent)", "Polar North", "Polar South"],
  },
  {
    who: "North's org admin",
    email: "admin.north@polar.test",
    homeOrgId: "org-polar-north",
    heading: "Organization admin dashboard",
    nav: ADMIN_NAV,
    switcherOrgs: null,
  },
  {
    who: "North's manager",
    email: "manager.north@polar.test",
    homeOrgId: "org-polar-north",
    heading: "Manager dashboard",
    nav: STAFF_NAV,
    switcherOrgs: null,
  },
  {
    who: "a technician, on a phone",
    email: "tech1.north@polar.test",
    homeOrgId: "org-polar-north",
    heading: "Technician dashboard",
    nav: ["Dashboard", "My day", "Jobs", "Customers", "Units", "Cylinders", "Transfers", "Leaks"],
    switcherOrgs: null,
    viewport: PHONE,
  },
  {
    who: "the sales user",
    email: "sales@polar.test",
    homeOrgId: "org-polar-north",
    heading: "Sales dashboard",
    nav: ["Dashboard", "Customers", "Cylinders", "Leads"],
    switcherOrgs: null,
  },
  {
    who: "the roving manager (South, with North access)",
    email: "rover@polar.test",
    homeOrgId: "org-polar-south",
    heading: "Manager dashboard",
    nav: STAFF_NAV,
    switcherOrgs: ["Polar North", "Polar South"],
  },
];

const session = sharedBrowser();
const openPage = (viewport?: Viewport, allowedStatuses: number[] = []) =>
  session.openPage({ viewport, allowedStatuses });

describe("roles", () => {
  it.each(ROLES)("$who sees their dashboard and only what the role may use", async (role) => {
    // Field roles are told "no" when they type the Organization URL (403); nothing else may fail.
    const page = await openPage(role.viewport, role.nav.includes("Organization") ? [] : [403]);
    await login(page, role.email);

    await page.getByRole("heading", { level: 1, name: role.heading, exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/o/${role.homeOrgId}`);

    const nav = page.getByRole("navigation", { name: "Main" });
    const links = nav.getByRole("link");
    await links.first().waitFor();
    expect((await links.allInnerTexts()).map((text) => text.trim())).toEqual(role.nav);
    for (const link of await links.all()) expect(await link.isVisible()).toBe(true);

    const switcher = page.getByRole("combobox", { name: "Organization", exact: true });
    if (role.switcherOrgs) {
      await switcher.waitFor();
      const options = (await switcher.getByRole("option").allTextContents()).map((text) => text.trim());
      expect(options.sort()).toEqual([...role.switcherOrgs].sort());
      expect(await switcher.inputValue()).toBe(role.homeOrgId);
    } else {
      expect(await switcher.count()).toBe(0);
    }

    if (role.viewport) {
      // On a phone the page fits the screen: nothing to scroll sideways to.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }

    if (role.nav.includes("Organization")) {
      // The link leads to a page of the section, not to an error.
      await nav.getByRole("link", { name: "Organization", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Organization", exact: true }).waitFor();
      await page.getByRole("navigation", { name: "Organization" }).getByRole("link").first().waitFor();
    } else {
      // Hiding the link is not the only guard: the section's URL is refused.
      const response = await page.goto(`/o/${role.homeOrgId}/organization`);
      expect(response?.status()).toBe(403);
      await page.getByRole("heading", { name: "Not allowed", exact: true }).waitFor();
      expect(await page.getByRole("navigation", { name: "Organization" }).getByRole("link").count()).toBe(0);
    }
  });
});
