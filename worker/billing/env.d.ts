/**
 * Stripe secrets (wrangler secrets, optional): not in wrangler.toml, so `wrangler types` does not
 * generate them. Both set: plan changes go through Stripe Checkout and its webhook; neither: plan
 * changes apply directly ("DIRECT"), so the app works offline. See docs/billing.md.
 */
interface Env {
  /** Stripe secret API key, `sk_live_…` or `sk_test_…`. */
  STRIPE_SECRET_KEY?: string;
  /** Signing secret of the webhook endpoint `/api/billing/stripe/webhook`, `whsec_…`. */
  STRIPE_WEBHOOK_SECRET?: string;
}

declare namespace Cloudflare {
  interface Env {
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
  }
}
