import { Form, Link, redirect, useNavigation } from "react-router";
import { forbidden } from "../../worker/http/errors";
import { can } from "../../worker/policy/permissions";
import { convertLead, getLead, updateLead } from "../../worker/sales/leads";
import { LeadConvertInput, LeadPatchInput } from "../../worker/sales/schemas";
import {
  actionErrorOf,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../components/form";
import { centsToDollars, dollarsToCents, formatCents, STAGE_LABELS, StageBadge } from "../components/sales/format";
import { nestFields } from "../components/units/form";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/sales/sales.css";
import type { Route } from "./+types/leads.$leadId";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  const owns = can(scope.actor, "leads:own", scope.org.id);
  const lead = await asPageError(async () => {
    if (!owns && !can(scope.actor, "leads:view", scope.org.id)) throw forbidden();
    return getLead(scope, params.leadId);
  });
  const url = new URL(request.url);
  return {
    orgId: scope.org.id,
    lead,
    canEdit: owns && lead.owner.id === scope.user.id,
    notice: url.searchParams.has("created")
      ? "Lead added."
      : url.searchParams.has("converted")
        ? "Customer created from this lead."
        : null,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, {
    update: "leads:own",
    lost: "leads:own",
    convert: "leads:own",
  });
  const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["nextStep", "dueDate"] });
  if (intent === "convert") {
    const body = nestFields(form);
    const location = body.location as Record<string, unknown> | undefined;
    if (location && !location.street && !location.city) delete body.location;
    const result = await formAction(body, LeadConvertInput, (input) => convertLead(scope, params.leadId, input));
    if (!("result" in result)) return result;
    throw redirect(`/o/${scope.org.id}/leads/${params.leadId}?converted=1`);
  }
  if (intent === "lost") form.stage = "LOST";
  if ("value" in form) {
    form.valueCents = dollarsToCents(form.value);
    delete form.value;
  }
  if (form.dueDate === "") form.dueDate = null;
  return formAction(form, LeadPatchInput, (input) => updateLead(scope, params.leadId, input));
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.lead.company} · Leads · RefriTrak` : "Lead · RefriTrak" },
];

const STAGE_OPTIONS = (["NEW", "CONTACTED", "QUOTED", "WON"] as const).map((stage) => ({
  value: stage,
  label: STAGE_LABELS[stage],
}));

export default function LeadPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, lead, canEdit, notice } = loaderData;
  const navigation = useNavigation();
  const intent = navigation.formData?.get("intent");
  const fields = fieldErrorsOf(actionData);
  const saved = actionData && "ok" in actionData && actionData.ok ? "Saved." : null;
  return (
    <div className="page page-narrow stack">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={`/o/${orgId}/leads`}>Leads</Link>
          </p>
          <h1 className="page-title">{lead.company}</h1>
          <p className="lede cluster">
            <StageBadge stage={lead.stage} /> <span>{formatCents(lead.valueCents)}</span>
            <span className="muted">Owner: {lead.owner.name}</span>
          </p>
        </div>
      </header>
      <FormSuccess>{notice ?? saved}</FormSuccess>
      <FormErrors error={actionErrorOf(actionData)} shownFields={Object.keys(fields)} />

      <section className="card">
        <dl className="kv">
          <dt>Contact</dt>
          <dd>{[lead.contactName, lead.email, lead.phone].filter(Boolean).join(" · ") || "—"}</dd>
          <dt>Where</dt>
          <dd>{[lead.state, lead.zip].filter(Boolean).join(" ") || "—"}</dd>
          <dt>Next step</dt>
          <dd>{lead.nextStep ?? "—"}</dd>
          <dt>Due</dt>
          <dd>{lead.dueDate ?? "—"}</dd>
          {lead.lostReason ? (
            <>
              <dt>Lost because</dt>
              <dd>{lead.lostReason}</dd>
            </>
          ) : null}
          {lead.customer ? (
            <>
              <dt>Customer</dt>
              <dd>
                <Link to={`/o/${orgId}/customers/${lead.customer.id}`}>{lead.customer.name}</Link>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {canEdit ? (
        <section className="card stack" aria-labelledby="work-heading">
          <h2 id="work-heading">Work this lead</h2>
          <Form method="post" className="form" key={lead.updatedAt}>
            <input type="hidden" name="intent" value="update" />
            <div className="grid-2">
              {lead.customer ? null : (
                <SelectField
                  label="Stage"
                  name="stage"
                  options={STAGE_OPTIONS}
                  defaultValue={lead.stage === "LOST" ? "" : lead.stage}
                  placeholder={lead.stage === "LOST" ? "Lost — reopen as…" : undefined}
                  required={lead.stage !== "LOST"}
                  errors={fields.stage}
                />
              )}
              <TextField
                label="Value (USD)"
                name="value"
                inputMode="decimal"
                defaultValue={centsToDollars(lead.valueCents)}
                errors={fields.valueCents}
              />
              <TextField
                label="Due date"
                name="dueDate"
                type="date"
                required={false}
                defaultValue={lead.dueDate ?? ""}
                errors={fields.dueDate}
              />
            </div>
            <TextField
              label="Next step"
              name="nextStep"
              required={false}
              maxLength={200}
              defaultValue={lead.nextStep ?? ""}
              errors={fields.nextStep}
            />
            <TextAreaField
              label="Notes"
              name="notes"
              rows={3}
              required={false}
              maxLength={2000}
              defaultValue={lead.notes ?? ""}
              errors={fields.notes}
            />
            <div className="form-actions">
              <SubmitButton pending={intent === "update"} pendingLabel="Saving…">
                Save
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}

      {canEdit && lead.open ? (
        <section className="card stack" aria-labelledby="lost-heading">
          <h2 id="lost-heading">Mark as lost</h2>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="lost" />
            <TextField label="Why was it lost?" name="lostReason" maxLength={500} errors={fields.lostReason} />
            <div className="form-actions">
              <SubmitButton variant="danger" pending={intent === "lost"} pendingLabel="Saving…">
                Mark lost
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}

      {canEdit && lead.stage === "WON" && !lead.customer ? (
        <section className="card stack" aria-labelledby="convert-heading">
          <h2 id="convert-heading">Convert to customer</h2>
          <p className="muted small">
            Creates the customer {lead.company} with this lead's email and phone. Add a first service address now, or
            leave it blank.
          </p>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="convert" />
            <div className="grid-2">
              <TextField label="Customer name" name="name" defaultValue={lead.company} errors={fields.name} />
              <TextField label="Street" name="location.street" required={false} errors={fields["location.street"]} />
              <TextField label="City" name="location.city" required={false} errors={fields["location.city"]} />
              <TextField
                label="State"
                name="location.state"
                required={false}
                defaultValue={lead.state ?? ""}
                maxLength={2}
                errors={fields["location.state"]}
              />
              <TextField
                label="ZIP"
                name="location.zip"
                required={false}
                defaultValue={lead.zip ?? ""}
                inputMode="numeric"
                errors={fields["location.zip"]}
              />
            </div>
            <div className="form-actions">
              <SubmitButton pending={intent === "convert"} pendingLabel="Converting…">
                Convert to customer
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
