import { Form, useNavigation } from "react-router";
import { TerritoryAssigneesInput, TerritoryCreateInput, TerritoryPatchInput } from "../../worker/sales/schemas";
import {
  archiveTerritory,
  assignableReps,
  createTerritory,
  listTerritories,
  setAssignees,
  updateTerritory,
} from "../../worker/sales/territories";
import { actionErrorOf, FormErrors, FormSuccess, fieldErrorsOf, SubmitButton, TextField } from "../components/form";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/sales/sales.css";
import type { Route } from "./+types/organization.territories";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "territories:assign");
  const [territories, reps] = await asPageError(() =>
    Promise.all([listTerritories(scope, { archived: "all" }), assignableReps(scope)]),
  );
  return { orgName: scope.org.name, territories, reps };
}

/** "IL, WI mn" → ["IL", "WI", "mn"]: the schema upper-cases and validates each. */
const listOf = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(/[\s,;]+/)
        .map((item) => item.trim())
        .filter(Boolean)
    : [];

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, {
    create: "territories:assign",
    update: "territories:assign",
    archive: "territories:assign",
    assign: "territories:assign",
  });
  const form = formObject(formData, { keepEmpty: ["states", "zipPrefixes"] });
  const id = String(form.territoryId ?? "");
  const area = { name: form.name, states: listOf(form.states), zipPrefixes: listOf(form.zipPrefixes) };
  const done =
    (message: string) =>
    async <T,>(run: Promise<T>) => {
      await run;
      return message;
    };
  switch (intent) {
    case "create":
      return formAction(area, TerritoryCreateInput, (input) =>
        done("Territory created.")(createTerritory(scope, input)),
      );
    case "update":
      return formAction(area, TerritoryPatchInput, (input) =>
        done("Territory saved.")(updateTerritory(scope, id, input)),
      );
    case "archive":
      return formAction({}, TerritoryPatchInput, () => done("Territory archived.")(archiveTerritory(scope, id)));
    default: {
      const userIds = formData.getAll("userIds").map(String);
      return formAction({ userIds }, TerritoryAssigneesInput, (input) =>
        done("Sales reps saved.")(setAssignees(scope, id, input)),
      );
    }
  }
}

export const meta: Route.MetaFunction = () => [{ title: "Territories · Organization · RefriTrak" }];

export default function Territories({ loaderData, actionData }: Route.ComponentProps) {
  const { territories, reps } = loaderData;
  const navigation = useNavigation();
  const pendingIntent = navigation.formData?.get("intent");
  const pendingId = navigation.formData?.get("territoryId");
  const success = actionData && "ok" in actionData && actionData.ok ? String(actionData.result) : null;
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const active = territories.filter((t) => !t.archived);
  const archived = territories.filter((t) => t.archived);
  return (
    <div className="stack">
      <p className="muted">
        A sales rep sees the cylinders for sale located in their territories: at a customer's site by its state and ZIP,
        in the warehouse or on a truck by this branch's address.
      </p>
      <FormSuccess>{success}</FormSuccess>
      <FormErrors error={error} shownFields={[]} />

      <section className="card stack" aria-labelledby="new-territory-heading">
        <h2 id="new-territory-heading">New territory</h2>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="create" />
          <div className="grid-3">
            <TextField label="Name" name="name" maxLength={80} errors={fields.name} />
            <TextField
              label="States"
              name="states"
              required={false}
              hint="2-letter codes, e.g. IL, WI, MN"
              errors={fields.states}
            />
            <TextField
              label="ZIP prefixes"
              name="zipPrefixes"
              required={false}
              hint="1 to 5 digits, e.g. 554, 55"
              inputMode="numeric"
              errors={fields.zipPrefixes}
            />
          </div>
          <div className="form-actions">
            <SubmitButton pending={pendingIntent === "create"} pendingLabel="Creating…">
              Create territory
            </SubmitButton>
          </div>
        </Form>
      </section>

      {active.length === 0 ? <p className="empty-state">No territory yet.</p> : null}
      {active.map((territory) => (
        <section key={territory.id} className="card sales-territory" aria-labelledby={`territory-${territory.id}`}>
          <h2 id={`territory-${territory.id}`}>{territory.name}</h2>
          <p className="muted small">
            {[territory.states.join(", "), territory.zipPrefixes.map((p) => `${p}…`).join(", ")]
              .filter(Boolean)
              .join(" · ")}
            {" — "}
            {territory.assignees.length > 0
              ? `Reps: ${territory.assignees.map((rep) => rep.name).join(", ")}`
              : "No rep assigned"}
          </p>
          <Form method="post" className="form" key={`${territory.id}-${territory.name}-${territory.states.join()}`}>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="territoryId" value={territory.id} />
            <div className="grid-3">
              <TextField label="Name" name="name" defaultValue={territory.name} maxLength={80} />
              <TextField label="States" name="states" required={false} defaultValue={territory.states.join(", ")} />
              <TextField
                label="ZIP prefixes"
                name="zipPrefixes"
                required={false}
                defaultValue={territory.zipPrefixes.join(", ")}
              />
            </div>
            <div className="form-actions">
              <SubmitButton
                variant="secondary"
                pending={pendingIntent === "update" && pendingId === territory.id}
                pendingLabel="Saving…"
              >
                Save {territory.name}
              </SubmitButton>
            </div>
          </Form>
          <Form
            method="post"
            className="form"
            key={`${territory.id}-reps-${territory.assignees.map((r) => r.id).join()}`}
          >
            <input type="hidden" name="intent" value="assign" />
            <input type="hidden" name="territoryId" value={territory.id} />
            <fieldset className="sales-reps">
              <legend>Sales reps</legend>
              {reps.length === 0 ? <p className="muted small">No active sales rep reaches this organization.</p> : null}
              {reps.map((rep) => (
                <label key={rep.id} className="cluster">
                  <input
                    type="checkbox"
                    name="userIds"
                    value={rep.id}
                    defaultChecked={territory.assignees.some((a) => a.id === rep.id)}
                  />
                  {rep.name} <span className="muted small">{rep.email}</span>
                </label>
              ))}
            </fieldset>
            <div className="form-actions">
              <SubmitButton
                variant="secondary"
                pending={pendingIntent === "assign" && pendingId === territory.id}
                pendingLabel="Saving…"
              >
                Save reps of {territory.name}
              </SubmitButton>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="archive" />
            <input type="hidden" name="territoryId" value={territory.id} />
            <SubmitButton variant="danger" pending={pendingIntent === "archive" && pendingId === territory.id}>
              Archive {territory.name}
            </SubmitButton>
          </Form>
        </section>
      ))}
      {archived.length > 0 ? (
        <section className="card stack" aria-labelledby="archived-territories">
          <h2 id="archived-territories">Archived</h2>
          <ul className="list-plain">
            {archived.map((territory) => (
              <li key={territory.id}>
                {territory.name} <span className="muted small">{territory.states.join(", ")}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
