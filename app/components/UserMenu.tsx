import { useEffect, useRef } from "react";
import { Form, Link, useLocation } from "react-router";
import type { Role } from "../../worker/policy/permissions";
import { initials } from "./BrandMark";
import { RoleBadge } from "./RoleBadge";

type Props = {
  user: { name: string; email: string; role: Role };
  orgId: string;
  orgName: string;
};

/**
 * The user menu (top right): who is signed in, their role, Support and Log out. A <details>
 * disclosure, so it works before JavaScript loads; with it, Escape, outside clicks and
 * navigation close it.
 */
export function UserMenu({ user, orgId, orgName }: Props) {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: close whenever the page changes
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.key]);

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const details = ref.current;
      if (details?.open && event.target instanceof Node && !details.contains(event.target)) details.open = false;
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, []);

  return (
    <details
      ref={ref}
      className="user-menu"
      onKeyDown={(event) => {
        if (event.key === "Escape" && ref.current?.open) {
          ref.current.open = false;
          ref.current.querySelector("summary")?.focus();
        }
      }}
    >
      <summary aria-label={`Account menu: ${user.name}`}>
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-menu-name" aria-hidden="true">
          {user.name}
        </span>
      </summary>
      <div className="user-menu-panel">
        <div className="user-menu-who">
          <strong>{user.name}</strong>
          <span className="muted">{user.email}</span>
          <span className="muted">{orgName}</span>
          <RoleBadge role={user.role} />
        </div>
        <ul className="list-plain">
          <li>
            <Link className="menu-item" to={`/o/${orgId}/support`}>
              Support
            </Link>
          </li>
          <li>
            <Form method="post" action="/logout" className="menu-form">
              <button type="submit" className="menu-item">
                Log out
              </button>
            </Form>
          </li>
        </ul>
      </div>
    </details>
  );
}
