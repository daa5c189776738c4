/**
 * The asking price of a cylinder: people type dollars ("1,250.50", "$1250"); the API speaks whole
 * cents. Parsed with integer arithmetic so "0.29" is 29 cents, never 28.999….
 */
import { z } from "zod";
import { PriceCents } from "../../../worker/cylinders/schemas";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "$1,250.00" for 125000. */
export const formatPrice = (cents: number) => usd.format(cents / 100);

/** The form's value for a price: "1250.00", or "" when there is none. */
export const priceInput = (cents: number | null) => (cents == null ? "" : (cents / 100).toFixed(2));

/** A "Price (USD)" form field: "" is no price (null); anything else becomes cents or a field error. */
export const PriceDollars = z
  .string()
  .transform((value, ctx) => {
    const cleaned = value.replace(/[$,\s]/g, "");
    if (cleaned === "") return null;
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (cleaned.startsWith("-")) return fail("Cannot be negative.");
    const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
    const [, whole = "", fraction = ""] = match ?? [];
    if (!match || (whole === "" && fraction === "")) return fail("Enter an amount in dollars, like 1250.00.");
    if (fraction.length > 2) return fail("Use at most 2 decimals.");
    return Number(whole || "0") * 100 + Number(fraction.padEnd(2, "0"));
  })
  .pipe(PriceCents.nullable());
