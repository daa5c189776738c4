/**
 * Field operations, live (issue 4): three people in three browsers — two managers on Polar North's
 * schedule board (desktop) and Tess the technician on her phone's My day. Manager A assigns a tray
 * job to Tess by picking; Tess's phone shows it, with a notice, and manager B's board shows it,
 * without a reload and within a second and a half of the write's answer. Tess starts it; both
 * boards turn it "In progress". Then manager A drags another tray job onto Theo's row.
 *
 * It writes to the seed: two tray jobs no other test uses (db/seed-field.ts DEMO_TRAY_JOBS) get
 * today's appointments, and one of them is started.
 */
import type { Page, Response } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_TRAY_JOBS } from "../../db/seed-field";
import { DESKTOP, type E2EBrowser, launchBrowser, login, type Viewport, watchErrors } from "./browser";

const PHONE: Viewport = { width: 375, height: 812 };
const ORG = "org-polar-north";
const TESS = { id: "user-tech1-north", email: "tech1.north@polar.test", name: "Tess Tech" };
const THEO = { id: "user-tech2-north", name: "Theo Tech" };
const PICKED = { id: DEMO_TRAY_JOBS.pick, label: "J-1012" };
const DRAGGED = { id: DEMO_TRAY_JOBS.drag, label: "J-1010" };
/** How long a change may take to reach another screen, from the write's answer. */
const LIVE_MS = 1500;

const browsers: E2EBrowser[] = [];
let pageErrors: string[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((browser) => browser.close()));
  const errors = pageErrors;
  pageErrors = [];
  expect(errors, "errors in the browser console").toEqual([]);
});

/** A signed-in page in a browser of its own (its own session). */
async function signedIn(email: string, viewport: Viewport) {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.newPage({ viewport });
  watchErrors(page, pageErrors, [], `${email}: `);
  await login(page, email);
  return page;
}

async function openBoard(page: Page) {
  await page.goto(`/o/${ORG}/schedule`);
  await page.getByRole("heading", { level: 1, name: "Schedule", exact: true }).waitFor();
  await live(page);
}

async function live(page: Page) {
  await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
  // Marks this document: a reload would lose the mark.
  await page.evaluate(() => {
    (window as unknown as { e2eNoReload?: boolean }).e2eNoReload = true;
  });
}

const notReloaded = (page: Page) =>
  page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload === true);

/** The board's block for a job in a technician's row. */
const block = (page: Page, technicianId: string, label: string) =>
  page
    .locator(`[data-technician-id="${technicianId}"]`)
    .locator("button[data-appointment-id]")
    .filter({ hasText: label });

const trayJob = (page: Page, jobId: string) => page.locator(`[data-job-id="${jobId}"]`);

const postTo = (path: string) => (response: Response) =>
  response.request().method() === "POST" && new URL(response.url()).pathname.startsWith(path);

/** Waits for `locator`-like conditions against one deadline measured from `since`. */
async function within(since: number, what: string, check: () => Promise<unknown>) {
  await check();
  const elapsed = Date.now() - since;
  expect(elapsed, `${what} took ${elapsed} ms`).toBeLessThanOrEqual(LIVE_MS);
}

