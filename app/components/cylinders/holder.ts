/**
 * One select for "where is it / where to": the warehouse, a person's truck or a customer's site,
 * encoded as WAREHOUSE, TECHNICIAN:<userId> or SITE:<locationId>. Quick to use on a phone.
 */
import type { SelectOption } from "../form";

export type HolderChoices = {
  people: { id: string; name: string }[];
  sites: { id: string; name: string; city: string; state: string }[];
};

export function holderOptions(choices: HolderChoices, { meId }: { meId?: string } = {}): SelectOption[] {
  const people = [...choices.people].sort((a, b) => (a.id === meId ? -1 : b.id === meId ? 1 : 0));
  return [
    { value: "WAREHOUSE", label: "Warehouse" },
    ...people.map((person) => ({
      value: `TECHNICIAN:${person.id}`,
      label: person.id === meId ? `My truck (${person.name})` : `Truck · ${person.name}`,
    })),
    ...choices.sites.map((site) => ({
      value: `SITE:${site.id}`,
      label: `Site · ${site.name} (${site.city}, ${site.state})`,
    })),
  ];
}

/** The API's holder object for a select value; anything unrecognised is passed on for the schema to refuse. */
export function decodeHolder(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "WAREHOUSE") return { holderType: "WAREHOUSE" };
  const [type, id] = value.split(":", 2);
  if (type === "TECHNICIAN") return { holderType: "TECHNICIAN", holderUserId: id ?? "" };
  if (type === "SITE") return { holderType: "SITE", holderLocationId: id ?? "" };
  return { holderType: value };
}

export function encodeHolder(holder: { type: string; userId: string | null; locationId: string | null }): string {
  if (holder.type === "TECHNICIAN") return `TECHNICIAN:${holder.userId ?? ""}`;
  if (holder.type === "SITE") return `SITE:${holder.locationId ?? ""}`;
  return "WAREHOUSE";
}

/** Form fields typed as numbers: "14.5" becomes 14.5; anything else stays as typed so validation names it. */
export function withNumbers(form: Record<string, unknown>, keys: readonly string[]) {
  const result = { ...form };
  for (const key of keys) {
    const value = result[key];
    if (typeof value === "string" && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value)) result[key] = Number(value);
  }
  return result;
}
