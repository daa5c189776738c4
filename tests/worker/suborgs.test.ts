import { describe, expect, it } from "vitest";
import { customers, jobs, locations, transfers } from "../../db/schema";
import { DEFAULT_EPA_CONFIG } from "../../worker/orgs/epa";
import { api, createOrg, createTree, createUser, postForm, signIn, type Tree, testDb } from "./helpers";
import { auditOf, expectError, orgsSnapshot, sqlAll } from "./support";

const patchOrg = async (orgId: string, cookie: string, body: unknown) =>
  api(`/api/orgs/${orgId}`, { method: "PATCH", cookie, body });

const settingsOf = async (orgId: string) => {
  const [row] = await sqlAll(
    "SELECT time_zone, epa_config, brand_color, overridden_settings, address_state, address_zip FROM organizations WHERE id = ?",
    orgId,
  );
  if (!row) throw new Error(`no org ${orgId}`);
  return {
    timeZone: row.time_zone as string,
    epaConfig: JSON.parse(row.epa_config),
    brandColor: row.brand_color as string | null,
    overriddenSettings: JSON.parse(row.overridden_settings) as string[],
    addressState: row.address_state,
    addressZip: row.address_zip,
  };
};

const STRICT_EPA = { ...DEFAULT_EPA_CONFIG, coverageThresholdLb: 5, alertAtPercentOfThreshold: 70 };
const treeIds = (t: Tree) => [t.parent.id, t.subA.id, t.subB.id];

