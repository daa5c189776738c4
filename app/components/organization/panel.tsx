import { type ReactNode, useEffect, useRef } from "react";
import { Form, Link } from "react-router";
import { actionErrorOf, FormErrors, SubmitButton } from "../form";

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

/**
 * A confirmation step for a destructive action, opened by a link (`?delete`, `?archive`…): what will
 * happen, the server's error if it refused, the confirm button and Cancel back to `close`.
 */
export function ConfirmPanel({
  id,
  title,
  intent,
  action,
  close,
  actionData,
  className,
  pendingLabel = "Working…",
  hidden = {},
  shownFields = [],
  fields,
  children,
}: {
  id: string;
  title: string;
  intent: string;
  /** The confirm button's text, e.g. "Delete unit". */
  action: string;
  /** Where Cancel goes. */
  close: string;
  actionData: unknown;
  className: string;
  pendingLabel?: string;
  /** Extra hidden inputs the action needs (e.g. which location). */
  hidden?: Record<string, string>;
  /** Fields rendered inside the form, whose errors it shows itself. */
  shownFields?: string[];
  fields?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`stack ${className}`} aria-labelledby={id}>
      <PanelHeading id={id}>{title}</PanelHeading>
      <p>{children}</p>
      <FormErrors error={actionErrorOf(actionData)} shownFields={shownFields} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {fields}
        <div className="form-actions">
          <SubmitButton variant="danger" pendingLabel={pendingLabel}>
            {action}
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
