/**
 * The Users tab behind the API: company-wide listing for the parent org, role and status filters,
 * the CSV export for the quarterly role review, invitations, accessibleOrgIds, deactivation, and
 * the audit trail of every user write.
 */
import { describe, expect, it } from "vitest";
import { api, createTree, createUser, signIn, type Tree } from "./helpers";
import { auditOf, expectError, orgsSnapshot, parseCsv, sqlAll, uniqueEmail } from "./support";

const usersOf = (res: { body: { users: { id: string }[] } }) => res.body.users.map((user) => user.id).sort();
const ids = (...users: { id: string }[]) => users.map((user) => user.id).sort();

/** Every user at home in the tree's three orgs (parent, A, B). */
function companyUsers(t: Tree) {
  return [...Object.values(t.users), ...Object.values(t.sibling)];
}

/** The four org roles at home in sub-org A. */
function staffOfA(t: Tree) {
  return [t.users.ORG_ADMIN, t.users.MANAGER, t.users.TECHNICIAN, t.users.SALES];
}

describe("listing", () => {
  it("lists the whole company, with org names, at the parent org for a PARENT_ORG_ADMIN", async () => {
    const t = await createTree();
    const res = await api(`/api/orgs/${t.parent.id}/users`, { cookie: await signIn(t.users.PARENT_ORG_ADMIN.id) });
    expect(res.status).toBe(200);
    expect(usersOf(res)).toEqual(ids(...companyUsers(t)));
    const orgNameOf = Object.fromEntries(res.body.users.map((u: { id: string; orgName: string }) => [u.id, u.orgName]));
    expect(orgNameOf[t.users.PARENT_ORG_ADMIN.id]).toBe(t.parent.name);
    expect(orgNameOf[t.users.TECHNICIAN.id]).toBe(t.subA.name);
    expect(orgNameOf[t.sibling.SALES.id]).toBe(t.subB.name);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|password_hash|scrypt/);
  });

  it("lists only the sub-org's members at a sub-org, for the parent admin and the sub-org's staff", async () => {
    const t = await createTree();
    const subAUsers = ids(...staffOfA(t));
    for (const actor of [t.users.PARENT_ORG_ADMIN, t.users.ORG_ADMIN, t.users.MANAGER]) {
      const res = await api(`/api/orgs/${t.subA.id}/users`, { cookie: await signIn(actor.id) });
      expect(res.status).toBe(200);
      expect(usersOf(res)).toEqual(subAUsers);
    }
  });

  it("filters by role and by status", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const techs = await api(`/api/orgs/${t.parent.id}/users?role=TECHNICIAN`, { cookie });
    expect(usersOf(techs)).toEqual(ids(t.users.TECHNICIAN, t.sibling.TECHNICIAN));

    await api(`/api/orgs/${t.subA.id}/users/${t.users.SALES.id}`, { method: "DELETE", cookie });
    const gone = await api(`/api/orgs/${t.parent.id}/users?status=DEACTIVATED`, { cookie });
    expect(usersOf(gone)).toEqual(ids(t.users.SALES));
    const active = await api(`/api/orgs/${t.parent.id}/users?status=ACTIVE&role=SALES`, { cookie });
    expect(usersOf(active)).toEqual(ids(t.sibling.SALES));
    // Deactivated users stay listed by default: history keeps their name.
    const all = await api(`/api/orgs/${t.parent.id}/users`, { cookie });
    expect(all.body.users).toContainEqual(
      expect.objectContaining({ id: t.users.SALES.id, name: t.users.SALES.name, status: "DEACTIVATED" }),
    );
  });

  it("shows each user with the roles the caller may give them", async () => {
    const t = await createTree();
    const asAdmin = await api(`/api/orgs/${t.subA.id}/users/${t.users.TECHNICIAN.id}`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
    });
    expect(asAdmin.body.assignableRoles).toEqual(expect.arrayContaining(["MANAGER", "TECHNICIAN", "SALES"]));
    expect(asAdmin.body.assignableRoles).toHaveLength(3);
    const managerSeesAdmin = await api(`/api/orgs/${t.subA.id}/users/${t.users.ORG_ADMIN.id}`, {
      cookie: await signIn(t.users.MANAGER.id),
    });
    expect(managerSeesAdmin.status).toBe(200);
    expect(managerSeesAdmin.body.assignableRoles).toEqual([]);
  });
});

