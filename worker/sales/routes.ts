import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { forbidden } from "../http/errors";
import { type RequestScope, requireOrgAccess, requireOrgPermission } from "../policy/guards";
import { can } from "../policy/permissions";
import { salesInventory } from "./inventory";
import { convertLead, createLead, getLead, listLeads, updateLead } from "./leads";
import {
  LeadConvertInput,
  LeadCreateInput,
  LeadListQuery,
  LeadPatchInput,
  SalesInventoryQuery,
  TerritoryAssigneesInput,
  TerritoryCreateInput,
  TerritoryListQuery,
  TerritoryPatchInput,
} from "./schemas";
import {
  archiveTerritory,
  assignableReps,
  createTerritory,
  getTerritory,
  listTerritories,
  setAssignees,
  updateTerritory,
} from "./territories";

const TerritoryParams = OrgParams.extend({ territoryId: z.string().min(1).max(64) });
const LeadParams = OrgParams.extend({ leadId: z.string().min(1).max(64) });

const Person = z.object({ id: z.string(), name: z.string(), email: z.string() });
const Territory = z
  .object({
    id: z.string(),
    name: z.string(),
    states: z.array(z.string()),
    zipPrefixes: z.array(z.string()),
    archived: z.boolean(),
    assignees: z.array(Person),
  })
  .passthrough()
  .openapi("Territory");
