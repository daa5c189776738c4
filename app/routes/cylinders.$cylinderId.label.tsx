import { Link } from "react-router";
import { qrCode } from "../../worker/cylinders/qr";
import { getCylinder } from "../../worker/cylinders/service";
import { formatLb, KIND_LABELS } from "../components/cylinders/labels";
import { asPageError, pageOrgScope } from "../lib/server";
import "../components/cylinders/cylinders.css";
import type { Route } from "./+types/cylinders.$cylinderId.label";

/**
 * The printable label: a QR code of the cylinder page's absolute URL (a phone's camera opens it,
 * after sign-in), with what a technician reads off the collar.
 */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "cylinders:view-for-sale");
  const cylinder = await asPageError(() => getCylinder(scope, params.cylinderId));
  const url = `${new URL(request.url).origin}/o/${scope.org.id}/cylinders/${cylinder.id}`;
  const hydro = cylinder.hydroTestDate ? cylinder.hydroTestDate.slice(0, 7).split("-").reverse().join("/") : null;
  return {
    orgName: scope.org.name,
    url,
    qr: qrCode(url),
    cylinder: {
      id: cylinder.id,
      tag: cylinder.tag,
      refrigerant: cylinder.refrigerant,
      kind: cylinder.kind,
      tareWeightLb: cylinder.tareWeightLb,
      waterCapacityLb: cylinder.waterCapacityLb,
      limitLb: cylinder.fill.limitLb,
      hydro,
    },
  };
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `Label ${loaderData.cylinder.tag} · RefriTrak` : "Cylinder label · RefriTrak" },
];

export default function CylinderLabel({ loaderData, params }: Route.ComponentProps) {
  const { cylinder, qr, url, orgName } = loaderData;
  return (
    <div className="page stack cyl-label-page">
      <nav aria-label="Breadcrumb" className="small cyl-no-print">
        <Link to={`/o/${params.orgId}/cylinders/${cylinder.id}`}>← Cylinder {cylinder.tag}</Link>
      </nav>
      <header className="page-header cyl-no-print">
        <div>
          <h1 className="page-title">QR label · {cylinder.tag}</h1>
          <p className="lede">
            Stick it on the cylinder's shoulder. Scanning it with a phone opens this cylinder in RefriTrak.
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          Print label
        </button>
      </header>

      <div className="cyl-label" data-testid="cylinder-label">
        <svg
          className="cyl-label-qr"
          viewBox={`0 0 ${qr.size} ${qr.size}`}
          shapeRendering="crispEdges"
          role="img"
          aria-label={`QR code: ${url}`}
        >
          <rect width={qr.size} height={qr.size} fill="#fff" />
          <path d={qr.path} fill="#000" />
        </svg>
        <div className="cyl-label-text">
          <p className="cyl-label-tag">{cylinder.tag}</p>
          <p className="cyl-label-gas">
            {cylinder.refrigerant} · {KIND_LABELS[cylinder.kind]}
          </p>
          <dl className="cyl-label-specs">
            <div>
              <dt>TW</dt>
              <dd>{formatLb(cylinder.tareWeightLb)}</dd>
            </div>
            <div>
              <dt>WC</dt>
              <dd>{formatLb(cylinder.waterCapacityLb)}</dd>
            </div>
            {cylinder.kind === "RECOVERY" ? (
              <div>
                <dt>Max fill</dt>
                <dd>{formatLb(cylinder.limitLb)} (80%)</dd>
              </div>
            ) : null}
            {cylinder.hydro ? (
              <div>
                <dt>Hydro test</dt>
                <dd>{cylinder.hydro}</dd>
              </div>
            ) : null}
          </dl>
          <p className="cyl-label-org">{orgName}</p>
        </div>
      </div>
      <p className="muted small cyl-no-print cyl-label-url">{url}</p>
    </div>
  );
}
