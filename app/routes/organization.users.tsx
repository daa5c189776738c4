import { useEffect, useRef, useState } from "react";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { HttpError } from "../../worker/http/errors";
import { ASSIGNABLE_ROLES, can, canManageUser, ROLE_LABELS, type Role } from "../../worker/policy/permissions";
import { UserCreateInput, UserListQuery, UserPatchInput } from "../../worker/users/schemas";
import { createUser, deactivateUser, getUser, listUsers, updateUser } from "../../worker/users/service";
import {
  actionErrorOf,
  CheckboxField,
  FilterSelect,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SelectField,
  SubmitButton,
  TextField,
} from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { formatDateTime } from "../components/organization/format";
import { PanelHeading } from "../components/organization/panel";
import { RowActionsMenu } from "../components/organization/row-actions-menu";
import { timeZoneOptions } from "../components/organization/time-zones";
import { RoleBadge } from "../components/RoleBadge";
import "../components/suborgs/suborgs.css";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.users";

const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const CERTIFICATION_OPTIONS = [
  { value: "I", label: "Type I" },
  { value: "II", label: "Type II" },
  { value: "III", label: "Type III" },
  { value: "UNIVERSAL", label: "Universal" },
];
const STATUS_OPTIONS = [
  { value: "ACTIVE", label: "Active" },
  { value: "DEACTIVATED", label: "Deactivated" },
];

const Filter = UserListQuery.pick({ role: true, status: true, orgId: true });
type UserFilter = z.infer<typeof Filter>;

function readFilter(url: URL): UserFilter {
  const parsed = Filter.safeParse({
    role: url.searchParams.get("role") || undefined,
    status: url.searchParams.get("status") || undefined,
    orgId: url.searchParams.get("orgId") || undefined,
  });
  return parsed.success ? parsed.data : {};
}

/** The Users tab URL with the list's filters kept and the given panel or notice added. */
function usersHref(orgId: string, filter: UserFilter, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  if (filter.role) params.set("role", filter.role);
  if (filter.status) params.set("status", filter.status);
  if (filter.orgId) params.set("orgId", filter.orgId);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `/o/${orgId}/organization/users${query ? `?${query}` : ""}`;
}

/** A user named in the URL (`?edit=`, `?deactivate=`) who is not in this list is simply not shown. */
async function userOrNull(run: () => Promise<Awaited<ReturnType<typeof getUser>>>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "users:view");
  const url = new URL(request.url);
  const filter = readFilter(url);
  const { actor, org } = scope;
  const orgNames = new Map(scope.orgs.map((reachable) => [reachable.id, reachable.name]));
  const canAdd = can(actor, "users:manage", org.id) && ASSIGNABLE_ROLES[actor.role].length > 0;
  const editId = url.searchParams.get("edit");
  const deactivateId = url.searchParams.get("deactivate");
  const [list, editing, deactivating] = await Promise.all([
    asPageError(() => listUsers(scope, filter)),
    editId ? asPageError(() => userOrNull(() => getUser(scope, editId))) : null,
    deactivateId ? asPageError(() => userOrNull(() => getUser(scope, deactivateId))) : null,
  ]);
  const adding = canAdd && url.searchParams.has("add") && !editing && !deactivating;
  const noticeId = url.searchParams.get("updated") ?? url.searchParams.get("deactivated");
  const noticeUser = noticeId ? list.find((user) => user.id === noticeId) : undefined;
  const notice = noticeUser
    ? url.searchParams.has("updated")
      ? `Saved changes to ${noticeUser.name}.`
      : `${noticeUser.name} was deactivated and signed out everywhere.`
    : null;

  return {
    orgId: org.id,
    filter,
    // At the top-level org a parent admin's list holds the whole company: say which org each user is in.
    showOrgColumn: org.parentOrgId === null && actor.role === "PARENT_ORG_ADMIN",
    orgOptions: scope.orgs.map((reachable) => ({ id: reachable.id, name: reachable.name })),
    canAdd,
    assignableRoles: [...ASSIGNABLE_ROLES[actor.role]],
    users: list.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      orgName: user.orgName,
      // Other orgs of the company the user reaches (accessibleOrgIds), by name, as far as the viewer reaches them.
      alsoIn: user.accessibleOrgIds.flatMap((id) => orgNames.get(id) ?? []),
      status: user.status,
      lastLoginAt: user.lastLoginAt,
      lastLogin: formatDateTime(user.lastLoginAt, org.timeZone),
      manageable: canManageUser(actor, user),
    })),
    adding,
    editing:
      editing && canManageUser(actor, editing)
        ? {
            id: editing.id,
            name: editing.name,
            email: editing.email,
            role: editing.role,
            orgId: editing.orgId,
            orgName: editing.orgName,
            timeZone: editing.timeZone,
            certificationNumber: editing.certificationNumber,
            certificationType: editing.certificationType,
            accessibleOrgIds: editing.accessibleOrgIds,
            assignableRoles: editing.assignableRoles,
          }
        : null,
    deactivating:
      deactivating && canManageUser(actor, deactivating) && deactivating.status === "ACTIVE"
        ? { id: deactivating.id, name: deactivating.name, email: deactivating.email, orgName: deactivating.orgName }
        : null,
    // Granting access to other orgs of the company is a parent admin's power; they reach every org.
    grantableOrgs: can(actor, "users:grant-org-access") ? scope.orgs.map((o) => ({ id: o.id, name: o.name })) : null,
    timeZones: adding || editing ? timeZoneOptions(editing?.timeZone ?? org.timeZone) : [],
    defaultTimeZone: org.timeZone,
    notice,
  };
}