describe("field operations, live", () => {
  it("a manager's assignment reaches the technician's phone and the other manager's board at once; her start reaches both boards", async () => {
    const [managerA, managerB, tech] = await Promise.all([
      signedIn("manager.north@polar.test", DESKTOP),
      signedIn("admin.north@polar.test", DESKTOP),
      signedIn(TESS.email, PHONE),
    ]);
    await Promise.all([openBoard(managerA), openBoard(managerB)]);
    await tech.goto(`/o/${ORG}/my-day`);
    await tech.getByRole("heading", { level: 1, name: "My day", exact: true }).waitFor();
    await live(tech);

    // The job waits in the tray on both boards; Tess does not have it.
    for (const page of [managerA, managerB]) await trayJob(page, PICKED.id).waitFor();
    const card = tech.locator("li[data-appointment-id]").filter({ hasText: PICKED.label });
    expect(await card.count()).toBe(0);

    // Manager A assigns it to Tess by picking: the dialog, keyboard-reachable.
    await managerA.getByRole("button", { name: `Assign ${PICKED.label}`, exact: true }).click();
    const dialog = managerA.getByRole("dialog", { name: "Schedule a job" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Job", { exact: true }).inputValue()).toBe(PICKED.id);
    await dialog.getByRole("checkbox", { name: new RegExp(TESS.name) }).check();
    await dialog.getByLabel("Start time").fill("17:00");
    await dialog.getByLabel("Duration").selectOption("90");
    const [answer] = await Promise.all([
      managerA.waitForResponse(postTo(`/o/${ORG}/schedule`)),
      dialog.getByRole("button", { name: "Assign", exact: true }).click(),
    ]);
    expect(answer.status()).toBe(200);
    const assignedAt = Date.now();

    // Tess's phone: the card and an announced notice, no reload.
    await within(assignedAt, "the technician's card", () => card.waitFor({ timeout: LIVE_MS }));
    const notice = tech.getByRole("status").filter({ hasText: `New assignment: ${PICKED.label}` });
    await notice.waitFor({ timeout: LIVE_MS });
    expect(await notice.textContent()).toContain("5:00 PM");
    expect(await card.textContent()).toContain("New");
    expect(await card.textContent()).toContain("5:00 PM – 6:30 PM");
    // Manager B's board: the block in Tess's row, the job out of the tray.
    await within(assignedAt, "the other manager's board", () =>
      block(managerB, TESS.id, PICKED.label).waitFor({ timeout: LIVE_MS }),
    );
    await trayJob(managerB, PICKED.id).waitFor({ state: "detached", timeout: LIVE_MS });
    // Manager A sees what happened, and the block.
    await managerA
      .getByRole("status")
      .filter({ hasText: `${PICKED.label} assigned to ${TESS.name}` })
      .waitFor();
    await block(managerA, TESS.id, PICKED.label).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    // The quick buttons: the job's unit, her cylinders, the job.
    expect(await card.getByRole("link", { name: /Shop RTU/ }).getAttribute("href")).toBe(
      `/o/${ORG}/units/unit-north-shop-rtu`,
    );
    expect(await card.getByRole("link", { name: "My cylinders" }).getAttribute("href")).toBe(
      `/o/${ORG}/cylinders?holder=me`,
    );
    expect(await card.getByRole("link", { name: `Job ${PICKED.label}` }).getAttribute("href")).toBe(
      `/o/${ORG}/jobs/${PICKED.id}`,
    );

    // Tess starts it: both boards show it in progress, without a reload.
    const [started] = await Promise.all([
      tech.waitForResponse(postTo(`/o/${ORG}/my-day`)),
      card.getByRole("button", { name: "Start job" }).click(),
    ]);
    expect(started.status()).toBe(200);
    const startedAt = Date.now();
    for (const [who, page] of [
      ["manager A", managerA],
      ["manager B", managerB],
    ] as const) {
      await within(startedAt, `${who}'s board`, () =>
        block(page, TESS.id, PICKED.label).filter({ hasText: "In progress" }).waitFor({ timeout: LIVE_MS }),
      );
    }
    await card.getByRole("button", { name: "Complete" }).waitFor();
    expect(await card.textContent()).toContain("In progress");

    // Completing asks whether the job is finished.
    await card.getByRole("button", { name: "Complete" }).click();
    await card.getByText("Is the job finished?").waitFor();
    await card.getByRole("button", { name: "Not yet" }).click();

    for (const page of [managerA, managerB, tech]) expect(await notReloaded(page)).toBe(true);
  });

  it("assigns a tray job by dragging it onto a technician's row, and the other board follows", async () => {
    const [managerA, managerB] = await Promise.all([
      signedIn("manager.north@polar.test", DESKTOP),
      signedIn("admin.north@polar.test", DESKTOP),
    ]);
    await Promise.all([openBoard(managerA), openBoard(managerB)]);
    const source = trayJob(managerA, DRAGGED.id);
    await source.waitFor();
    const track = managerA.getByTestId(`track-${THEO.id}`);
    const box = await track.boundingBox();
    if (!box) throw new Error("Theo's row is not on screen");

    const [answer] = await Promise.all([
      managerA.waitForResponse(postTo(`/o/${ORG}/schedule`)),
      source.dragTo(track, { targetPosition: { x: box.width * 0.8, y: box.height / 2 } }),
    ]);
    expect(answer.status()).toBe(200);
    const droppedAt = Date.now();

    await block(managerA, THEO.id, DRAGGED.label).waitFor({ timeout: LIVE_MS });
    await managerA
      .getByRole("status")
      .filter({ hasText: `${DRAGGED.label} assigned to ${THEO.name}` })
      .waitFor();
    await within(droppedAt, "the other manager's board", () =>
      block(managerB, THEO.id, DRAGGED.label).waitFor({ timeout: LIVE_MS }),
    );
    await trayJob(managerB, DRAGGED.id).waitFor({ state: "detached", timeout: LIVE_MS });
    expect(await notReloaded(managerB)).toBe(true);
  });
});
