import { type CylinderStatus, STATUS_LABELS, STATUS_TONES } from "./labels";

export function CylinderStatusBadge({ status }: { status: CylinderStatus }) {
  return <span className={`badge ${STATUS_TONES[status]}`.trim()}>{STATUS_LABELS[status]}</span>;
}

/** The hydrostatic retest due date, red when overdue, amber when due within 90 days. */
export function HydroDue({
  hydro,
  formatted,
}: {
  hydro: { dueDate: string | null; overdue: boolean; dueSoon: boolean };
  formatted: string;
}) {
  if (!hydro.dueDate) return <span className="muted">Not recorded</span>;
  if (hydro.overdue) return <span className="badge badge-red">Overdue · {formatted}</span>;
  if (hydro.dueSoon) return <span className="badge badge-amber">Due {formatted}</span>;
  return <time dateTime={hydro.dueDate}>{formatted}</time>;
}
