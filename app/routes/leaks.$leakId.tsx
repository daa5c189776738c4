/**
 * One leak case: the unit, the leak rate that opened it, every deadline (from the compliance
 * engine), the timeline, and the next step's form — repair, initial and follow-up verification,
 * retrofit/retirement plan, close — each shown only when allowed and in order.
 */
import type { ReactNode } from "react";
import { type data, Form, Link } from "react-router";
import {
  LeakCloseInput,
  LeakRepairInput,
  LeakRetrofitPlanInput,
  LeakVerificationInput,
} from "../../worker/leaks/schemas";
import { closeLeak, getLeak, recordRepair, recordRetrofitPlan, recordVerification } from "../../worker/leaks/service";
import type { Permission } from "../../worker/policy/permissions";
import { instantToZonedLocal, zonedLocalToInstant } from "../../worker/transfers/dates";
import { formatDateTime } from "../components/datetime";
import {
  actionErrorOf,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../components/form";
import { LEAK_STATUS_TONES } from "../components/leaks/format";
import { useCan } from "../components/org-shell";
import { formatLb, formatUtcDay } from "../components/transfers/format";
import { LeakRateCard } from "../components/transfers/LeakRateCard";
import { type ActionError, asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/leaks/leaks.css";
import "../components/transfers/transfers.css";
import type { Route } from "./+types/leaks.$leakId";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `Leak on ${loaderData.leak.unit.name} · RefriTrak` : "Leak · RefriTrak" },
];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "leaks:view");
  const leak = await asPageError(() => getLeak(scope, params.leakId));
  return {
    orgId: scope.org.id,
    timeZone: scope.user.timeZone,
    leak,
    nowLocal: instantToZonedLocal(new Date(), scope.user.timeZone),
    reported: new URL(request.url).searchParams.has("reported"),
  };
}

const INTENTS: Record<string, Permission> = {
  repair: "leaks:report",
  "verify-initial": "leaks:report",
  "verify-follow-up": "leaks:report",
  "retrofit-plan": "leaks:plan",
  close: "leaks:plan",
};

const DONE: Record<string, string> = {
  repair: "Repair recorded. Next: the initial verification test.",
  "verify-initial": "Initial verification test recorded.",
  "verify-follow-up": "Follow-up verification test recorded.",
  "retrofit-plan": "Retrofit or retirement plan recorded.",
  close: "Case closed.",
};

/** A datetime-local field in the user's zone → an ISO instant (left as typed when unreadable, for the schema to refuse). */
function instantField(form: Record<string, unknown>, key: string, timeZone: string) {
  const value = form[key];
  if (typeof value !== "string") return;
  const instant = zonedLocalToInstant(value, timeZone);
  if (instant) form[key] = instant.toISOString();
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENTS);
  const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["description", "plan"] });
  const zone = scope.user.timeZone;
  const id = params.leakId;
  const done = <T,>(result: { ok: true; result: T } | ReturnType<typeof data<ActionError>>) =>
    "result" in result ? { ok: true as const, intent } : result;

  if (intent === "repair") {
    instantField(form, "repairedAt", zone);
    return done(await formAction(form, LeakRepairInput, (input) => recordRepair(scope, id, input)));
  }
  if (intent === "verify-initial" || intent === "verify-follow-up") {
    instantField(form, "testedAt", zone);
    const passed = form.passed === "true" ? true : form.passed === "false" ? false : form.passed;
    const input = { ...form, passed, kind: intent === "verify-initial" ? "INITIAL" : "FOLLOW_UP" };
    return done(await formAction(input, LeakVerificationInput, (parsed) => recordVerification(scope, id, parsed)));
  }
  if (intent === "retrofit-plan") {
    return done(await formAction(form, LeakRetrofitPlanInput, (input) => recordRetrofitPlan(scope, id, input)));
  }
  return done(await formAction(form, LeakCloseInput, (input) => closeLeak(scope, id, input)));
}

