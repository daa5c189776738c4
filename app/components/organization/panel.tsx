import { type ReactNode, useEffect, useRef } from "react";

/**
 * The heading of a panel opened by a link (`?edit=`, `?add`…): focus moves to it when the panel
 * appears, so keyboard and screen-reader users land in the form they asked for.
 */
export function PanelHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: "nearest" });
  }, []);
  return (
    <h3 id={id} ref={ref} tabIndex={-1} className="org-panel-heading">
      {children}
    </h3>
  );
}