describe("CSV export", () => {
  it("exports the filtered list with role, org and last login, as an attachment", async () => {
    const t = await createTree();
    const quirky = await createUser({ orgId: t.subB.id, role: "TECHNICIAN", name: 'Lee, "Sparky" Jones' });
    const res = await api(`/api/orgs/${t.parent.id}/users?format=csv&role=TECHNICIAN`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.csv"$/);

    const [header, ...rows] = parseCsv(res.body as string);
    expect(header).toEqual(expect.arrayContaining(["Name", "Email", "Role", "Organization", "Last login"]));
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((row) => row[column("Email")]).sort()).toEqual(
      [t.users.TECHNICIAN.email, t.sibling.TECHNICIAN.email, quirky.email].sort(),
    );
    expect(rows.every((row) => row[column("Role")] === "TECHNICIAN")).toBe(true);
    const byEmail = Object.fromEntries(rows.map((row) => [row[column("Email")], row]));
    expect(byEmail[quirky.email]?.[column("Name")]).toBe('Lee, "Sparky" Jones');
    expect(byEmail[quirky.email]?.[column("Organization")]).toBe(t.subB.name);
    expect(byEmail[t.users.TECHNICIAN.email]?.[column("Organization")]).toBe(t.subA.name);
  });

  it("exports only the caller's org for an ORG_ADMIN", async () => {
    const t = await createTree();
    const res = await api(`/api/orgs/${t.subA.id}/users?format=csv`, { cookie: await signIn(t.users.ORG_ADMIN.id) });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.body as string);
    const email = header?.indexOf("Email") ?? -1;
    expect(rows.map((row) => row[email]).sort()).toEqual(
      staffOfA(t)
        .map((u) => u.email)
        .sort(),
    );
  });

  it("neutralises spreadsheet formulas in names (CSV injection)", async () => {
    const t = await createTree();
    const names = ['=HYPERLINK("https://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)"];
    for (const name of names) await createUser({ orgId: t.subA.id, role: "TECHNICIAN", name });
    const res = await api(`/api/orgs/${t.subA.id}/users?format=csv&role=TECHNICIAN`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
    });
    const [header, ...rows] = parseCsv(res.body as string);
    const name = header?.indexOf("Name") ?? -1;
    for (const row of rows) expect(row[name]).not.toMatch(/^[=+\-@\t\r]/);
    // The names are still readable.
    expect(rows.map((row) => row[name]?.replace(/^'/, ""))).toEqual(expect.arrayContaining(names));
  });
});

describe("adding a user (invitation)", () => {
  it("creates the user without a password, returns and records the invitation, audited", async () => {
    const t = await createTree();
    const email = uniqueEmail("ivy");
    const res = await api(`/api/orgs/${t.subA.id}/users`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: { name: "Ivy Installer", email: email.toUpperCase(), role: "SALES", certificationType: "UNIVERSAL" },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      name: "Ivy Installer",
      email,
      role: "SALES",
      orgId: t.subA.id,
      orgName: t.subA.name,
      status: "ACTIVE",
      accessibleOrgIds: [],
      timeZone: t.subA.timeZone,
    });
    const expiresAt = Date.parse(res.body.invitation.expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    expect(expiresAt).toBeLessThan(Date.now() + 8 * 24 * 3600_000);

    const [row] = await sqlAll("SELECT * FROM users WHERE id = ?", res.body.user.id);
    expect(row).toMatchObject({ password_hash: null, last_login_at: null, org_id: t.subA.id });
    const invitations = await sqlAll("SELECT * FROM invitations WHERE user_id = ?", res.body.user.id);
    expect(invitations).toEqual([
      expect.objectContaining({ org_id: t.subA.id, invited_by_id: t.users.ORG_ADMIN.id, accepted_at: null }),
    ]);

    const [entry] = await auditOf(res.body.user.id);
    expect(entry).toMatchObject({
      orgId: t.subA.id,
      actorId: t.users.ORG_ADMIN.id,
      actorName: t.users.ORG_ADMIN.name,
      action: "user.invite",
      entityType: "user",
      after: expect.objectContaining({ email, role: "SALES" }),
    });
    expect(JSON.stringify(entry)).not.toMatch(/passwordHash|tokenHash/);
  });

  it("refuses an email already in use anywhere (409), writing nothing", async () => {
    const t = await createTree();
    const before = await orgsSnapshot([t.parent.id, t.subA.id, t.subB.id, t.other.id]);
    const res = await api(`/api/orgs/${t.subA.id}/users`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: { name: "Copy", email: t.outsiders.SALES.email, role: "SALES" },
    });
    expectError(res, 409, "EMAIL_TAKEN");
    const after = await orgsSnapshot([t.parent.id, t.subA.id, t.subB.id, t.other.id]);
    expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
  });
});

describe("editing a user", () => {
  it("changes role and details, audited with before and after", async () => {
    const t = await createTree();
    const target = t.users.TECHNICIAN;
    const res = await api(`/api/orgs/${t.subA.id}/users/${target.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: { role: "SALES", name: "Terry Sales", certificationNumber: "608-1234", timeZone: "America/Chicago" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      role: "SALES",
      name: "Terry Sales",
      certificationNumber: "608-1234",
      timeZone: "America/Chicago",
    });
    const entries = await auditOf(target.id);
    expect(entries.at(-1)).toMatchObject({
      action: "user.update",
      actorId: t.users.ORG_ADMIN.id,
      orgId: t.subA.id,
      before: expect.objectContaining({ role: "TECHNICIAN", name: target.name }),
      after: expect.objectContaining({ role: "SALES", name: "Terry Sales" }),
    });
  });

  it("refuses to edit oneself, even to keep the same role (403)", async () => {
    const t = await createTree();
    for (const actor of [t.users.ORG_ADMIN, t.users.MANAGER, t.users.PARENT_ORG_ADMIN]) {
      const org = actor.role === "PARENT_ORG_ADMIN" ? t.parent : t.subA;
      const res = await api(`/api/orgs/${org.id}/users/${actor.id}`, {
        method: "PATCH",
        cookie: await signIn(actor.id),
        body: { name: "Self Edit", role: actor.role },
      });
      expectError(res, 403, "FORBIDDEN");
      expect(await auditOf(actor.id)).toEqual([]);
    }
  });

  it("deactivates (history keeps the name), idempotently, audited once", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.MANAGER.id);
    const path = `/api/orgs/${t.subA.id}/users/${t.users.TECHNICIAN.id}`;
    const first = await api(path, { method: "DELETE", cookie });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: t.users.TECHNICIAN.id,
      name: t.users.TECHNICIAN.name,
      status: "DEACTIVATED",
    });
    const again = await api(path, { method: "DELETE", cookie });
    expect(again.status).toBe(200);
    const entries = await auditOf(t.users.TECHNICIAN.id);
    expect(entries).toEqual([
      expect.objectContaining({
        action: "user.deactivate",
        actorId: t.users.MANAGER.id,
        before: { status: "ACTIVE" },
        after: { status: "DEACTIVATED" },
      }),
    ]);
  });
});

describe("accessibleOrgIds", () => {
  it("makes another org of the company reachable (GET /api/me lists it), with operational access only", async () => {
    const t = await createTree();
    const manager = t.users.MANAGER;
    const managerCookie = await signIn(manager.id);
    const grant = await api(`/api/orgs/${t.parent.id}/users/${manager.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { accessibleOrgIds: [t.subB.id] },
    });
    expect(grant.status).toBe(200);
    expect(grant.body.accessibleOrgIds).toEqual([t.subB.id]);

    const me = await api("/api/me", { cookie: managerCookie });
    expect(me.body.orgs.map((org: { id: string }) => org.id).sort()).toEqual([t.subA.id, t.subB.id].sort());
    expect((await api(`/api/orgs/${t.subB.id}`, { cookie: managerCookie })).status).toBe(200);
    // The roving manager's admin powers stay at home.
    expectError(await api(`/api/orgs/${t.subB.id}/users`, { cookie: managerCookie }), 403, "FORBIDDEN");
    expect((await api(`/api/orgs/${t.subA.id}/users`, { cookie: managerCookie })).status).toBe(200);

    const [entry] = (await auditOf(manager.id)).filter((e) => e.action === "user.update");
    expect(entry).toMatchObject({
      actorId: t.users.PARENT_ORG_ADMIN.id,
      before: expect.objectContaining({ accessibleOrgIds: [] }),
      after: expect.objectContaining({ accessibleOrgIds: [t.subB.id] }),
    });

    // Revoking takes effect on the next request.
    const revoke = await api(`/api/orgs/${t.parent.id}/users/${manager.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { accessibleOrgIds: [] },
    });
    expect(revoke.status).toBe(200);
    expect((await api("/api/me", { cookie: managerCookie })).body.orgs).toEqual([
      expect.objectContaining({ id: t.subA.id }),
    ]);
    expectError(await api(`/api/orgs/${t.subB.id}`, { cookie: managerCookie }), 404, "NOT_FOUND");
  });

  it.each([
    ["another company's org", (t: Tree) => t.other.id],
    ["an org that does not exist", () => crypto.randomUUID()],
  ])("refuses %s with 400 naming accessibleOrgIds, writing nothing", async (_what, outside) => {
    const t = await createTree();
    const target = t.users.TECHNICIAN;
    const res = await api(`/api/orgs/${t.parent.id}/users/${target.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { accessibleOrgIds: [t.subB.id, outside(t)], name: "Should Not Stick" },
    });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.error.fields).toHaveProperty("accessibleOrgIds");
    expect(await sqlAll("SELECT org_id FROM user_org_access WHERE user_id = ?", target.id)).toEqual([]);
    expect(await sqlAll("SELECT name FROM users WHERE id = ?", target.id)).toEqual([{ name: target.name }]);
    expect(await auditOf(target.id)).toEqual([]);
  });
});

describe("racing writes", () => {
  it("two invitations for the same new email at once: one 201, one 409, one user", async () => {
    const { parent, users: team } = await createTree();
    const cookie = await signIn(team.PARENT_ORG_ADMIN.id);
    const email = `race.${crypto.randomUUID().slice(0, 8)}@example.test`;
    const invite = () =>
      api(`/api/orgs/${parent.id}/users`, { method: "POST", cookie, body: { name: "Racer", email, role: "MANAGER" } });
    const statuses = (await Promise.all([invite(), invite(), invite()])).map((res) => res.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
  });
});