/** The edit form as UserPatchInput expects it: cleared certification fields become null. */
function userPatchFromForm(formData: FormData) {
  const { intent: _intent, ...form } = formObject(formData, {
    keepEmpty: ["name", "certificationNumber", "certificationType"],
  });
  const patch: Record<string, unknown> = { ...form };
  for (const key of ["certificationNumber", "certificationType"]) {
    if (patch[key] === "") patch[key] = null;
  }
  // Unchecked boxes send nothing; the marker (holding the grants the form was opened with) says the
  // checkbox group was on the form. Unchanged grants are left out: changing them closes the user's
  // live connections.
  delete patch.accessibleOrgIds;
  const shownGrants = formData.get("_grantsOrgAccess");
  if (typeof shownGrants === "string") {
    const granted = formData.getAll("accessibleOrgIds").map(String).sort();
    if (granted.join(",") !== shownGrants.split(",").filter(Boolean).sort().join(",")) patch.accessibleOrgIds = granted;
  }
  return patch;
}

const NoInput = z.strictObject({});

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "users:manage");
  const url = new URL(request.url);
  const filter = readFilter(url);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const userId = String(formData.get("_userId") ?? "");

  if (intent === "create") {
    const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["name", "email"] });
    const result = await formAction(form, UserCreateInput, (input) => createUser(scope, input, url.origin));
    if (!("result" in result)) return result;
    const { user, invitation } = result.result;
    return {
      ok: true as const,
      intent: "create" as const,
      user: { name: user.name, email: user.email },
      invitation: { url: invitation.url, expires: formatDateTime(invitation.expiresAt, scope.org.timeZone) },
    };
  }
  if (intent === "update") {
    const result = await formAction(userPatchFromForm(formData), UserPatchInput, (input) =>
      updateUser(scope, userId, input),
    );
    if (!("result" in result)) return result;
    throw redirect(usersHref(scope.org.id, filter, { updated: userId }));
  }
  if (intent === "deactivate") {
    const result = await formAction({}, NoInput, () => deactivateUser(scope, userId));
    if (!("result" in result)) return result;
    throw redirect(usersHref(scope.org.id, filter, { deactivated: userId }));
  }
  throw data({ error: { code: "BAD_REQUEST", message: "Unknown action." } }, { status: 400 });
}

export function meta() {
  return [{ title: "Users · Organization · RefriTrak" }];
}

