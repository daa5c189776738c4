import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const ORIGIN = "http://localhost";

describe("sign-up", () => {
  it("creates an org and signs in", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/api/auth/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN },
      body: JSON.stringify({
        name: "Ada",
        email: "ada@example.test",
        password: "correct horse battery",
        organizationName: "Ada HVAC",
      }),
    });
    const body = await res.json();
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ user: { role: "PARENT_ORG_ADMIN" } });
    const cookie = res.headers.get("Set-Cookie")?.split(";")[0] ?? "";
    const meRes = await exports.default.fetch(`${ORIGIN}/api/me`, { headers: { Cookie: cookie } });
    expect(await meRes.json()).toMatchObject({ orgs: [{ name: "Ada HVAC", plan: "FREE" }] });
    const page = await exports.default.fetch(`${ORIGIN}/`, { headers: { Cookie: cookie } });
    expect(await page.text()).toContain("Ada");
  });
});
