/**
 * Org settings, sub-organizations (PRO/ENTERPRISE, top level only, archived not deleted), the
 * support form, and the audit log with its `before` cursor. Billing and plan rules: billing.test.ts.
 */
import { describe, expect, it } from "vitest";
import { api, createOrg, createTree, createUser, signIn, type Tree } from "./helpers";
import { auditOf, expectError, orgsSnapshot, sqlAll, sqlRun, unique } from "./support";

const treeIds = (t: Tree) => [t.parent.id, t.subA.id, t.subB.id, t.other.id];
const orgIdsOf = (res: { body: { orgs: { id: string }[] } }) => res.body.orgs.map((org) => org.id).sort();

describe("org settings", () => {
  it("shows a sub-org with the plan in force (its parent's)", async () => {
    const t = await createTree();
    const res = await api(`/api/orgs/${t.subA.id}`, { cookie: await signIn(t.users.TECHNICIAN.id) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.subA.id, parentOrgId: t.parent.id, plan: "PRO", name: t.subA.name });
    expect(res.body.epaConfig).toMatchObject({ leakRateThresholds: { COMFORT_COOLING: 10 } });
  });

  it("saves name, EIN, brand, time zone and EPA config, audited with before and after", async () => {
    const t = await createTree();
    // White-label branding is an ENTERPRISE feature (billing.test.ts has the refusal below it).
    await sqlRun(
      "UPDATE organizations SET plan = 'ENTERPRISE' WHERE id = ? OR parent_org_id = ?",
      t.parent.id,
      t.parent.id,
    );
    const epaConfig = {
      coverageThresholdLb: 50,
      leakRateThresholds: {
        COMFORT_COOLING: 10,
        COMMERCIAL_REFRIGERATION: 20,
        INDUSTRIAL_PROCESS: 30,
        REFRIGERATED_TRANSPORT: 10,
        OTHER: 10,
      },
      alertAtPercentOfThreshold: 75,
      calculationMethod: "ROLLING_AVERAGE",
    };
    const patch = {
      name: "South Branch",
      ein: "12-3456789",
      brandColor: "#0e7490",
      brandLogoUrl: "https://cdn.example.test/logo.png",
      timeZone: "America/Chicago",
      epaConfig,
    };
    const res = await api(`/api/orgs/${t.subA.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: patch,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(patch);
    const again = await api(`/api/orgs/${t.subA.id}`, { cookie: await signIn(t.users.SALES.id) });
    expect(again.body).toMatchObject(patch);

    const [entry] = await auditOf(t.subA.id);
    expect(entry).toMatchObject({
      orgId: t.subA.id,
      action: "org.update",
      actorId: t.users.ORG_ADMIN.id,
      actorName: t.users.ORG_ADMIN.name,
      before: expect.objectContaining({ name: t.subA.name, ein: null }),
      after: expect.objectContaining({ name: "South Branch", ein: "12-3456789", epaConfig }),
    });
  });

  it("treats an empty PATCH as a no-op: 200, nothing written", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    const before = await orgsSnapshot(treeIds(t));
    const res = await api(`/api/orgs/${t.subA.id}`, { method: "PATCH", cookie, body: {} });
    expect(res.status).toBe(200);
    expect(await orgsSnapshot(treeIds(t))).toEqual(before);
  });
});

describe("sub-organizations", () => {
  it("creates one under a PRO top-level org: listed, reachable by the parent admin, audited", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const name = unique("East Branch ");
    const res = await api(`/api/orgs/${t.parent.id}/sub-orgs`, {
      cookie,
      body: { name, ein: "98-7654321", timeZone: "America/Denver" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name, parentOrgId: t.parent.id, plan: "PRO", timeZone: "America/Denver" });
    const id = res.body.id as string;

    const list = await api(`/api/orgs/${t.parent.id}/sub-orgs`, { cookie });
    expect(list.body.subOrgs.map((org: { id: string }) => org.id).sort()).toEqual([t.subA.id, t.subB.id, id].sort());
    expect(list.body.subOrgs.find((org: { id: string }) => org.id === t.subA.id)).toMatchObject({ activeUsers: 4 });
    expect(orgIdsOf(await api("/api/me", { cookie }))).toContain(id);
    expect((await api(`/api/orgs/${id}`, { cookie })).status).toBe(200);
    // Staff of another branch do not reach it.
    expectError(await api(`/api/orgs/${id}`, { cookie: await signIn(t.users.ORG_ADMIN.id) }), 404, "NOT_FOUND");

    const [entry] = await auditOf(id);
    expect(entry).toMatchObject({
      orgId: t.parent.id,
      action: "suborg.create",
      actorId: t.users.PARENT_ORG_ADMIN.id,
      after: expect.objectContaining({ id, name }),
    });
  });

  it("needs PRO or ENTERPRISE: a FREE company gets 403 PLAN_REQUIRED, nothing written", async () => {
    const org = await createOrg({ plan: "FREE" });
    const owner = await createUser({ orgId: org.id, role: "PARENT_ORG_ADMIN" });
    const before = await orgsSnapshot([org.id]);
    const res = await api(`/api/orgs/${org.id}/sub-orgs`, {
      cookie: await signIn(owner.id),
      body: { name: "Not Yet" },
    });
    expectError(res, 403, "PLAN_REQUIRED");
    const after = await orgsSnapshot([org.id]);
    expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
  });

  it("is created only under the top-level org: 409 NOT_TOP_LEVEL from a sub-org", async () => {
    const t = await createTree();
    const res = await api(`/api/orgs/${t.subA.id}/sub-orgs`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { name: "Grandchild" },
    });
    expectError(res, 409, "NOT_TOP_LEVEL");
    expect(await sqlAll("SELECT id FROM organizations WHERE parent_org_id = ?", t.subA.id)).toEqual([]);
  });

  it("archives on DELETE: records kept, unreachable for everyone (404), audited", async () => {
    const t = await createTree();
    const parentCookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const memberCookie = await signIn(t.sibling.MANAGER.id);
    const rovingCookie = await signIn(t.users.TECHNICIAN.id);
    await api(`/api/orgs/${t.parent.id}/users/${t.users.TECHNICIAN.id}`, {
      method: "PATCH",
      cookie: parentCookie,
      body: { accessibleOrgIds: [t.subB.id] },
    });
    expect((await api(`/api/orgs/${t.subB.id}`, { cookie: rovingCookie })).status).toBe(200);

    const res = await api(`/api/orgs/${t.parent.id}/sub-orgs/${t.subB.id}`, { method: "DELETE", cookie: parentCookie });
    expect(res.status).toBe(204);

    for (const cookie of [parentCookie, memberCookie, rovingCookie]) {
      expectError(await api(`/api/orgs/${t.subB.id}`, { cookie }), 404, "NOT_FOUND");
      expect(orgIdsOf(await api("/api/me", { cookie }))).not.toContain(t.subB.id);
    }
    const list = await api(`/api/orgs/${t.parent.id}/sub-orgs`, { cookie: parentCookie });
    expect(list.body.subOrgs.map((org: { id: string }) => org.id)).toEqual([t.subA.id]);
    // Records are kept: the org and its people are still there.
    const [row] = await sqlAll("SELECT archived_at FROM organizations WHERE id = ?", t.subB.id);
    expect(row?.archived_at).toBeGreaterThan(0);
    expect(await sqlAll("SELECT id FROM users WHERE org_id = ?", t.subB.id)).toHaveLength(4);

    const entries = await auditOf(t.subB.id);
    expect(entries).toEqual([
      expect.objectContaining({ action: "suborg.archive", actorId: t.users.PARENT_ORG_ADMIN.id, orgId: t.parent.id }),
    ]);
    expectError(
      await api(`/api/orgs/${t.parent.id}/sub-orgs/${t.subB.id}`, { method: "DELETE", cookie: parentCookie }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("support", () => {
  it("stores the request with its sender and org, audited", async () => {
    const t = await createTree();
    const body = { subject: "Cylinder scan fails", message: "Scanning a QR label shows an error page." };
    const res = await api(`/api/orgs/${t.subA.id}/support`, { cookie: await signIn(t.users.SALES.id), body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), createdAt: expect.any(String) });
    expect(
      await sqlAll("SELECT org_id, user_id, subject, message FROM support_requests WHERE id = ?", res.body.id),
    ).toEqual([{ org_id: t.subA.id, user_id: t.users.SALES.id, ...body }]);
    expect(await auditOf(res.body.id)).toEqual([
      expect.objectContaining({ action: "support.create", actorId: t.users.SALES.id, orgId: t.subA.id }),
    ]);
  });
});

describe("audit log", () => {
  /** Makes `n` audited writes in sub-org A (renames), quickly: many share a clock tick. */
  async function renames(t: Tree, n: number) {
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    for (let i = 0; i < n; i++) {
      const res = await api(`/api/orgs/${t.subA.id}`, { method: "PATCH", cookie, body: { name: `Rename ${i}` } });
      expect(res.status).toBe(200);
    }
  }

  it("shows the whole company to the parent admin at the parent org, newest first, with org names", async () => {
    const t = await createTree();
    await renames(t, 2);
    const parentCookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    await api(`/api/orgs/${t.parent.id}`, { method: "PATCH", cookie: parentCookie, body: { name: "HQ" } });
    await api(`/api/orgs/${t.subB.id}/support`, {
      cookie: await signIn(t.sibling.TECHNICIAN.id),
      body: { subject: "Hello there", message: "Just checking the form works." },
    });

    const res = await api(`/api/orgs/${t.parent.id}/audit-log`, { cookie: parentCookie });
    expect(res.status).toBe(200);
    const entries = res.body.entries as { orgId: string; orgName: string; action: string; createdAt: string }[];
    expect(entries).toHaveLength(4);
    expect(new Set(entries.map((e) => e.orgId))).toEqual(new Set([t.parent.id, t.subA.id, t.subB.id]));
    expect(entries.find((e) => e.orgId === t.subB.id)).toMatchObject({
      action: "support.create",
      orgName: t.subB.name,
    });
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // No other company's entries.
    expect(entries.some((e) => e.orgId === t.other.id)).toBe(false);
  });

  it("shows an ORG_ADMIN only their own org's entries", async () => {
    const t = await createTree();
    await renames(t, 1);
    await api(`/api/orgs/${t.subB.id}`, {
      method: "PATCH",
      cookie: await signIn(t.sibling.ORG_ADMIN.id),
      body: { name: "Branch B renamed" },
    });
    const res = await api(`/api/orgs/${t.subA.id}/audit-log`, { cookie: await signIn(t.users.ORG_ADMIN.id) });
    expect(res.body.entries.map((e: { orgId: string }) => e.orgId)).toEqual([t.subA.id]);
  });

  /** Follows `nextBefore` from the first page to the last; returns the ids seen, in order. */
  async function pageThrough(orgId: string, cookie: string, limit: number) {
    const seen: string[] = [];
    let before: number | null | undefined;
    for (let page = 0; page < 20; page++) {
      const query = before ? `?limit=${limit}&before=${before}` : `?limit=${limit}`;
      const res = await api(`/api/orgs/${orgId}/audit-log${query}`, { cookie });
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeGreaterThan(0);
      seen.push(...res.body.entries.map((e: { id: string }) => e.id));
      before = res.body.nextBefore;
      if (!before) break;
    }
    return seen;
  }

  it("pages with `before` through every entry exactly once, newest first", async () => {
    const t = await createTree();
    await renames(t, 7);
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    const everything = await api(`/api/orgs/${t.subA.id}/audit-log?limit=200`, { cookie });
    const allIds = everything.body.entries.map((e: { id: string }) => e.id);
    expect(allIds).toHaveLength(7);
    expect(everything.body.nextBefore ?? null).toBeNull();
    expect(await pageThrough(t.subA.id, cookie, 3)).toEqual(allIds);
    expect(await pageThrough(t.subA.id, cookie, 1)).toEqual(allIds);
  });

  it("does not skip entries that share one timestamp across a page boundary", async () => {
    const t = await createTree();
    // A batch write (e.g. sign-up) logs several entries at the same instant.
    const instant = Date.now() - 60_000;
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
    for (const [i, id] of ids.entries()) {
      await sqlRun(
        "INSERT INTO audit_log (id, org_id, actor_id, actor_name, action, entity_type, created_at) VALUES (?, ?, NULL, 'seed', ?, 'test', ?)",
        id,
        t.subA.id,
        `test.batch.${i}`,
        instant,
      );
    }
    await renames(t, 1);
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    const seen = await pageThrough(t.subA.id, cookie, 2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(1).sort()).toEqual([...ids].sort());
  });
});
