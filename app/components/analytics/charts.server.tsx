/**
 * The dashboard's charts as SVG markup, drawn on the server by recharts 2 (as the unit page's leak
 * rate chart is): the loader sends the markup, so no chart code reaches the browser and a live
 * update (which re-runs the loader) redraws them. Each is drawn at a phone's and a desktop's size
 * and scaled to its card by the viewBox.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from "recharts";
import { JOB_STATUSES, type JobStatus } from "../../../db/schema";
import type { Analytics } from "../../../worker/analytics/schemas";

export const SIZES = {
  narrow: { width: 340, height: 240, label: 10 },
  wide: { width: 640, height: 260, label: 18 },
} as const;
type Size = keyof typeof SIZES;

export const JOB_STATUS_COLORS: Record<JobStatus, string> = {
  PENDING: "#94a3b8",
  SCHEDULED: "#2563eb",
  IN_PROGRESS: "#d97706",
  COMPLETED: "#0f766e",
  CANCELED: "#e2e8f0",
};
export const FLOW_COLORS = { charged: "#0f766e", recovered: "#7c3aed" } as const;
const AXIS = "#475569";
const GRID = "#e2e8f0";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Keeps only the <svg>, without its fixed size, so CSS scales it; hidden from assistive tech (the page says the numbers). */
function scalable(markup: string): string | null {
  const svg = /<svg\b[\s\S]*<\/svg>/.exec(markup)?.[0];
  if (!svg) return null;
  return svg.replace(/^<svg\b([^>]*)>/, (_open, attributes: string) => {
    const kept = attributes.replace(/\s(width|height|style)="[^"]*"/g, "").trim();
    return `<svg ${kept} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">`;
  });
}

type Row = Record<string, string | number>;

/**
 * Drawn charts by what they were drawn from. recharts takes ~2 ms of CPU a chart on workerd and the
 * dashboard draws six (three charts, two sizes), on every load and again on every open dashboard
 * at each live update, mostly from the same numbers. A chart is a pure function of its rows and
 * options, so the same input gets the same markup; the oldest entry goes first past `DRAWN_LIMIT`.
 */
const drawn = new Map<string, string | null>();
const DRAWN_LIMIT = 200;

function barChart(...args: Parameters<typeof drawBarChart>): string | null {
  const key = JSON.stringify(args);
  const found = drawn.get(key);
  if (found !== undefined) {
    // Most recently used last, so the first entry is the one to drop.
    drawn.delete(key);
    drawn.set(key, found);
    return found;
  }
  const markup = drawBarChart(...args);
  if (drawn.size >= DRAWN_LIMIT) drawn.delete(drawn.keys().next().value as string);
  drawn.set(key, markup);
  return markup;
}

function drawBarChart(
  rows: Row[],
  bars: { key: string; color: string; stack?: string }[],
  size: Size,
  id: string,
  unit: string,
): string | null {
  const { width, height } = SIZES[size];
  if (rows.length === 0) return null;
  const markup = renderToStaticMarkup(
    <BarChart
      width={width}
      height={height}
      data={rows}
      margin={{ top: 12, right: 12, bottom: 4, left: 0 }}
      id={`${id}-${size}`}
      barCategoryGap="20%"
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" tick={{ fill: AXIS, fontSize: 12 }} stroke={AXIS} interval={0} />
      <YAxis
        tickFormatter={(value: number) => `${number.format(value)}${unit}`}
        tick={{ fill: AXIS, fontSize: 12 }}
        stroke={AXIS}
        width={56}
        allowDecimals={unit !== ""}
      />
      {bars.map((bar) => (
        <Bar
          key={bar.key}
          dataKey={bar.key}
          fill={bar.color}
          stackId={bar.stack}
          isAnimationActive={false}
          stroke={bar.key === "CANCELED" ? "#94a3b8" : undefined}
        />
      ))}
    </BarChart>,
  );
  return scalable(markup);
}

export type ChartPair = { narrow: string; wide: string } | null;

function both(draw: (size: Size) => string | null): ChartPair {
  const narrow = draw("narrow");
  const wide = draw("wide");
  return narrow && wide ? { narrow, wide } : null;
}

/** Jobs by status, one stacked bar per org. */
export function jobsByStatusChart(analytics: Analytics): ChartPair {
  if (analytics.orgs.every((org) => org.jobs.total === 0)) return null;
  return both((size) =>
    barChart(
      analytics.orgs.map((org) => ({ label: shorten(org.name, SIZES[size].label), ...org.jobs.byStatus })),
      JOB_STATUSES.map((status) => ({ key: status, color: JOB_STATUS_COLORS[status], stack: "jobs" })),
      size,
      "jobs-by-status",
      "",
    ),
  );
}

/** Refrigerant charged and recovered this month, lb, by refrigerant (the covered orgs together). */
export function refrigerantChart(analytics: Analytics): ChartPair {
  const rows = analytics.total.refrigerant.byRefrigerant;
  if (rows.length === 0) return null;
  return both((size) =>
    barChart(
      rows.map((row) => ({ label: row.refrigerant, charged: row.chargedLb, recovered: row.recoveredLb })),
      [
        { key: "charged", color: FLOW_COLORS.charged },
        { key: "recovered", color: FLOW_COLORS.recovered },
      ],
      size,
      "refrigerant-lb",
      "",
    ),
  );
}

/** Tonnes CO2e charged and recovered this month, one pair of bars per org. */
export function co2eChart(analytics: Analytics): ChartPair {
  if (analytics.total.refrigerant.byRefrigerant.length === 0) return null;
  return both((size) =>
    barChart(
      analytics.orgs.map((org) => ({
        label: shorten(org.name, SIZES[size].label),
        charged: org.refrigerant.chargedCo2eTonnes,
        recovered: org.refrigerant.recoveredCo2eTonnes,
      })),
      [
        { key: "charged", color: FLOW_COLORS.charged },
        { key: "recovered", color: FLOW_COLORS.recovered },
      ],
      size,
      "co2e",
      " t",
    ),
  );
}