const InventoryCylinder = z
  .object({
    id: z.string(),
    tag: z.string(),
    refrigerant: z.string(),
    netContentsLb: z.number(),
    priceCents: z.number().nullable(),
    location: z.object({
      holderType: z.string(),
      name: z.string(),
      city: z.string().nullable(),
      state: z.string().nullable(),
      zip: z.string().nullable(),
    }),
    territories: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .passthrough()
  .openapi("SalesInventoryCylinder");
const Lead = z
  .object({
    id: z.string(),
    owner: z.object({ id: z.string(), name: z.string() }),
    company: z.string(),
    stage: z.string(),
    valueCents: z.number().int(),
    nextStep: z.string().nullable(),
    dueDate: z.string().nullable(),
    lostReason: z.string().nullable(),
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    closedAt: z.string().nullable(),
  })
  .passthrough()
  .openapi("Lead");

const writeErrors = { ...errorResponses, 409: { ...errorResponses[400], description: "Conflicts with a rule" } };

/** Reading leads: admins read every lead (leads:view), a sales rep their own (leads:own). */
async function requireLeadReader(scope: RequestScope, orgId: string) {
  const org = await requireOrgAccess(scope, orgId);
  if (!can(org.actor, "leads:view", orgId) && !can(org.actor, "leads:own", orgId)) throw forbidden();
  return org;
}

export const salesRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/territories",
      tags: ["territories"],
      summary: "Sales territories of the org (a sales rep: only theirs); ?archived=active|archived|all",
      request: { params: OrgParams, query: TerritoryListQuery },
      responses: { 200: jsonContent(z.object({ territories: z.array(Territory) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "sales:view");
      return c.json({ territories: await listTerritories(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/territories",
      tags: ["territories"],
      summary: "Create a territory: US states and/or ZIP prefixes (at least one)",
      request: { params: OrgParams, body: jsonBody(TerritoryCreateInput) },
      responses: { 201: jsonContent(Territory, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "territories:assign");
      return c.json(await createTerritory(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/territories/{territoryId}",
      tags: ["territories"],
      summary: "One territory with its reps (a sales rep: only one of theirs)",
      request: { params: TerritoryParams },
      responses: { 200: jsonContent(Territory), ...errorResponses },
    }),
    async (c) => {
      const { orgId, territoryId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "sales:view");
      return c.json(await getTerritory(scope, territoryId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/territories/{territoryId}",
      tags: ["territories"],
      summary: "Rename a territory or replace its states / ZIP prefixes",
      request: { params: TerritoryParams, body: jsonBody(TerritoryPatchInput) },
      responses: { 200: jsonContent(Territory), ...writeErrors },
    }),
    async (c) => {
      const { orgId, territoryId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "territories:assign");
      return c.json(await updateTerritory(scope, territoryId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/territories/{territoryId}/archive",
      tags: ["territories"],
      summary: "Archive a territory (kept for the record; it no longer covers anything)",
      request: { params: TerritoryParams },
      responses: { 200: jsonContent(Territory), ...errorResponses },
    }),
    async (c) => {
      const { orgId, territoryId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "territories:assign");
      return c.json(await archiveTerritory(scope, territoryId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/orgs/{orgId}/territories/{territoryId}/assignees",
      tags: ["territories"],
      summary: "Set the sales reps of a territory (active SALES users who reach the org)",
      request: { params: TerritoryParams, body: jsonBody(TerritoryAssigneesInput) },
      responses: { 200: jsonContent(Territory), ...writeErrors },
    }),
    async (c) => {
      const { orgId, territoryId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "territories:assign");
      return c.json(await setAssignees(scope, territoryId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/sales/reps",
      tags: ["territories"],
      summary: "Sales reps who may be assigned territories of the org",
      request: { params: OrgParams },
      responses: { 200: jsonContent(z.object({ reps: z.array(Person) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "territories:assign");
      return c.json({ reps: await assignableReps(scope) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/sales/inventory",
      tags: ["sales"],
      summary: "FOR_SALE cylinders in the caller's territories (admins: all, with the territories covering each)",
      request: { params: OrgParams, query: SalesInventoryQuery },
      responses: {
        200: jsonContent(
          z.object({
            cylinders: z.array(InventoryCylinder),
            territories: z.array(z.object({ id: z.string(), name: z.string() })),
          }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "sales:view");
      return c.json(await salesInventory(scope, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/leads",
      tags: ["leads"],
      summary: "Leads (a sales rep: their own; admins: all, read-only); ?stage=&status=open|closed&q=",
      request: { params: OrgParams, query: LeadListQuery },
      responses: { 200: jsonContent(z.object({ leads: z.array(Lead) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireLeadReader(scopeOf(c), c.req.valid("param").orgId);
      return c.json({ leads: await listLeads(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leads",
      tags: ["leads"],
      summary: "Create a lead owned by the caller (stage NEW; valueCents in whole cents)",
      request: { params: OrgParams, body: jsonBody(LeadCreateInput) },
      responses: { 201: jsonContent(Lead, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "leads:own");
      return c.json(await createLead(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/leads/{leadId}",
      tags: ["leads"],
      summary: "One lead (another rep's answers 404)",
      request: { params: LeadParams },
      responses: { 200: jsonContent(Lead), ...errorResponses },
    }),
    async (c) => {
      const { orgId, leadId } = c.req.valid("param");
      const scope = await requireLeadReader(scopeOf(c), orgId);
      return c.json(await getLead(scope, leadId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/leads/{leadId}",
      tags: ["leads"],
      summary: "Work a lead: stage (LOST needs lostReason), value, next step, due date, contact",
      request: { params: LeadParams, body: jsonBody(LeadPatchInput) },
      responses: { 200: jsonContent(Lead), ...writeErrors },
    }),
    async (c) => {
      const { orgId, leadId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leads:own");
      return c.json(await updateLead(scope, leadId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leads/{leadId}/convert",
      tags: ["leads"],
      summary: "Convert a WON lead into a customer (with an optional first location), once",
      request: { params: LeadParams, body: jsonBody(LeadConvertInput) },
      responses: {
        201: jsonContent(
          z.object({ lead: Lead, customer: z.object({ id: z.string(), name: z.string() }) }),
          "Converted",
        ),
        ...writeErrors,
      },
    }),
    async (c) => {
      const { orgId, leadId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leads:own");
      return c.json(await convertLead(scope, leadId, c.req.valid("json")), 201);
    },
  );
