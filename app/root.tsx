import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";
import { errorMessage, errorTitle } from "./components/errors";
import "./styles.css";

export const meta: Route.MetaFunction = () => [
  { title: "RefriTrak" },
  { name: "description", content: "Refrigerant compliance and field service for HVAC/R contractors." },
];

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
