import { describe, expect, it } from "vitest";
import { api, createOrg, createUser, signIn } from "./helpers";

describe("dashboard recent activity", () => {
  it("shows what changed, not who signed in (the audit log page keeps both)", async () => {
    const org = await createOrg({ plan: "PRO" });
    const admin = await createUser({ orgId: org.id, role: "ORG_ADMIN", password: "correct horse battery" });
    const login = await api("/api/auth/login", { body: { email: admin.email, password: "correct horse battery" } });
    expect(login.status).toBe(200);
    const cookie = await signIn(admin.id);
    expect((await api(`/api/orgs/${org.id}`, { method: "PATCH", cookie, body: { name: "Renamed HVAC" } })).status).toBe(
      200,
    );

    const dashboard = String((await api(`/o/${org.id}`, { cookie })).body);
    expect(dashboard).toContain("updated organization settings");
    expect(dashboard).not.toContain(`${admin.name} signed in`);

    const log = await api(`/api/orgs/${org.id}/audit-log`, { cookie });
    expect((log.body as { entries: { action: string }[] }).entries.map((entry) => entry.action)).toEqual([
      "org.update",
      "auth.login",
    ]);
  });
});
