import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vitest/config";

/** Worker tests: inside workerd against real D1 and Durable Objects. Browser tests: vitest.e2e.config.ts. */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("db/migrations"),
          APP_ENV: "test",
          // Test-only: webhooks are verified against it. No STRIPE_SECRET_KEY, so plan changes apply
          // directly and nothing calls Stripe (tests inject a fetch into the provider instead).
          STRIPE_WEBHOOK_SECRET: "whsec_test_refritrak",
        },
      },
    }),
    reactRouter(),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts", "tests/worker/**/*.test.tsx"],
    setupFiles: ["tests/worker/setup.ts"],
    // Rendering pages in workerd compiles route modules on first use; on a loaded 2-core machine
    // that can pass 5 s. Not a performance bound (benchmarks measure speed).
    testTimeout: 30_000,
  },
}));
