import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";
import { errorMessage, errorTitle } from "./components/errors";
import "./styles.css";

export const meta: Route.MetaFunction = () => [
  { title: "RefriTrak" },
  { name: "description", content: "Refrigerant compliance and field service for HVAC/R contractors." },
];

/** A small inline icon, so browsers do not ask for /favicon.ico. */
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0f766e"/><path d="M16 6v20M7.3 11l17.4 10M7.3 21l17.4-10" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>',
)}`;

export const links: Route.LinksFunction = () => [{ rel: "icon", href: FAVICON, type: "image/svg+xml" }];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0f172a" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return (
    <main id="main" tabIndex={-1} className="auth-page">
      <a className="auth-brand" href="/">
        <span className="brand-mark" aria-hidden="true">
          RT
        </span>
        RefriTrak
      </a>
      <div className="auth-card">
        <h1>{errorTitle(error)}</h1>
        <p>{errorMessage(error) ?? "Please try again. If it keeps happening, contact support."}</p>
        <a className="button button-primary" href="/">
          Back to RefriTrak
        </a>
      </div>
    </main>
  );
}