describe("inherited settings", () => {
  it("copies a parent's change down to every sub-org not overriding it, audited in each", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const res = await patchOrg(t.parent.id, cookie, { timeZone: "America/Chicago", epaConfig: STRICT_EPA });
    expect(res.status).toBe(200);
    for (const sub of [t.subA, t.subB]) {
      expect(await settingsOf(sub.id)).toMatchObject({
        timeZone: "America/Chicago",
        epaConfig: STRICT_EPA,
        overriddenSettings: [],
      });
      const entries = await auditOf(sub.id);
      expect(entries).toEqual([
        expect.objectContaining({
          orgId: sub.id,
          action: "org.update",
          actorId: t.users.PARENT_ORG_ADMIN.id,
          before: { timeZone: "America/New_York", epaConfig: DEFAULT_EPA_CONFIG, inheritedFrom: t.parent.id },
          after: { timeZone: "America/Chicago", epaConfig: STRICT_EPA, inheritedFrom: t.parent.id },
        }),
      ]);
    }
    // A member of the branch sees the inherited values through the API.
    const seen = await api(`/api/orgs/${t.subA.id}`, { cookie: await signIn(t.users.TECHNICIAN.id) });
    expect(seen.body).toMatchObject({ timeZone: "America/Chicago", epaConfig: STRICT_EPA, overriddenSettings: [] });
  });

  it("a sub-org's own value overrides: the parent's next change leaves it, reaches the others", async () => {
    const t = await createTree();
    const admin = await signIn(t.users.ORG_ADMIN.id);
    const own = await patchOrg(t.subA.id, admin, { timeZone: "America/Denver" });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ timeZone: "America/Denver", overriddenSettings: ["timeZone"] });

    const parent = await signIn(t.users.PARENT_ORG_ADMIN.id);
    expect((await patchOrg(t.parent.id, parent, { timeZone: "America/Los_Angeles" })).status).toBe(200);
    expect(await settingsOf(t.subA.id)).toMatchObject({ timeZone: "America/Denver", overriddenSettings: ["timeZone"] });
    expect(await settingsOf(t.subB.id)).toMatchObject({ timeZone: "America/Los_Angeles", overriddenSettings: [] });
    // The override is per setting: EPA config still follows the parent.
    expect((await patchOrg(t.parent.id, parent, { epaConfig: STRICT_EPA })).status).toBe(200);
    expect((await settingsOf(t.subA.id)).epaConfig).toEqual(STRICT_EPA);
  });

  it("saving a sub-org's form unchanged overrides nothing (only a new value does)", async () => {
    const t = await createTree();
    const admin = await signIn(t.users.ORG_ADMIN.id);
    const res = await patchOrg(t.subA.id, admin, {
      name: "Renamed Branch",
      timeZone: t.subA.timeZone,
      // Same config, other key order.
      epaConfig: Object.fromEntries(Object.entries(DEFAULT_EPA_CONFIG).reverse()),
    });
    expect(res.status).toBe(200);
    expect(await settingsOf(t.subA.id)).toMatchObject({ overriddenSettings: [] });
    expect(res.body).toMatchObject({ name: "Renamed Branch" });
  });

  it("'Use parent's' puts the parent's value back and ends the override, audited", async () => {
    const t = await createTree();
    const parent = await signIn(t.users.PARENT_ORG_ADMIN.id);
    await patchOrg(t.parent.id, parent, { timeZone: "America/Chicago" });
    const admin = await signIn(t.users.ORG_ADMIN.id);
    await patchOrg(t.subA.id, admin, { timeZone: "America/Denver", epaConfig: STRICT_EPA });
    expect((await settingsOf(t.subA.id)).overriddenSettings).toEqual(["epaConfig", "timeZone"]);

    const res = await patchOrg(t.subA.id, admin, { inherit: ["timeZone"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: "America/Chicago", overriddenSettings: ["epaConfig"] });
    const entry = (await auditOf(t.subA.id)).at(-1);
    expect(entry).toMatchObject({
      action: "org.update",
      actorId: t.users.ORG_ADMIN.id,
      before: expect.objectContaining({ timeZone: "America/Denver", overriddenSettings: ["epaConfig", "timeZone"] }),
      after: expect.objectContaining({ timeZone: "America/Chicago", overriddenSettings: ["epaConfig"] }),
    });
    // Following again: the parent's next change reaches it.
    await patchOrg(t.parent.id, parent, { timeZone: "America/Phoenix" });
    expect((await settingsOf(t.subA.id)).timeZone).toBe("America/Phoenix");
    // The parent admin resets from inside the branch too.
    expect((await patchOrg(t.subA.id, parent, { inherit: ["epaConfig"] })).body).toMatchObject({
      epaConfig: DEFAULT_EPA_CONFIG,
      overriddenSettings: [],
    });
  });

  it("copies brand settings down on ENTERPRISE; archived sub-orgs are left as they were", async () => {
    const parentOrg = await createOrg({ plan: "ENTERPRISE" });
    const [live, archived] = await Promise.all([
      createOrg({ parentOrgId: parentOrg.id, plan: "ENTERPRISE" }),
      createOrg({ parentOrgId: parentOrg.id, plan: "ENTERPRISE", archivedAt: new Date() }),
    ]);
    const owner = await createUser({ orgId: parentOrg.id, role: "PARENT_ORG_ADMIN" });
    const res = await patchOrg(parentOrg.id, await signIn(owner.id), { brandColor: "#0e7490" });
    expect(res.status).toBe(200);
    expect((await settingsOf(live.id)).brandColor).toBe("#0e7490");
    expect((await settingsOf(archived.id)).brandColor).toBeNull();
  });

  it("a new sub-org starts with the parent's settings; a time zone of its own is an override", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    await patchOrg(t.parent.id, cookie, { epaConfig: STRICT_EPA });
    const same = await api(`/api/orgs/${t.parent.id}/sub-orgs`, { cookie, body: { name: "Same Zone" } });
    expect(same.body).toMatchObject({ epaConfig: STRICT_EPA, timeZone: "America/New_York", overriddenSettings: [] });
    const own = await api(`/api/orgs/${t.parent.id}/sub-orgs`, {
      cookie,
      body: { name: "West", timeZone: "America/Los_Angeles" },
    });
    expect(own.body).toMatchObject({ timeZone: "America/Los_Angeles", overriddenSettings: ["timeZone"] });
  });

  it("keeps the branch address (state upper-cased, ZIP+4 hyphenated), not inherited", async () => {
    const t = await createTree();
    const res = await patchOrg(t.subA.id, await signIn(t.users.ORG_ADMIN.id), {
      addressState: "oh",
      addressZip: "432151234",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ addressState: "OH", addressZip: "43215-1234", overriddenSettings: [] });
  });
});

