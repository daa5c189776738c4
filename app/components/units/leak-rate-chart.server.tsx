/**
 * The unit's leak-rate history as an SVG line chart, rendered once on the server (recharts 2 draws
 * plain SVG without a DOM; 3.x renders nothing on the server). The page embeds the markup as is:
 * no chart code reaches the browser and nothing is measured or re-drawn while hydrating, so the
 * chart looks the same on a phone and on a desktop, scaled by its viewBox.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";

export type ChartPoint = { at: number; percent: number; exceeded: boolean; alert: boolean };

/** Drawn at a phone's and at a desktop's size, so the labels stay readable once scaled. */
export const CHART_SIZES = {
  narrow: { width: 340, height: 240, ticks: 3 },
  wide: { width: 640, height: 280, ticks: 4 },
} as const;
const COLORS = {
  line: "#0f766e",
  ok: "#0f766e",
  alert: "#92400e",
  over: "#b91c1c",
  threshold: "#b91c1c",
  alertLine: "#b45309",
  grid: "#e2e8f0",
  axis: "#475569",
};

const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
const DAY_MS = 86_400_000;
const pct = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A dot whose shape, not only its colour, says how the rate compares with the threshold. */
function Dot(props: { cx?: number; cy?: number; payload?: ChartPoint; index?: number }) {
  const { cx, cy, payload } = props;
  if (cx === undefined || cy === undefined || !payload) return <g />;
  if (payload.exceeded) {
    return (
      <path
        d={`M${cx} ${cy - 7}L${cx + 6.5} ${cy + 5}H${cx - 6.5}Z`}
        fill={COLORS.over}
        stroke="#fff"
        strokeWidth={1.5}
      />
    );
  }
  if (payload.alert) {
    return <rect x={cx - 5} y={cy - 5} width={10} height={10} fill={COLORS.alert} stroke="#fff" strokeWidth={1.5} />;
  }
  return <circle cx={cx} cy={cy} r={5} fill={COLORS.ok} stroke="#fff" strokeWidth={1.5} />;
}

/**
 * SVG markup for the points (oldest first) with the threshold and alert level as horizontal
 * lines; null when there is nothing to draw.
 */
export function leakRateChartSvg({
  points,
  threshold,
  alertLevel,
  title,
  size,
}: {
  points: ChartPoint[];
  threshold: number;
  alertLevel: number;
  title: string;
  size: keyof typeof CHART_SIZES;
}): string | null {
  const { width, height, ticks: tickCount } = CHART_SIZES[size];
  if (points.length === 0) return null;
  const maxY = Math.max(threshold, ...points.map((point) => point.percent));
  const top = niceCeiling(maxY * 1.15);
  const first = points[0]?.at ?? 0;
  const last = points.at(-1)?.at ?? first;
  // A single point (or same-day points) still gets a readable span around it.
  const pad = last - first < DAY_MS * 2 ? DAY_MS * 15 : (last - first) * 0.04;
  const from = first - pad;
  const to = last + pad;
  // Evenly spaced dates; a long history reads by month, a short one by day.
  const ticks = Array.from({ length: tickCount }, (_, i) => from + ((to - from) * (i + 0.5)) / tickCount);
  const tickLabel = (value: number) => (to - from > DAY_MS * 200 ? monthFormat : dayFormat).format(new Date(value));
  const markup = renderToStaticMarkup(
    <LineChart
      width={width}
      height={height}
      data={points}
      margin={{ top: 16, right: 24, bottom: 8, left: 0 }}
      title={title}
      id={`unit-leak-rate-chart-${size}`}
    >
      <CartesianGrid stroke={COLORS.grid} vertical={false} />
      <XAxis
        dataKey="at"
        type="number"
        scale="time"
        domain={[from, to]}
        ticks={ticks}
        tickFormatter={tickLabel}
        tick={{ fill: COLORS.axis, fontSize: 13 }}
        stroke={COLORS.axis}
        interval={0}
      />
      <YAxis
        domain={[0, top]}
        tickFormatter={(value: number) => `${pct.format(value)}%`}
        tick={{ fill: COLORS.axis, fontSize: 13 }}
        stroke={COLORS.axis}
        width={56}
        allowDecimals
      />
      {/* Threshold labelled above its line, alert level below its own, so close lines never overlap
          (on a horizontal line "insideBottom…" sits above it, "insideTop…" below). */}
      <ReferenceLine
        y={alertLevel}
        stroke={COLORS.alertLine}
        strokeDasharray="3 4"
        label={{
          value: `Alert ${pct.format(alertLevel)}%`,
          position: "insideTopRight",
          fill: COLORS.alertLine,
          fontSize: 12,
        }}
      />
      <ReferenceLine
        y={threshold}
        stroke={COLORS.threshold}
        strokeWidth={2}
        strokeDasharray="8 4"
        label={{
          value: `Threshold ${pct.format(threshold)}%`,
          position: "insideBottomRight",
          fill: COLORS.threshold,
          fontSize: 12,
        }}
      />
      <Line
        type="linear"
        dataKey="percent"
        stroke={COLORS.line}
        strokeWidth={2}
        dot={<Dot />}
        activeDot={false}
        isAnimationActive={false}
      />
    </LineChart>,
  );
  return scalable(markup);
}

/**
 * Keeps only the <svg> (not recharts' fixed-size wrapper div) and drops its fixed width, height
 * and inline style, so CSS scales it to the card through its viewBox.
 */
function scalable(markup: string): string | null {
  const svg = /<svg\b[\s\S]*<\/svg>/.exec(markup)?.[0];
  if (!svg) return null;
  return svg.replace(/^<svg\b([^>]*)>/, (_open, attributes: string) => {
    const kept = attributes.replace(/\s(width|height|style)="[^"]*"/g, "").trim();
    return `<svg ${kept} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">`;
  });
}

/** 1, 2, 2.5 or 5 times a power of ten, at or above `x`. */
function niceCeiling(x: number): number {
  if (x <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= x) ?? 10;
  return step * power;
}