export default function UsersTab({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, filter, users, showOrgColumn, orgOptions, canAdd, editing, deactivating, adding, notice } = loaderData;
  const close = usersHref(orgId, filter);
  const csvParams = new URLSearchParams({ format: "csv" });
  if (filter.role) csvParams.set("role", filter.role);
  if (filter.status) csvParams.set("status", filter.status);
  if (filter.orgId) csvParams.set("orgId", filter.orgId);

  return (
    <section aria-labelledby="users-heading" className="org-tab-panel">
      <div className="section-title">
        <h2 id="users-heading">Users</h2>
        <div className="cluster">
          <a className="button button-secondary" href={`/api/orgs/${orgId}/users?${csvParams}`} download>
            Export CSV
          </a>
          {canAdd ? (
            <Link className="button button-primary" to={usersHref(orgId, filter, { add: "1" })}>
              Add user
            </Link>
          ) : null}
        </div>
      </div>

      <div role="status" className="org-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
      </div>

      {adding ? <AddUserPanel loaderData={loaderData} actionData={actionData} close={close} /> : null}
      {editing ? <EditUserPanel loaderData={loaderData} actionData={actionData} close={close} /> : null}
      {deactivating ? (
        <section className="card stack org-panel org-panel-danger" aria-labelledby="deactivate-heading">
          <PanelHeading id="deactivate-heading">Deactivate {deactivating.name}?</PanelHeading>
          <p>
            {deactivating.name} ({deactivating.email}, {deactivating.orgName}) is signed out at once and can no longer
            sign in. Their transfers, jobs and notes keep their name. This cannot be undone here.
          </p>
          <FormErrors error={actionErrorOf(actionData)} />
          <Form method="post" className="form-actions">
            <input type="hidden" name="_userId" value={deactivating.id} />
            <SubmitButton name="intent" value="deactivate" variant="danger" pendingLabel="Deactivating…">
              Deactivate
            </SubmitButton>
            <Link className="button button-secondary" to={close}>
              Cancel
            </Link>
          </Form>
        </section>
      ) : null}

      <Form method="get" className="org-filters" aria-label="Filter users">
        <FilterSelect
          id="filter-role"
          name="role"
          label="Filter by role"
          value={filter.role}
          all="All roles"
          options={ROLE_OPTIONS}
        />
        <FilterSelect
          id="filter-status"
          name="status"
          label="Filter by status"
          value={filter.status}
          all="All statuses"
          options={STATUS_OPTIONS}
        />
        <button type="submit" className="button button-secondary">
          Filter
        </button>
        {showOrgColumn ? (
          <FilterSelect
            id="filter-org"
            name="orgId"
            label="Filter by organization"
            value={filter.orgId}
            all="All organizations"
            options={orgOptions.map((option) => ({ value: option.id, label: option.name }))}
          />
        ) : null}
        {filter.role || filter.status || filter.orgId ? (
          <Link to={`/o/${orgId}/organization/users`}>Clear filters</Link>
        ) : null}
      </Form>

      <p className="muted small">
        {users.length === 1 ? "1 user" : `${users.length} users`}
        {filter.role ? ` with the role ${ROLE_LABELS[filter.role]}` : ""}
      </p>

      {users.length === 0 ? (
        <p className="empty-state">No users match these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="table org-table-stack">
            <caption className="visually-hidden">
              Users{showOrgColumn ? " of every organization in the company" : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                {showOrgColumn ? <th scope="col">Organization</th> : null}
                <th scope="col">Status</th>
                <th scope="col">Last login</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className={user.status === "ACTIVE" ? undefined : "org-row-muted"}>
                  <th scope="row" data-label="Name">
                    {user.name}
                  </th>
                  <td data-label="Email" className="org-cell-email">
                    {user.email}
                  </td>
                  <td data-label="Role">
                    <RoleBadge role={user.role} />
                  </td>
                  {showOrgColumn ? (
                    <td data-label="Organization">
                      {user.orgName}
                      {user.alsoIn.length > 0 ? (
                        <span className="si-access">Also: {user.alsoIn.join(", ")}</span>
                      ) : null}
                    </td>
                  ) : null}
                  <td data-label="Status">
                    <span className={user.status === "ACTIVE" ? "badge badge-green" : "badge"}>
                      {user.status === "ACTIVE" ? "Active" : "Deactivated"}
                    </span>
                  </td>
                  <td data-label="Last login">
                    {user.lastLoginAt && user.lastLogin ? (
                      <time dateTime={user.lastLoginAt}>{user.lastLogin}</time>
                    ) : (
                      "Never"
                    )}
                  </td>
                  <td className="org-cell-actions">
                    {user.manageable ? (
                      <RowActionsMenu
                        label={`Actions for ${user.name}`}
                        actions={[
                          { label: "Edit User", to: usersHref(orgId, filter, { edit: user.id }) },
                          ...(user.status === "ACTIVE"
                            ? [
                                {
                                  label: "Deactivate",
                                  to: usersHref(orgId, filter, { deactivate: user.id }),
                                  tone: "danger" as const,
                                },
                              ]
                            : []),
                        ]}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type PanelProps = Pick<Route.ComponentProps, "loaderData" | "actionData"> & { close: string };

function AddUserPanel({ loaderData, actionData, close }: PanelProps) {
  const { assignableRoles, timeZones, defaultTimeZone } = loaderData;
  const formRef = useRef<HTMLFormElement>(null);
  const navigation = useNavigation();
  const created = actionData && "intent" in actionData && actionData.intent === "create" ? actionData : null;
  const error = actionErrorOf(actionData);
  const fields = friendlyErrors(fieldErrorsOf(actionData));

  useEffect(() => {
    if (created) formRef.current?.reset();
  }, [created]);

  return (
    <section className="card stack org-panel" aria-labelledby="add-user-heading">
      <PanelHeading id="add-user-heading">Add user</PanelHeading>
      <p className="muted">
        The new user gets an invitation by email. You also get the link here, to send it yourself.
      </p>
      {created ? (
        <FormSuccess>
          <p>
            Invitation created for {created.user.name} ({created.user.email}). The link expires{" "}
            {created.invitation.expires}.
          </p>
          <CopyField label="Invitation link" value={created.invitation.url} />
        </FormSuccess>
      ) : null}
      <FormErrors
        error={error}
        shownFields={["name", "email", "role", "timeZone", "certificationNumber", "certificationType"]}
      />
      <Form method="post" ref={formRef} className="form">
        <div className="grid-2">
          <TextField label="Name" name="name" autoComplete="off" errors={fields.name} />
          <TextField label="Email" name="email" type="email" autoComplete="off" errors={fields.email} />
          <SelectField
            label="Role"
            name="role"
            options={assignableRoles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            placeholder={assignableRoles.length > 1 ? "Choose a role…" : undefined}
            defaultValue={assignableRoles.length > 1 ? "" : assignableRoles[0]}
            errors={fields.role}
          />
          <SelectField
            label="Time zone"
            name="timeZone"
            options={timeZones}
            defaultValue={defaultTimeZone}
            errors={fields.timeZone}
          />
          <TextField
            label="608 certification number"
            name="certificationNumber"
            required={false}
            errors={fields.certificationNumber}
          />
          <SelectField
            label="Certification type"
            name="certificationType"
            required={false}
            placeholder="None"
            defaultValue=""
            options={CERTIFICATION_OPTIONS}
            errors={fields.certificationType}
          />
        </div>
        <div className="form-actions">
          <SubmitButton
            name="intent"
            value="create"
            pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"}
            pendingLabel="Sending invitation…"
          >
            Send invitation
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            {created ? "Done" : "Cancel"}
          </Link>
        </div>
      </Form>
    </section>
  );
}

function EditUserPanel({ loaderData, actionData, close }: PanelProps) {
  const { editing, grantableOrgs, timeZones } = loaderData;
  const navigation = useNavigation();
  if (!editing) return null;
  const error = actionErrorOf(actionData);
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  const otherOrgs = grantableOrgs?.filter((org) => org.id !== editing.orgId) ?? [];

  return (
    <section className="card stack org-panel" aria-labelledby="edit-user-heading">
      <PanelHeading id="edit-user-heading">Edit {editing.name}</PanelHeading>
      <p className="muted">
        {editing.email} · {editing.orgName}
      </p>
      <FormErrors
        error={error}
        shownFields={["name", "role", "timeZone", "certificationNumber", "certificationType", "accessibleOrgIds"]}
      />
      <Form method="post" key={editing.id} className="form">
        <input type="hidden" name="_userId" value={editing.id} />
        <div className="grid-2">
          <TextField label="Name" name="name" defaultValue={editing.name} errors={fields.name} />
          <SelectField
            label="Role"
            name="role"
            options={editing.assignableRoles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            defaultValue={editing.role}
            hint="Takes effect on the user's next request."
            errors={fields.role}
          />
          <SelectField
            label="Time zone"
            name="timeZone"
            options={timeZones}
            defaultValue={editing.timeZone}
            errors={fields.timeZone}
          />
          <TextField
            label="608 certification number"
            name="certificationNumber"
            required={false}
            defaultValue={editing.certificationNumber ?? ""}
            errors={fields.certificationNumber}
          />
          <SelectField
            label="Certification type"
            name="certificationType"
            required={false}
            placeholder="None"
            defaultValue={editing.certificationType ?? ""}
            options={CERTIFICATION_OPTIONS}
            errors={fields.certificationType}
          />
        </div>
        {grantableOrgs && otherOrgs.length > 0 ? (
          <fieldset className="org-fieldset" aria-describedby="access-hint">
            <legend>Access to other organizations of the company</legend>
            <p id="access-hint" className="field-hint">
              {editing.name} always reaches {editing.orgName}. Grant other organizations of the company for roving
              supervisors and consultants.
            </p>
            <input type="hidden" name="_grantsOrgAccess" value={editing.accessibleOrgIds.join(",")} />
            {otherOrgs.map((org) => (
              <CheckboxField
                key={org.id}
                label={org.name}
                name="accessibleOrgIds"
                value={org.id}
                defaultChecked={editing.accessibleOrgIds.includes(org.id)}
              />
            ))}
            {fields.accessibleOrgIds ? <p className="field-error">{fields.accessibleOrgIds.join(" ")}</p> : null}
          </fieldset>
        ) : null}
        <div className="form-actions">
          <SubmitButton
            name="intent"
            value="update"
            pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "update"}
            pendingLabel="Saving…"
          >
            Save Changes
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

/** A read-only value with a copy button (the invitation link). */
function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="org-copy">
      <label className="field-label" htmlFor="invitation-link">
        {label}
      </label>
      <div className="org-copy-row">
        <input
          id="invitation-link"
          className="input"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button
          type="button"
          className="button button-secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
            } catch {
              // No clipboard API (plain http, old browser): copy the selected text instead.
              const input = document.getElementById("invitation-link") as HTMLInputElement | null;
              input?.select();
              document.execCommand("copy");
            }
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </button>
      </div>
    </div>
  );
}
