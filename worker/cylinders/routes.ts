import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import {
  CylinderCreateInput,
  CylinderListQuery,
  CylinderMoveInput,
  CylinderPatchInput,
  CylinderSellInput,
} from "./schemas";
import {
  createCylinder,
  deleteCylinder,
  getCylinder,
  listCylinders,
  listMoves,
  moveCylinder,
  sellCylinder,
  updateCylinder,
} from "./service";

const CylinderParams = OrgParams.extend({ cylinderId: z.string().min(1).max(64) });

const Holder = z.object({
  type: z.enum(["WAREHOUSE", "TECHNICIAN", "SITE"]),
  userId: z.string().nullable(),
  locationId: z.string().nullable(),
  name: z.string().nullable(),
});
const Cylinder = z
  .object({
    id: z.string(),
    tag: z.string(),
    refrigerant: z.string(),
    kind: z.string(),
    tareWeightLb: z.number(),
    waterCapacityLb: z.number(),
    netContentsLb: z.number(),
    grossWeightLb: z.number(),
    holder: Holder.passthrough(),
    status: z.string(),
    hydroTestDate: z.string().nullable(),
    hydro: z.object({
      dueDate: z.string().nullable(),
      overdue: z.boolean(),
      dueSoon: z.boolean(),
      daysLeft: z.number().nullable(),
    }),
    fill: z.object({
      limitLb: z.number(),
      percentOfLimit: z.number(),
      percentOfCapacity: z.number(),
      roomLb: z.number(),
    }),
  })
  .passthrough()
  .openapi("Cylinder");
const CylinderMove = z
  .object({
    id: z.string(),
    from: Holder.nullable(),
    to: Holder,
    fromStatus: z.string().nullable(),
    toStatus: z.string(),
    movedBy: z.object({ id: z.string(), name: z.string() }),
    note: z.string().nullable(),
    movedAt: z.string(),
  })
  .openapi("CylinderMove");

const tags = ["cylinders"];
const writeErrors = { ...errorResponses, 409: { ...errorResponses[400], description: "Conflicts with a rule" } };

export const cylindersRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/cylinders",
      tags,
      summary: "Cylinder inventory (SALES users see FOR_SALE cylinders only); ?holder=me|warehouse|site|<userId>",
      request: { params: OrgParams, query: CylinderListQuery },
      responses: {
        200: jsonContent(z.object({ cylinders: z.array(Cylinder), truncated: z.boolean() })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "cylinders:view-for-sale");
      return c.json(await listCylinders(scope, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/cylinders",
      tags,
      summary: "Add a cylinder (recovery cylinders hold at most 80% of water capacity)",
      request: { params: OrgParams, body: jsonBody(CylinderCreateInput) },
      responses: { 201: jsonContent(Cylinder, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "cylinders:edit");
      return c.json(await createCylinder(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/cylinders/{cylinderId}",
      tags,
      summary: "One cylinder: holder, refrigerant, fill against its limit, hydrostatic retest due date",
      request: { params: CylinderParams },
      responses: { 200: jsonContent(Cylinder), ...errorResponses },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "cylinders:view-for-sale");
      return c.json(await getCylinder(scope, cylinderId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/cylinders/{cylinderId}",
      tags,
      summary: "Edit tag, tare, capacity, hydro test date or status (contents change only through transfers)",
      request: { params: CylinderParams, body: jsonBody(CylinderPatchInput) },
      responses: { 200: jsonContent(Cylinder), ...writeErrors },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "cylinders:edit");
      return c.json(await updateCylinder(scope, cylinderId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/cylinders/{cylinderId}",
      tags,
      summary: "Delete a cylinder (kept for its records, hidden everywhere)",
      request: { params: CylinderParams },
      responses: { 204: { description: "Deleted" }, ...errorResponses },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "records:delete");
      await deleteCylinder(scope, cylinderId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/cylinders/{cylinderId}/moves",
      tags,
      summary: "Every move and status change of a cylinder, newest first",
      request: { params: CylinderParams },
      responses: { 200: jsonContent(z.object({ moves: z.array(CylinderMove) })), ...errorResponses },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "cylinders:view-for-sale");
      return c.json({ moves: await listMoves(scope, cylinderId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/cylinders/{cylinderId}/moves",
      tags,
      summary: "Move a cylinder to the warehouse, a technician's truck or a site",
      request: { params: CylinderParams, body: jsonBody(CylinderMoveInput) },
      responses: {
        201: jsonContent(z.object({ cylinder: Cylinder, move: CylinderMove }), "Moved"),
        ...writeErrors,
      },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "cylinders:move");
      return c.json(await moveCylinder(scope, cylinderId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/cylinders/{cylinderId}/sell",
      tags,
      summary: "Sell a FOR_SALE cylinder to a customer: SOLD, recorded as a move to the customer's first location",
      request: { params: CylinderParams, body: jsonBody(CylinderSellInput) },
      responses: {
        201: jsonContent(z.object({ cylinder: Cylinder, move: CylinderMove }), "Sold"),
        ...writeErrors,
      },
    }),
    async (c) => {
      const { orgId, cylinderId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "cylinders:edit");
      return c.json(await sellCylinder(scope, cylinderId, c.req.valid("json")), 201);
    },
  );
