import { applyD1Migrations, type D1Migration, env } from "cloudflare:test";
import { afterEach, beforeAll, vi } from "vitest";

beforeAll(async () => {
  await applyD1Migrations(env.DB, (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS);
});

// A console.error during a test fails it unless the test expects it (spy and restore).
let errorSpy: ReturnType<typeof vi.spyOn> | undefined;
beforeAll(() => {
  errorSpy = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = errorSpy?.mock.calls ?? [];
  errorSpy?.mockClear();
  if (calls.length > 0)
    throw new Error(`console.error was called: ${calls.map((c: unknown[]) => c.map(String).join(" ")).join("\n")}`);
});
