import { useEffect, useRef } from "react";
import { Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { INHERITABLE_SETTING_LABELS, type InheritableSetting } from "../../worker/orgs/inheritance";
import { SubOrgInput } from "../../worker/orgs/schemas";
import { archiveSubOrg, createSubOrg, listArchivedSubOrgs, listSubOrgs } from "../../worker/orgs/service";
import { can } from "../../worker/policy/permissions";
import { actionErrorOf, FormErrors, fieldErrorsOf, SelectField, SubmitButton, TextField } from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { formatDateTime } from "../components/organization/format";
import { PanelHeading } from "../components/organization/panel";
import { timeZoneOptions } from "../components/organization/time-zones";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.sub-orgs";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "suborgs:manage");
  const { org } = scope;
  const url = new URL(request.url);
  const topLevel = org.parentOrgId === null;
  const [subOrgs, archived] = topLevel
    ? await asPageError(() => Promise.all([listSubOrgs(scope), listArchivedSubOrgs(scope)]))
    : [[], []];
  const archiveId = url.searchParams.get("archive");
  const parent = topLevel ? null : scope.orgs.find((o) => o.id === org.parentOrgId);
  return {
    orgId: org.id,
    orgName: org.name,
    topLevel,
    parent: parent ? { id: parent.id, name: parent.name } : null,
    plan: org.plan,
    canSeeBilling: can(scope.actor, "billing:manage", org.id),
    subOrgs: subOrgs.map((sub) => ({
      id: sub.id,
      name: sub.name,
      ein: sub.ein,
      timeZone: sub.timeZone,
      activeUsers: sub.activeUsers,
      overrides: sub.overriddenSettings.map((key) => INHERITABLE_SETTING_LABELS[key as InheritableSetting] ?? key),
      createdAt: sub.createdAt,
      created: formatDateTime(sub.createdAt, org.timeZone),
    })),
    archiving: subOrgs.find((sub) => sub.id === archiveId) ?? null,
    archived: archived.map((sub) => ({ ...sub, archived: formatDateTime(sub.archivedAt, org.timeZone) })),
    timeZones: topLevel && org.plan !== "FREE" ? timeZoneOptions(org.timeZone) : [],
    defaultTimeZone: org.timeZone,
  };
}

const NoInput = z.strictObject({});

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "suborgs:manage");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "archive") {
    const subOrgId = String(formData.get("_subOrgId") ?? "");
    const name = String(formData.get("_subOrgName") ?? "The sub-organization");
    const result = await formAction({}, NoInput, () => archiveSubOrg(scope, subOrgId));
    if (!("result" in result)) return result;
    return { ok: true as const, intent: "archive" as const, message: `${name} was archived. Its records are kept.` };
  }
  const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["name"] });
  const result = await formAction(form, SubOrgInput, (input) => createSubOrg(scope, input));
  if (!("result" in result)) return result;
  return { ok: true as const, intent: "create" as const, message: `${result.result.name} was created.` };
}

export function meta() {
  return [{ title: "Sub-organizations · Organization · RefriTrak" }];
}