describe("settings: bad input and permissions", () => {
  it("answers 400 with fields and writes nothing", async () => {
    const t = await createTree();
    const parent = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const admin = await signIn(t.users.ORG_ADMIN.id);
    const before = await orgsSnapshot(treeIds(t));
    const cases: [string, string, unknown, string][] = [
      [t.parent.id, parent, { inherit: ["timeZone"] }, "inherit"],
      [t.subA.id, admin, { timeZone: "America/Denver", inherit: ["timeZone"] }, "inherit"],
      [t.subA.id, admin, { inherit: ["name"] }, "inherit.0"],
      [t.subA.id, admin, { inherit: "timeZone" }, "inherit"],
      [t.subA.id, admin, { inherit: ["timeZone", "epaConfig", "brandColor", "brandLogoUrl", "timeZone"] }, "inherit"],
      [t.subA.id, admin, { addressState: "ZZ" }, "addressState"],
      [t.subA.id, admin, { addressZip: "1234" }, "addressZip"],
      [t.subA.id, admin, { timeZone: "Mars/Olympus" }, "timeZone"],
      [t.subA.id, admin, { overriddenSettings: [] }, "overriddenSettings"],
      [t.subA.id, admin, { name: "x".repeat(500) }, "name"],
    ];
    for (const [orgId, cookie, body, field] of cases) {
      const res = await patchOrg(orgId, cookie, body);
      expectError(res, 400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const after = await orgsSnapshot(treeIds(t));
    expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
  });

  it("lets org admins (own org) and the parent admin configure; others 403, other companies 404", async () => {
    const t = await createTree();
    for (const role of ["MANAGER", "TECHNICIAN", "SALES"] as const) {
      expectError(
        await patchOrg(t.subA.id, await signIn(t.users[role].id), { inherit: ["timeZone"] }),
        403,
        "FORBIDDEN",
      );
    }
    expectError(await patchOrg(t.subA.id, await signIn(t.sibling.ORG_ADMIN.id), { name: "Mine" }), 404, "NOT_FOUND");
    expectError(
      await patchOrg(t.subA.id, await signIn(t.outsiders.PARENT_ORG_ADMIN.id), { name: "Mine" }),
      404,
      "NOT_FOUND",
    );
    expectError(await patchOrg(t.parent.id, await signIn(t.users.ORG_ADMIN.id), { timeZone: "UTC" }), 404, "NOT_FOUND");
    expect((await patchOrg(t.subA.id, await signIn(t.users.PARENT_ORG_ADMIN.id), { name: "By Owner" })).status).toBe(
      200,
    );
    // Sub-org management itself is the parent admin's alone.
    for (const role of ["ORG_ADMIN", "MANAGER"] as const) {
      expectError(await api(`/api/orgs/${t.subA.id}/sub-orgs`, { cookie: await signIn(t.users[role].id) }), 403);
    }
  });
});

describe("archiving a sub-org keeps its records", () => {
  it("its jobs and transfers stay in the database and in the parent admin's compliance report", async () => {
    const t = await createTree();
    const db = testDb();
    const customer = await db
      .insert(customers)
      .values({ id: crypto.randomUUID(), orgId: t.subB.id, name: "Kept Co" })
      .returning()
      .get();
    const location = await db
      .insert(locations)
      .values({
        id: crypto.randomUUID(),
        orgId: t.subB.id,
        customerId: customer.id,
        name: "Kept site",
        street: "2 Elm St",
        city: "Troy",
        state: "NY",
        zip: "12180",
      })
      .returning()
      .get();
    const job = await db
      .insert(jobs)
      .values({
        id: crypto.randomUUID(),
        orgId: t.subB.id,
        number: 1001,
        customerId: customer.id,
        locationId: location.id,
        description: "Kept job",
        createdById: t.sibling.MANAGER.id,
      })
      .returning()
      .get();
    const tech = t.sibling.TECHNICIAN;
    const transfer = await db
      .insert(transfers)
      .values({
        id: crypto.randomUUID(),
        orgId: t.subB.id,
        kind: "RECOVER",
        refrigerant: "R-22",
        amountLb: 6,
        performedAt: new Date(Date.now() - 60_000),
        technicianId: tech.id,
        technicianName: tech.name,
        createdById: tech.id,
        status: "APPROVED",
        jobId: job.id,
      })
      .returning()
      .get();

    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    expect((await api(`/api/orgs/${t.parent.id}/sub-orgs/${t.subB.id}`, { method: "DELETE", cookie })).status).toBe(
      204,
    );

    expect(await sqlAll("SELECT id, description FROM jobs WHERE org_id = ?", t.subB.id)).toEqual([
      { id: job.id, description: "Kept job" },
    ]);
    expect(await sqlAll("SELECT id, amount_lb FROM transfers WHERE org_id = ?", t.subB.id)).toEqual([
      { id: transfer.id, amount_lb: 6 },
    ]);
    // Listed as archived for the parent admin, next to the live branches.
    const list = await api(`/api/orgs/${t.parent.id}/sub-orgs`, { cookie });
    expect(list.body.subOrgs.map((org: { id: string }) => org.id)).toEqual([t.subA.id]);
    expect(list.body.archivedSubOrgs).toEqual([{ id: t.subB.id, name: t.subB.name, archivedAt: expect.any(String) }]);
    const page = String((await api(`/o/${t.parent.id}/organization/sub-orgs`, { cookie })).body);
    expect(page).toMatch(new RegExp(`Archived</h3>.*${t.subB.name}`, "s"));
    const year = new Date().getUTCFullYear();
    const report = await api(`/api/orgs/${t.parent.id}/reports/compliance?from=${year}-01-01&to=${year}-12-31`, {
      cookie,
    });
    expect(report.status).toBe(200);
    expect(report.body.orgs).toEqual(expect.arrayContaining([{ id: t.subB.id, name: t.subB.name, archived: true }]));
    expect(report.body.serviceRecords).toEqual([
      expect.objectContaining({ id: transfer.id, orgId: t.subB.id, jobId: job.id, recoveredLb: 6 }),
    ]);
  });
});

describe("the company's users", () => {
  it("lists every sub-org's users with their org for the parent admin, who grants access across the tree", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const res = await api(`/api/orgs/${t.parent.id}/users`, { cookie });
    expect(res.status).toBe(200);
    const rows = res.body.users as { id: string; orgId: string; orgName: string }[];
    expect(rows.find((user) => user.id === t.users.MANAGER.id)).toMatchObject({
      orgId: t.subA.id,
      orgName: t.subA.name,
    });
    expect(rows.find((user) => user.id === t.sibling.MANAGER.id)).toMatchObject({
      orgId: t.subB.id,
      orgName: t.subB.name,
    });
    expect(rows.some((user) => user.orgId === t.other.id)).toBe(false);
    // Filtered to one org of the company; another company's org matches nobody.
    const south = await api(`/api/orgs/${t.parent.id}/users?orgId=${t.subB.id}`, { cookie });
    expect(new Set(south.body.users.map((user: { orgId: string }) => user.orgId))).toEqual(new Set([t.subB.id]));
    expect(south.body.users).toHaveLength(4);
    expect((await api(`/api/orgs/${t.parent.id}/users?orgId=${t.other.id}`, { cookie })).body.users).toEqual([]);
    expectError(await api(`/api/orgs/${t.parent.id}/users?orgId=${"x".repeat(65)}`, { cookie }), 400);

    const grant = await api(`/api/orgs/${t.parent.id}/users/${t.users.MANAGER.id}`, {
      method: "PATCH",
      cookie,
      body: { accessibleOrgIds: [t.subB.id] },
    });
    expect(grant.status).toBe(200);
    expect(grant.body.accessibleOrgIds).toEqual([t.subB.id]);
    expect((await api(`/api/orgs/${t.subB.id}/analytics`, { cookie: await signIn(t.users.MANAGER.id) })).status).toBe(
      200,
    );
    // Another company's org is refused, nothing written.
    const outside = await api(`/api/orgs/${t.parent.id}/users/${t.users.MANAGER.id}`, {
      method: "PATCH",
      cookie,
      body: { accessibleOrgIds: [t.other.id] },
    });
    expectError(outside, 400);
    expect(await sqlAll("SELECT org_id FROM user_org_access WHERE user_id = ?", t.users.MANAGER.id)).toEqual([
      { org_id: t.subB.id },
    ]);
  });
});

describe("pages", () => {
  const submit = async (path: string, cookie: string, fields: Record<string, string>) =>
    (await postForm(path, cookie, fields)).status;

  it("a branch's settings page says what is inherited and what is overridden; 'Use parent's' resets it", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    await patchOrg(t.subA.id, cookie, { timeZone: "America/Denver" });
    const html = String((await api(`/o/${t.subA.id}/organization/settings`, { cookie })).body);
    expect(html).toMatch(/data-setting="timeZone".*?Overridden.*?Use <!-- -->[^<]*<!-- -->&#x27;s/s);
    expect(html).toMatch(new RegExp(`data-setting="epaConfig".*?Inherited from <!-- -->${t.parent.name}`, "s"));

    expect(
      await submit(`/o/${t.subA.id}/organization/settings`, cookie, { intent: "inherit", inherit: "timeZone" }),
    ).toBe(200);
    expect(await settingsOf(t.subA.id)).toMatchObject({ timeZone: "America/New_York", overriddenSettings: [] });
    // Bad input through the page: 400, nothing written.
    expect(await submit(`/o/${t.subA.id}/organization/settings`, cookie, { intent: "inherit", inherit: "name" })).toBe(
      400,
    );
    // The top-level org's page has nothing to inherit.
    const top = String(
      (await api(`/o/${t.parent.id}/organization/settings`, { cookie: await signIn(t.users.PARENT_ORG_ADMIN.id) }))
        .body,
    );
    expect(top).not.toContain("Inherited from");
  });

  it("the parent admin's Users tab labels each user with their org and the orgs they were granted", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    await api(`/api/orgs/${t.parent.id}/users/${t.users.MANAGER.id}`, {
      method: "PATCH",
      cookie,
      body: { accessibleOrgIds: [t.subB.id] },
    });
    const html = String((await api(`/o/${t.parent.id}/organization/users`, { cookie })).body);
    expect(html).toContain(`Also: <!-- -->${t.subB.name}`);
    expect(html).toContain(t.sibling.MANAGER.name);
    // The edit panel offers every other org of the company to grant.
    const edit = String(
      (await api(`/o/${t.parent.id}/organization/users?edit=${t.sibling.TECHNICIAN.id}`, { cookie })).body,
    );
    expect(edit).toContain(`value="${t.parent.id}"`);
    expect(edit).toContain(`value="${t.subA.id}"`);
  });

  it("the dashboard shows analytics to staff, not to technicians or sales", async () => {
    const t = await createTree();
    const parent = String((await api(`/o/${t.parent.id}`, { cookie: await signIn(t.users.PARENT_ORG_ADMIN.id) })).body);
    expect(parent).toContain("Organizations side by side");
    expect(parent).toContain(`aria-label="Open ${t.subA.name}"`);
    const manager = String((await api(`/o/${t.subA.id}`, { cookie: await signIn(t.users.MANAGER.id) })).body);
    expect(manager).toContain("Today&#x27;s workload per technician");
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      const html = String((await api(`/o/${t.subA.id}`, { cookie: await signIn(t.users[role].id) })).body);
      expect(html).not.toContain("analytics-as-of");
    }
  });
});
