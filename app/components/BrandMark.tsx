/** Readable text (near-black or white) on a #rrggbb background, by WCAG relative luminance. */
export function contrastText(hex: string | null | undefined): string {
  const match = /^#([0-9a-f]{6})$/i.exec(hex ?? "");
  if (!match?.[1]) return "#fff";
  const channel = (offset: number) => {
    const value = Number.parseInt(match[1]?.slice(offset, offset + 2) ?? "0", 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  // White wins when it contrasts better than near-black (#0f172a, luminance ~0.01).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0587 ? "#fff" : "#0f172a";
}

/** Up to two initials of a name ("Polar North" → "PN"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1] ?? "") : "";
  return (last ? `${first.slice(0, 1)}${last.slice(0, 1)}` : first.slice(0, 2)).toUpperCase();
}

/** The square logo: the org's logo or initials on its brand colour, else RefriTrak's mark. */
export function BrandMark({ name, color, logoUrl }: { name?: string; color?: string | null; logoUrl?: string | null }) {
  const style = color ? { background: color, color: contrastText(color) } : undefined;
  return (
    <span className="brand-mark" style={style} aria-hidden="true">
      {logoUrl ? <img src={logoUrl} alt="" /> : name ? initials(name) : "RT"}
    </span>
  );
}
