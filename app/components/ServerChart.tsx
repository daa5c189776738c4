/**
 * A chart rendered to SVG on the server (recharts) in two sizes, shown as one image: the page's
 * CSS shows `<classPrefix>-narrow` on a phone and `<classPrefix>-wide` above it. `summary` is the
 * image's accessible name; the page keeps the same numbers as text too.
 */
export function ServerChart({
  chart,
  summary,
  classPrefix,
}: {
  chart: { narrow: string; wide: string };
  summary: string;
  classPrefix: string;
}) {
  return (
    <div role="img" aria-label={summary}>
      <div
        className={`${classPrefix}-narrow`}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: markup rendered on the server by React from our own numbers.
        dangerouslySetInnerHTML={{ __html: chart.narrow }}
      />
      <div
        className={`${classPrefix}-wide`}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: markup rendered on the server by React from our own numbers.
        dangerouslySetInnerHTML={{ __html: chart.wide }}
      />
    </div>
  );
}
