/**
 * A row's "⋮" actions menu: a button that opens a popover menu of links. The popover (HTML
 * `popover` + `popovertarget`) opens even before hydration; once hydrated the menu is placed
 * under its button and gets the menu keyboard pattern (arrows, Home/End, Escape).
 */
import { type KeyboardEvent, type SyntheticEvent, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";

export type RowAction = { label: string; to: string; tone?: "danger" };

export function RowActionsMenu({ label, actions }: { label: string; actions: readonly RowAction[] }) {
  const menuId = `row-menu-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  function onToggle(event: SyntheticEvent<HTMLDivElement>) {
    const isOpen = (event.nativeEvent as ToggleEvent).newState === "open";
    setOpen(isOpen);
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!menu || !button) return;
    if (!isOpen) {
      // Escape (or choosing an item) leaves focus on nothing: hand it back to the menu's button.
      const focused = document.activeElement;
      if (!focused || focused === document.body || menu.contains(focused)) button.focus();
      return;
    }
    const rect = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    const below = rect.bottom + 4 + height <= window.innerHeight;
    menu.style.top = `${below ? rect.bottom + 4 : Math.max(8, rect.top - 4 - height)}px`;
    menu.style.left = `${Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8))}px`;
    menu.dataset.placed = "true";
    items()[0]?.focus();
  }

  // A fixed-position menu would drift from its row on scroll: close it instead.
  useEffect(() => {
    if (!open) return;
    const close = () => menuRef.current?.hidePopover();
    window.addEventListener("scroll", close, { capture: true, passive: true });
    window.addEventListener("resize", close);
    return () => {
      window.removeEventListener("scroll", close, { capture: true });
      window.removeEventListener("resize", close);
    };
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const list = items();
    const current = list.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === "ArrowDown"
        ? (current + 1) % list.length
        : event.key === "ArrowUp"
          ? (current - 1 + list.length) % list.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? list.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    list[next]?.focus();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="org-row-menu-button"
        popoverTarget={menuId}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" focusable="false">
          <circle cx="8" cy="3" r="1.5" />
          <circle cx="8" cy="8" r="1.5" />
          <circle cx="8" cy="13" r="1.5" />
        </svg>
      </button>
      <div
        ref={menuRef}
        id={menuId}
        popover="auto"
        role="menu"
        aria-label={label}
        className="org-row-menu"
        onToggle={onToggle}
        onKeyDown={onKeyDown}
      >
        {actions.map((action) => (
          <Link
            key={action.label}
            to={action.to}
            role="menuitem"
            className={action.tone === "danger" ? "org-row-menu-item org-row-menu-item-danger" : "org-row-menu-item"}
            onClick={() => menuRef.current?.hidePopover()}
          >
            {action.label}
          </Link>
        ))}
      </div>
    </>
  );
}