export default function LeakPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, timeZone, leak, nowLocal, reported } = loaderData;
  const allowed = useCan();
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const done = actionData
    ? "intent" in actionData
      ? DONE[actionData.intent]
      : null
    : reported
      ? "Leak reported."
      : null;
  const steps = leak.nextSteps;
  const maxLocal = `${nowLocal.slice(0, 10)}T23:59`;
  const followUp = leak.deadlines.find((deadline) => deadline.key === "FOLLOW_UP");
  const canReport = allowed("leaks:report");
  const canPlan = allowed("leaks:plan");
  const closeOutcomes = (["REPAIRED", "RETIRED"] as const).filter((outcome) => steps.close[outcome]);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={`/o/${orgId}/leaks`}>Leaks</Link>
          </p>
          <h1 className="page-title">Leak on {leak.unit.name}</h1>
          <p className="cluster lede">
            <span className={`badge ${LEAK_STATUS_TONES[leak.status]}`}>{leak.statusLabel}</span>
            {leak.overdue ? <span className="overdue-flag">Overdue</span> : null}
            {leak.locationOnUnit ? <span>{leak.locationOnUnit}</span> : null}
          </p>
        </div>
      </div>

      <div role="status">{done ? <FormSuccess>{done}</FormSuccess> : null}</div>
      <FormErrors
        error={error}
        shownFields={["repairedAt", "description", "testedAt", "passed", "plan", "completeBy", "outcome", "note"]}
      />

      <div className="leak-layout section">
        <div className="stack">
          <section className="card stack" aria-labelledby="deadlines-heading">
            <h2 id="deadlines-heading" className="card-title">
              Deadlines
            </h2>
            {leak.deadlines.length === 0 ? (
              <p className="muted">
                No EPA deadline: the unit's leak rate was not over its threshold when this leak was reported.
              </p>
            ) : (
              <ul className="deadline-list">
                {leak.deadlines.map((deadline) => (
                  <li key={deadline.key}>
                    <span className="cluster">
                      <strong>{deadline.label}</strong>
                      {deadline.overdue ? <span className="overdue-flag">Overdue</span> : null}
                      {deadline.metAt ? <span className="badge badge-green">Done</span> : null}
                    </span>
                    <span className={deadline.overdue ? "deadline-overdue" : undefined}>
                      {deadline.overdue ? "Was due" : "Due"} {formatUtcDay(deadline.dueAt)}
                      {deadline.metAt ? ` · done ${formatDateTime(deadline.metAt, timeZone)}` : ""}
                    </span>
                    <span className="muted small">{deadline.rule}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card stack" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" className="card-title">
              Timeline
            </h2>
            <ol className="timeline">
              {leak.timeline.map((item) => (
                <li
                  key={`${item.kind}-${item.title}-${item.at}`}
                  className={
                    item.kind === "deadline"
                      ? item.overdue
                        ? "timeline-deadline timeline-overdue"
                        : "timeline-deadline"
                      : undefined
                  }
                >
                  <span className="timeline-title">
                    {item.title}
                    {item.overdue ? " — Overdue" : ""}
                  </span>
                  <br />
                  <time dateTime={item.at} className="muted small">
                    {item.kind === "deadline" ? formatUtcDay(item.at) : formatDateTime(item.at, timeZone)}
                  </time>
                  {item.detail ? <p className="timeline-detail">{item.detail}</p> : null}
                </li>
              ))}
            </ol>
          </section>

          {leak.leakRate ? (
            <>
              <LeakRateCard rate={leak.leakRate} pending={false} />
              <p className="small">
                <Link to={`/o/${orgId}/transfers/${leak.leakRate.transferId}`}>The charge that showed it</Link>
              </p>
            </>
          ) : null}
        </div>

        <div className="stack">
          <section className="card stack" aria-labelledby="unit-heading">
            <h2 id="unit-heading" className="card-title">
              Unit
            </h2>
            <dl className="kv">
              <dt>Unit</dt>
              <dd>
                <Link to={`/o/${orgId}/units/${leak.unit.id}`}>{leak.unit.name}</Link>
              </dd>
              <dt>Site</dt>
              <dd>{leak.unit.locationName}</dd>
              <dt>Refrigerant and full charge</dt>
              <dd>
                {leak.unit.refrigerant} · {formatLb(leak.unit.fullChargeLb)}
              </dd>
              <dt>Found</dt>
              <dd>
                {formatDateTime(leak.foundAt, timeZone)}
                {leak.foundBy?.name ? ` by ${leak.foundBy.name}` : ""}
                {leak.detectionLabel ? ` · ${leak.detectionLabel}` : ""}
              </dd>
              {leak.notes ? (
                <>
                  <dt>Notes</dt>
                  <dd className="pre-line">{leak.notes}</dd>
                </>
              ) : null}
            </dl>
          </section>

          {steps.repair && canReport ? (
            <StepForm title="Record the repair" id="repair">
              <TextField
                label="Repaired on"
                name="repairedAt"
                type="datetime-local"
                defaultValue={nowLocal}
                max={maxLocal}
                errors={fields.repairedAt}
              />
              <TextAreaField
                label="What was repaired"
                name="description"
                rows={3}
                maxLength={2000}
                errors={fields.description}
              />
              <SubmitButton name="intent" value="repair" pendingLabel="Saving…">
                Record repair
              </SubmitButton>
            </StepForm>
          ) : null}

          {steps.initialTest && canReport ? (
            <StepForm title="Initial verification test" id="initial">
              <TextField
                label="Tested on"
                name="testedAt"
                type="datetime-local"
                defaultValue={nowLocal}
                max={maxLocal}
                errors={fields.testedAt}
              />
              <TestResult errors={fields.passed} />
              <SubmitButton name="intent" value="verify-initial" pendingLabel="Saving…">
                Record initial test
              </SubmitButton>
            </StepForm>
          ) : null}

          {steps.followUpTest && canReport ? (
            <StepForm
              title="Follow-up verification test"
              id="follow-up"
              hint={followUp ? `Due ${formatUtcDay(followUp.dueAt)} (within 10 days of the initial test).` : undefined}
            >
              <TextField
                label="Tested on"
                name="testedAt"
                type="datetime-local"
                defaultValue={nowLocal}
                max={maxLocal}
                errors={fields.testedAt}
              />
              <TestResult errors={fields.passed} />
              <SubmitButton name="intent" value="verify-follow-up" pendingLabel="Saving…">
                Record follow-up test
              </SubmitButton>
            </StepForm>
          ) : null}

          {steps.retrofitPlan && canPlan ? (
            <StepForm
              title={leak.retrofitPlan ? "Update the retrofit or retirement plan" : "Retrofit or retirement plan"}
              id="plan"
              hint="Due within 30 days of the failed repair; the retrofit or retirement is done within one year of the plan."
            >
              <TextAreaField
                label="Plan"
                name="plan"
                rows={4}
                maxLength={5000}
                defaultValue={leak.retrofitPlan ?? ""}
                errors={fields.plan}
              />
              <TextField
                label="Complete by"
                name="completeBy"
                type="date"
                required={false}
                hint="Defaults to one year from today."
                errors={fields.completeBy}
              />
              <SubmitButton name="intent" value="retrofit-plan" pendingLabel="Saving…">
                Record plan
              </SubmitButton>
            </StepForm>
          ) : null}

          {closeOutcomes.length > 0 && canPlan ? (
            <StepForm title="Close the case" id="close">
              <fieldset className="result-choice">
                <legend className="field-label">Outcome</legend>
                <div className="cluster">
                  {closeOutcomes.map((outcome, index) => (
                    <label key={outcome}>
                      <input type="radio" name="outcome" value={outcome} defaultChecked={index === 0} />
                      {outcome === "REPAIRED" ? "Repaired" : "Unit retired"}
                    </label>
                  ))}
                </div>
                {fields.outcome ? <p className="field-error">{fields.outcome.join(" ")}</p> : null}
              </fieldset>
              <TextField label="Note" name="note" maxLength={1000} required={false} errors={fields.note} />
              <SubmitButton name="intent" value="close" variant="secondary" pendingLabel="Closing…">
                Close case
              </SubmitButton>
            </StepForm>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function StepForm({ title, id, hint, children }: { title: string; id: string; hint?: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="card-title">
        {title}
      </h2>
      {hint ? <p className="muted small">{hint}</p> : null}
      <Form method="post" className="form stack" noValidate>
        {children}
      </Form>
    </section>
  );
}

function TestResult({ errors }: { errors?: string[] }) {
  return (
    <fieldset className="result-choice">
      <legend className="field-label">Result</legend>
      <div className="cluster">
        <label>
          <input type="radio" name="passed" value="true" required /> Passed
        </label>
        <label>
          <input type="radio" name="passed" value="false" /> Failed
        </label>
      </div>
      {errors ? <p className="field-error">{errors.join(" ")}</p> : null}
    </fieldset>
  );
}
