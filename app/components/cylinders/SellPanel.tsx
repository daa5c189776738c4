import { Form, Link, useNavigation } from "react-router";
import { fieldErrorsOf, SelectField, SubmitButton, TextField } from "../form";
import { friendlyErrors } from "../organization/errors";
import { formatPrice } from "./price";

/**
 * Selling a FOR_SALE cylinder to one of the org's active customers (cylinders:edit). The sale is
 * a move in the cylinder's history; the service decides where the cylinder goes.
 */
export function SellPanel({
  orgId,
  priceCents,
  customers,
  actionData,
}: {
  orgId: string;
  priceCents: number | null;
  customers: { id: string; name: string }[];
  actionData: unknown;
}) {
  const navigation = useNavigation();
  const selling = navigation.state === "submitting" && navigation.formData?.get("intent") === "sell";
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="card stack-sm cyl-sell" aria-labelledby="sell-heading">
      <h2 id="sell-heading">Mark sold</h2>
      <p className="muted small">
        {priceCents == null ? "No asking price set. " : `Asking ${formatPrice(priceCents)}. `}
        The sale is kept in the movement history, and the cylinder goes to the buyer's first site.
      </p>
      {customers.length === 0 ? (
        <p>
          No active customers yet: <Link to={`/o/${orgId}/customers`}>add the buyer as a customer</Link> first.
        </p>
      ) : (
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="sell" />
          <SelectField
            label="Sold to"
            name="customerId"
            placeholder="Choose the customer…"
            defaultValue=""
            options={customers.map((customer) => ({ value: customer.id, label: customer.name }))}
            errors={fields.customerId}
          />
          <TextField
            label="Note"
            name="note"
            required={false}
            maxLength={500}
            hint="Kept with the sale, e.g. an invoice number."
          />
          <div className="form-actions">
            <SubmitButton pending={selling} pendingLabel="Selling…">
              Mark sold
            </SubmitButton>
          </div>
        </Form>
      )}
    </section>
  );
}
