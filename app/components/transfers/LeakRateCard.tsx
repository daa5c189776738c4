import { Fragment } from "react";
import { formatUtcDay, leakRateVerdict, METHOD_LABELS } from "./format";

export type LeakRateData = {
  method: "ANNUALIZING" | "ROLLING_AVERAGE";
  percent: number;
  threshold: number;
  alertLevel: number;
  exceeded: boolean;
  alert: boolean;
  explanation: string;
  inputs?: unknown;
  ruleVersion?: string;
};

const pct = (value: number) => `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value)}%`;

/** What the engine stored, as label/value pairs a reader can check against the formula. */
function inputRows(inputs: unknown): [string, string][] {
  if (!inputs || typeof inputs !== "object") return [];
  const i = inputs as Record<string, unknown>;
  const rows: [string, string][] = [];
  const add = (label: string, value: unknown) => {
    if (value === null || value === undefined || value === "") return;
    rows.push([label, String(value)]);
  };
  add("Added", typeof i.addedLb === "number" ? `${i.addedLb} lb` : null);
  add("Full charge", typeof i.fullChargeLb === "number" ? `${i.fullChargeLb} lb` : null);
  if (i.method === "ANNUALIZING") {
    add(
      "Previous addition",
      i.previousAdditionAt ? formatUtcDay(String(i.previousAdditionAt)) : "None (first addition)",
    );
    add("Days since previous", i.daysSincePrevious);
    add("Days used", `${i.daysUsed}${i.capped ? " (capped at 365)" : ""}`);
  } else if (i.method === "ROLLING_AVERAGE") {
    add(
      "Window",
      `${formatUtcDay(String(i.windowStart))} – ${formatUtcDay(String(i.windowEnd))}${i.windowStartReason === "FOLLOW_UP_TEST" ? " (since the last successful follow-up test)" : ""}`,
    );
    add("Added in window", typeof i.lbInWindow === "number" ? `${i.lbInWindow} lb` : null);
    add("Additions counted", Array.isArray(i.additionsCounted) ? i.additionsCounted.length : null);
  }
  return rows;
}

/** A leak rate with its verdict in words and how it was computed. */
export function LeakRateCard({
  rate,
  headingLevel = 2,
  pending = true,
}: {
  rate: LeakRateData;
  headingLevel?: 2 | 3;
  /** The charge still awaits review: say what approving it does. */
  pending?: boolean;
}) {
  const verdict = leakRateVerdict(rate);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const rows = inputRows(rate.inputs);
  return (
    <section className={`card stack leak-rate leak-rate-${verdict.tone}`} aria-labelledby="leak-rate-heading">
      <Heading id="leak-rate-heading" className="card-title">
        Leak rate
      </Heading>
      <p className="leak-rate-figure">
        <strong>{pct(rate.percent)}</strong>
        <span
          className={
            verdict.tone === "danger"
              ? "badge badge-red"
              : verdict.tone === "warning"
                ? "badge badge-amber"
                : "badge badge-green"
          }
        >
          {verdict.title}
        </span>
      </p>
      {pending || !rate.exceeded ? <p>{verdict.detail}</p> : null}
      <dl className="kv">
        <dt>Threshold</dt>
        <dd>{pct(rate.threshold)}</dd>
        <dt>Alert level</dt>
        <dd>{pct(rate.alertLevel)}</dd>
        <dt>Method</dt>
        <dd>{METHOD_LABELS[rate.method]}</dd>
      </dl>
      <details className="leak-rate-how">
        <summary>How this was computed</summary>
        <p className="mono leak-rate-explanation">{rate.explanation}</p>
        {rows.length > 0 ? (
          <dl className="kv">
            {rows.map(([label, value]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        ) : null}
        {rate.ruleVersion ? <p className="muted small">EPA rules version {rate.ruleVersion}</p> : null}
      </details>
    </section>
  );
}
