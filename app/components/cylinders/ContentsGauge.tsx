import { formatLb } from "./labels";

type Props = {
  kind: "VIRGIN" | "RECOVERY" | "RECLAIMED";
  netContentsLb: number;
  waterCapacityLb: number;
  fill: { limitLb: number; percentOfLimit: number; percentOfCapacity: number; roomLb: number };
  compact?: boolean;
};

/**
 * Contents against the water capacity, with the 80% line drawn on recovery cylinders. The bar is
 * decoration; the sentence beside it says the same for screen readers.
 */
export function ContentsGauge({ kind, netContentsLb, waterCapacityLb, fill, compact = false }: Props) {
  const recovery = kind === "RECOVERY";
  const width = Math.min(100, Math.max(0, fill.percentOfCapacity));
  const tone = recovery
    ? fill.percentOfLimit >= 100
      ? "cyl-gauge-full"
      : fill.percentOfLimit >= 90
        ? "cyl-gauge-near"
        : ""
    : "";
  return (
    <div className={compact ? "cyl-gauge cyl-gauge-compact" : "cyl-gauge"}>
      <div className={`cyl-gauge-track ${tone}`.trim()} aria-hidden="true">
        <div className="cyl-gauge-fill" style={{ width: `${width}%` }} />
        {recovery ? <div className="cyl-gauge-limit" style={{ left: "80%" }} /> : null}
      </div>
      {compact ? null : (
        <p className="cyl-gauge-text">
          <strong>{formatLb(netContentsLb)}</strong>{" "}
          {recovery ? (
            <>
              of the {formatLb(fill.limitLb)} limit ({fill.percentOfLimit}%) — 80% of {formatLb(waterCapacityLb)} water
              capacity. {fill.roomLb > 0 ? `Room for ${formatLb(fill.roomLb)} more.` : "Full: no room for more."}
            </>
          ) : (
            <>
              in a {formatLb(waterCapacityLb)} water-capacity cylinder ({fill.percentOfCapacity}%).
            </>
          )}
        </p>
      )}
    </div>
  );
}
