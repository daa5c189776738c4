import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { UnitCreateInput, UnitDecommissionInput, UnitListQuery, UnitPatchInput } from "./schemas";
import { createUnit, decommissionUnit, deleteUnit, getUnit, listUnits, updateUnit } from "./service";

const UnitParams = OrgParams.extend({ unitId: z.string().min(1).max(64) });

const LeakStatus = z
  .object({
    level: z.enum(["OK", "ALERT", "OVER_THRESHOLD", "REPAIR_OVERDUE"]),
    reason: z.string(),
    percentOfThreshold: z.number().nullable(),
    latestRate: z
      .object({
        id: z.string(),
        percent: z.number(),
        threshold: z.number(),
        alertLevel: z.number(),
        method: z.string(),
        exceeded: z.boolean(),
        alert: z.boolean(),
        performedAt: z.string(),
      })
      .nullable(),
    openLeak: z
      .object({ id: z.string(), status: z.string(), statusLabel: z.string(), repairDueAt: z.string().nullable() })
      .nullable(),
  })
  .openapi("UnitLeakStatus");

const Unit = z
  .object({
    id: z.string(),
    name: z.string(),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    serial: z.string().nullable(),
    category: z.string(),
    refrigerant: z.string(),
    fullChargeLb: z.number(),
    fullChargeMethod: z.string(),
    repairNeedsShutdown: z.boolean(),
    installDate: z.string().nullable(),
    status: z.enum(["ACTIVE", "DECOMMISSIONED"]),
    decommission: z.object({ reason: z.string(), date: z.string() }).nullable(),
    location: z.object({ id: z.string(), name: z.string(), city: z.string(), state: z.string() }).passthrough(),
    customer: z.object({ id: z.string(), name: z.string(), archived: z.boolean() }),
    coverage: z.object({ covered: z.boolean(), rule: z.string().nullable(), reason: z.string() }).passthrough(),
    leakStatus: LeakStatus,
  })
  .passthrough()
  .openapi("Unit");

const LeakRateEntry = z
  .object({
    id: z.string(),
    transferId: z.string(),
    performedAt: z.string(),
    counted: z.boolean(),
    method: z.string(),
    percent: z.number(),
    threshold: z.number(),
    alertLevel: z.number(),
    exceeded: z.boolean(),
    alert: z.boolean(),
    inputs: z.unknown(),
    explanation: z.string(),
    ruleVersion: z.string(),
  })
  .passthrough()
  .openapi("UnitLeakRate");

const ServiceRecord = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.string(),
    amountLb: z.number(),
    performedAt: z.string(),
    technician: z.object({
      id: z.string(),
      name: z.string(),
      certificationNumber: z.string().nullable(),
      certificationType: z.string().nullable(),
    }),
  })
  .passthrough()
  .openapi("UnitServiceRecord");

const UnitDetail = Unit.extend({
  refrigerantInfo: z.object({ designation: z.string(), ods: z.boolean(), gwp: z.number() }).passthrough().nullable(),
  coverage: z
    .object({
      covered: z.boolean(),
      rule: z.string().nullable(),
      thresholdLb: z.number().nullable(),
      reason: z.string(),
      ruleVersion: z.string(),
    })
    .passthrough(),
  latestLeakRate: LeakRateEntry.nullable(),
  leakRateHistory: z.array(LeakRateEntry),
  serviceHistory: z.array(ServiceRecord),
  leaks: z.array(z.object({ id: z.string(), status: z.string() }).passthrough()),
})
  .passthrough()
  .openapi("UnitDetail");

const tags = ["units"];
const writeErrors = {
  ...errorResponses,
  409: { ...errorResponses[400], description: "Conflicts with the unit's state" },
};

export const unitsRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/units",
      tags,
      summary: "Units with their site, coverage and current leak status (latest approved leak rate, open repair)",
      request: { params: OrgParams, query: UnitListQuery },
      responses: { 200: jsonContent(z.object({ units: z.array(Unit), truncated: z.boolean() })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "units:view");
      return c.json(await listUnits(scope, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/units",
      tags,
      summary:
        "Add a unit at a location (`locationId`), or with a new location (`location`, at `customerId` or a new `customer`) created in the same write",
      request: { params: OrgParams, body: jsonBody(UnitCreateInput) },
      responses: { 201: jsonContent(UnitDetail, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "units:edit");
      return c.json(await createUnit(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/units/{unitId}",
      tags,
      summary:
        "One unit: coverage (Part 82/84 and why), leak status, leak-rate history with explanations, service history",
      request: { params: UnitParams },
      responses: { 200: jsonContent(UnitDetail), ...errorResponses },
    }),
    async (c) => {
      const { orgId, unitId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "units:view");
      return c.json(await getUnit(scope, unitId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/units/{unitId}",
      tags,
      summary: "Edit a unit (refrigerant from the catalogue, full charge > 0, install date not in the future)",
      request: { params: UnitParams, body: jsonBody(UnitPatchInput) },
      responses: { 200: jsonContent(UnitDetail), ...writeErrors },
    }),
    async (c) => {
      const { orgId, unitId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "units:edit");
      return c.json(await updateUnit(scope, unitId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/units/{unitId}/decommission",
      tags,
      summary: "Decommission a unit with a reason and date (managers and admins)",
      request: { params: UnitParams, body: jsonBody(UnitDecommissionInput) },
      responses: { 200: jsonContent(UnitDetail), ...writeErrors },
    }),
    async (c) => {
      const { orgId, unitId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "units:decommission");
      return c.json(await decommissionUnit(scope, unitId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/units/{unitId}",
      tags,
      summary: "Delete a unit (admins): hidden everywhere, its service records kept",
      request: { params: UnitParams },
      responses: { 204: { description: "Deleted" }, ...writeErrors },
    }),
    async (c) => {
      const { orgId, unitId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "records:delete");
      await deleteUnit(scope, unitId);
      return c.body(null, 204);
    },
  );
