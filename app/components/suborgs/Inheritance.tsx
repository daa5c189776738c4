/**
 * How a sub-org's inheritable setting stands on its settings page: inherited from the parent, or
 * overridden with a "Use parent's" button that resets it (a submit button of the page's
 * `inherit-form`, so it works inside the main settings form and without JavaScript).
 */
import { Form } from "react-router";
import "./suborgs.css";

export const INHERIT_FORM_ID = "inherit-form";

export type SettingSource = { key: string; label: string; source: "OWN" | "INHERITED" | "OVERRIDDEN" };

/** The form the "Use parent's" buttons submit; render it once, outside the settings form. */
export function InheritForm() {
  return (
    <Form method="post" id={INHERIT_FORM_ID} hidden>
      <input type="hidden" name="intent" value="inherit" />
    </Form>
  );
}

export function InheritanceNote({
  settings,
  keys,
  parentName,
}: {
  settings: SettingSource[];
  keys: string[];
  parentName: string | null;
}) {
  const shown = settings.filter((setting) => keys.includes(setting.key) && setting.source !== "OWN");
  if (!parentName || shown.length === 0) return null;
  return (
    <ul className="list-plain si-notes">
      {shown.map((setting) => (
        <li key={setting.key} className="si-note" data-setting={setting.key}>
          <span className="si-label">{setting.label}:</span>{" "}
          {setting.source === "INHERITED" ? (
            <span className="badge si-inherited">Inherited from {parentName}</span>
          ) : (
            <>
              <span className="badge si-overridden">Overridden</span>
              <button
                type="submit"
                form={INHERIT_FORM_ID}
                name="inherit"
                value={setting.key}
                className="button button-secondary button-small"
                aria-label={`Use ${parentName}'s ${setting.label.toLowerCase()}`}
              >
                Use {parentName}'s
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
