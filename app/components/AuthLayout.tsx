import type { ReactNode } from "react";
import { BrandMark } from "./BrandMark";

/** The centred card the signed-out pages (login, sign-up, invitation) share. */
export function AuthLayout({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="auth-page">
      <a className="auth-brand" href="/">
        <BrandMark />
        RefriTrak
      </a>
      <div className="auth-card">{children}</div>
      {footer ? <div className="auth-note">{footer}</div> : null}
    </main>
  );
}