export default function SubOrgsTab({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, topLevel, parent, plan, canSeeBilling, subOrgs, archiving, archived, timeZones, defaultTimeZone } =
    loaderData;
  const navigation = useNavigation();
  const createFormRef = useRef<HTMLFormElement>(null);
  const done = actionData && "intent" in actionData ? actionData : null;
  const error = actionErrorOf(actionData);
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  const self = `/o/${orgId}/organization/sub-orgs`;

  useEffect(() => {
    if (done?.intent === "create") createFormRef.current?.reset();
  }, [done]);

  if (!topLevel) {
    return (
      <section aria-labelledby="suborgs-heading" className="org-tab-panel">
        <h2 id="suborgs-heading">Sub-organizations</h2>
        <p>
          Sub-organizations are managed from the top-level organization
          {parent ? (
            <>
              {" "}
              (<Link to={`/o/${parent.id}/organization/sub-orgs`}>{parent.name}</Link>)
            </>
          ) : null}
          .
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="suborgs-heading" className="org-tab-panel">
      <div className="section-title">
        <h2 id="suborgs-heading">Sub-organizations</h2>
      </div>
      <div role="status" className="org-notice">
        {done ? <p className="alert alert-success">{done.message}</p> : null}
      </div>

      {plan === "FREE" ? (
        <div className="alert alert-info">
          <p>
            <strong>Sub-organizations need the PRO or ENTERPRISE plan.</strong> Your company is on the FREE plan. With
            PRO you can run each branch as its own sub-organization, with its own users, settings and dashboard, and
            switch between them.
          </p>
          {canSeeBilling ? (
            <p>
              <Link className="button button-primary" to={`/o/${orgId}/organization/billing`}>
                Change plan in Billing
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}

      {archiving ? (
        <section className="card stack org-panel org-panel-danger" aria-labelledby="archive-heading">
          <PanelHeading id="archive-heading">Archive {archiving.name}?</PanelHeading>
          <p>
            Nobody can open {archiving.name} any more, and its{" "}
            {archiving.activeUsers === 1 ? "1 active user" : `${archiving.activeUsers} active users`} can no longer sign
            in. Its records (units, cylinders, transfers, jobs, audit log) are kept.
          </p>
          {done ? null : <FormErrors error={error} />}
          <Form method="post" className="form-actions">
            <input type="hidden" name="_subOrgId" value={archiving.id} />
            <input type="hidden" name="_subOrgName" value={archiving.name} />
            <SubmitButton name="intent" value="archive" variant="danger" pendingLabel="Archiving…">
              Archive
            </SubmitButton>
            <Link className="button button-secondary" to={self}>
              Cancel
            </Link>
          </Form>
        </section>
      ) : null}

      {subOrgs.length === 0 ? (
        plan === "FREE" ? null : (
          <p className="empty-state">No sub-organizations yet. Create one for each branch below.</p>
        )
      ) : (
        <div className="table-wrap">
          <table className="table org-table-stack">
            <caption className="visually-hidden">Sub-organizations</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">EIN</th>
                <th scope="col">Time zone</th>
                <th scope="col">Active users</th>
                <th scope="col">Settings</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subOrgs.map((sub) => (
                <tr key={sub.id}>
                  <th scope="row" data-label="Name">
                    <Link to={`/o/${sub.id}`}>{sub.name}</Link>
                  </th>
                  <td data-label="EIN">{sub.ein ?? "—"}</td>
                  <td data-label="Time zone">{sub.timeZone.replaceAll("_", " ")}</td>
                  <td data-label="Active users" className="num">
                    {sub.activeUsers}
                  </td>
                  <td data-label="Settings">
                    {sub.overrides.length === 0 ? (
                      <span className="muted">All from {loaderData.orgName}</span>
                    ) : (
                      <>Own {sub.overrides.join(", ").toLowerCase()}</>
                    )}
                  </td>
                  <td data-label="Created">
                    {sub.created ? <time dateTime={sub.createdAt}>{sub.created}</time> : "—"}
                  </td>
                  <td className="org-cell-actions">
                    <Link
                      to={`/o/${sub.id}/organization/settings`}
                      className="button button-secondary button-small"
                      aria-label={`Rename or configure ${sub.name}`}
                    >
                      Configure
                    </Link>{" "}
                    <Link
                      to={`${self}?archive=${encodeURIComponent(sub.id)}`}
                      className="button button-secondary button-small"
                      aria-label={`Archive ${sub.name}`}
                    >
                      Archive
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {plan !== "FREE" ? (
        <section className="card stack org-panel" aria-labelledby="create-suborg-heading">
          <h3 id="create-suborg-heading" className="org-panel-heading">
            Create a sub-organization
          </h3>
          {done || archiving ? null : <FormErrors error={error} shownFields={["name", "ein", "timeZone"]} />}
          <Form method="post" ref={createFormRef} className="form">
            <div className="grid-2">
              <TextField label="Name" name="name" errors={archiving ? undefined : fields.name} />
              <TextField
                label="EIN"
                name="ein"
                required={false}
                hint="XX-XXXXXXX"
                placeholder="12-3456789"
                inputMode="numeric"
                errors={archiving ? undefined : fields.ein}
              />
              <SelectField
                label="Time zone"
                name="timeZone"
                options={timeZones}
                defaultValue={defaultTimeZone}
                errors={archiving ? undefined : fields.timeZone}
              />
            </div>
            <p className="field-hint">
              It follows this organization's brand and EPA settings (and time zone, unless you choose another) until it
              sets its own, on the {plan} plan.
            </p>
            <div className="form-actions">
              <SubmitButton
                name="intent"
                value="create"
                pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"}
                pendingLabel="Creating…"
              >
                Create sub-organization
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}

      {archived.length > 0 ? (
        <section className="stack" aria-labelledby="archived-heading">
          <h3 id="archived-heading">Archived</h3>
          <p className="muted small">
            Nobody can open these any more. Their records are kept: their transfers and leak repairs stay in the
            company's <Link to={`/o/${orgId}/compliance/report`}>compliance reports</Link>.
          </p>
          <ul className="list-plain list-divided">
            {archived.map((sub) => (
              <li key={sub.id}>
                {sub.name}{" "}
                <span className="muted small">
                  archived <time dateTime={sub.archivedAt}>{sub.archived}</time>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
