import { ROLE_LABELS, type Role } from "../../worker/policy/permissions";

/** A role as people read it ("Org admin"), colour-coded consistently across the app. */
export function RoleBadge({ role, suffix }: { role: Role; suffix?: string }) {
  return (
    <span className={`badge badge-role-${role.toLowerCase()}`}>
      {ROLE_LABELS[role]}
      {suffix ? ` ${suffix}` : null}
    </span>
  );
}

/** The plan in force, as a badge. */
export function PlanBadge({ plan }: { plan: "FREE" | "PRO" | "ENTERPRISE" }) {
  const tone = plan === "ENTERPRISE" ? "badge-violet" : plan === "PRO" ? "badge-teal" : "";
  return (
    <span className={`badge ${tone}`.trim()}>
      {plan === "ENTERPRISE" ? "Enterprise" : plan === "PRO" ? "Pro" : "Free"}
    </span>
  );
}
