/**
 * The sales rep's dashboard: FOR_SALE cylinders in their territories (filterable; live, since the
 * page's loaders re-run on every cylinder event the rep may see) and their open leads by stage.
 */
import { Form, Link } from "react-router";
import { FilterSelect } from "../form";
import type { SalesDashboardData } from "./dashboard.server";
import { formatCents, STAGE_LABELS, StageBadge } from "./format";
import "./sales.css";

const OPEN = ["NEW", "CONTACTED", "QUOTED"] as const;

export function SalesDashboard({ orgId, data }: { orgId: string; data: SalesDashboardData }) {
  const { inventory, filter, leads, today } = data;
  const filtered = Boolean(filter.refrigerant || filter.state || filter.q);
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="sales-inventory-heading">
        <div className="card-header">
          <h2 id="sales-inventory-heading" className="card-title">
            Cylinders for sale in your territories
          </h2>
          <p className="muted small">
            {inventory.territories.length > 0
              ? `Territories: ${inventory.territories.map((t) => t.name).join(", ")}`
              : "No territory is assigned to you yet: your parent organization admin assigns them."}
          </p>
        </div>
        <Form method="get" className="sales-filters" aria-label="Filter cylinders for sale">
          <FilterSelect
            id="sales-refrigerant"
            name="refrigerant"
            label="Refrigerant"
            value={filter.refrigerant}
            all="All refrigerants"
            options={data.refrigerants.map((r) => ({ value: r, label: r }))}
          />
          <FilterSelect
            id="sales-state"
            name="state"
            label="State"
            value={filter.state}
            all="All states"
            options={data.states.map((s) => ({ value: s, label: s }))}
          />
          <div className="field">
            <label className="field-label" htmlFor="sales-q">
              Tag
            </label>
            <input id="sales-q" name="q" type="search" className="input" defaultValue={filter.q ?? ""} key={filter.q} />
          </div>
          <div className="cluster">
            <button type="submit" className="button button-secondary">
              Filter
            </button>
            {filtered ? <Link to={`/o/${orgId}`}>Clear</Link> : null}
          </div>
        </Form>
        {inventory.cylinders.length === 0 ? (
          <p className="empty-state">
            {filtered ? "No cylinder for sale matches." : "No cylinder is for sale in your territories right now."}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table table-stack" aria-label="Inventory for sale">
              <thead>
                <tr>
                  <th scope="col">Tag</th>
                  <th scope="col">Refrigerant</th>
                  <th scope="col">Contents</th>
                  <th scope="col">Price</th>
                  <th scope="col">Location</th>
                </tr>
              </thead>
              <tbody>
                {inventory.cylinders.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" data-label="Tag">
                      <Link to={`/o/${orgId}/cylinders/${c.id}`}>{c.tag}</Link>
                    </th>
                    <td data-label="Refrigerant">
                      {c.refrigerant} <span className="muted small">{c.kind.toLowerCase()}</span>
                    </td>
                    <td data-label="Contents">{c.netContentsLb} lb</td>
                    <td data-label="Price">{formatCents(c.priceCents)}</td>
                    <td data-label="Location">
                      {c.location.name}
                      {c.location.city ? `, ${c.location.city}` : ""} {c.location.state ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="sales-leads-heading">
        <div className="card-header cluster">
          <h2 id="sales-leads-heading" className="card-title">
            Your open leads
          </h2>
          <Link className="button button-secondary button-small" to={`/o/${orgId}/leads`}>
            All leads
          </Link>
        </div>
        {leads.length === 0 ? (
          <p className="empty-state">
            No open lead. <Link to={`/o/${orgId}/leads?new=1`}>Add one</Link>.
          </p>
        ) : (
          <div className="sales-pipeline">
            {OPEN.map((stage) => {
              const inStage = leads.filter((lead) => lead.stage === stage);
              return (
                <div key={stage} className="sales-column">
                  <div className="sales-column-header">
                    <h3>{STAGE_LABELS[stage]}</h3>
                    <span className="muted small">
                      {inStage.length} · {formatCents(inStage.reduce((sum, l) => sum + l.valueCents, 0))}
                    </span>
                  </div>
                  <ul className="sales-lead-list">
                    {inStage.map((lead) => (
                      <li key={lead.id} className="card sales-lead">
                        <Link to={`/o/${orgId}/leads/${lead.id}`}>{lead.company}</Link>
                        <div className="sales-lead-meta">
                          <StageBadge stage={lead.stage} />
                          <span>{formatCents(lead.valueCents)}</span>
                          {lead.dueDate ? (
                            <span className={lead.dueDate < today ? "sales-overdue" : undefined}>
                              Due {lead.dueDate}
                              {lead.dueDate < today ? " (overdue)" : ""}
                            </span>
                          ) : null}
                        </div>
                        {lead.nextStep ? <p className="small">{lead.nextStep}</p> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </div>
        )}
      </section>
    </div>
  );
}
