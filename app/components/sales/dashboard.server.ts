/** What the SALES dashboard shows, from the same services as the API: inventory and open leads. */

import { todayIn } from "../../../worker/cylinders/rules";
import type { OrgScope } from "../../../worker/policy/guards";
import { salesInventory } from "../../../worker/sales/inventory";
import { listLeads } from "../../../worker/sales/leads";
import { SalesInventoryQuery } from "../../../worker/sales/schemas";

export async function loadSalesDashboard(scope: OrgScope, url: URL) {
  const parsed = SalesInventoryQuery.safeParse({
    refrigerant: url.searchParams.get("refrigerant") || undefined,
    state: url.searchParams.get("state") || undefined,
    q: url.searchParams.get("q") || undefined,
  });
  const filter = parsed.success ? parsed.data : {};
  const [inventory, everything, leads] = await Promise.all([
    salesInventory(scope, filter),
    salesInventory(scope),
    listLeads(scope, { status: "open" }),
  ]);
  return {
    filter,
    inventory,
    refrigerants: [...new Set(everything.cylinders.map((c) => c.refrigerant))].sort(),
    states: [...new Set(everything.cylinders.map((c) => c.location.state).filter((s): s is string => !!s))].sort(),
    leads,
    today: todayIn(scope.user.timeZone),
  };
}
export type SalesDashboardData = Awaited<ReturnType<typeof loadSalesDashboard>>;
