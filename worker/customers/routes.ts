import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission, requireOrgPermissionWith } from "../policy/guards";
import {
  CustomerCreateInput,
  CustomerListQuery,
  CustomerPatchInput,
  LocationCreateInput,
  LocationListQuery,
  LocationPatchInput,
} from "./schemas";
import {
  archiveCustomer,
  archiveLocation,
  createCustomer,
  createLocation,
  customerListQuery,
  getCustomer,
  getLocation,
  listLocations,
  presentCustomerList,
  updateCustomer,
  updateLocation,
} from "./service";

const CustomerParams = OrgParams.extend({ customerId: z.string().min(1).max(64) });
const LocationParams = OrgParams.extend({ locationId: z.string().min(1).max(64) });

const Customer = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    notes: z.string().nullable(),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Customer");
const CustomerListItem = Customer.extend({
  locationCount: z.number(),
  unitCount: z.number().nullable(),
  cities: z.array(z.string()),
}).openapi("CustomerListItem");
const Location = z
  .object({
    id: z.string(),
    customerId: z.string(),
    name: z.string(),
    street: z.string(),
    city: z.string(),
    state: z.string(),
    zip: z.string(),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Location");
/** Units as GET /units lists them; null for roles that do not see units (SALES). */
const LocationUnits = z.array(z.object({ id: z.string(), name: z.string() }).passthrough()).nullable();
const CustomerDetail = Customer.extend({
  locations: z.array(Location.extend({ units: LocationUnits })),
}).openapi("CustomerDetail");
const LocationDetail = Location.extend({
  customer: z.object({ id: z.string(), name: z.string(), archived: z.boolean() }),
  units: LocationUnits,
}).openapi("LocationDetail");
const LocationListItem = Location.extend({
  customer: z.object({ id: z.string(), name: z.string(), archived: z.boolean() }),
}).openapi("LocationListItem");

const writeErrors = { ...errorResponses, 409: { ...errorResponses[400], description: "Archived" } };

export const customersRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/customers",
      tags: ["customers"],
      summary: "Customers; ?q searches names, email, phone and their locations' name, street, city, ZIP",
      request: { params: OrgParams, query: CustomerListQuery },
      responses: {
        200: jsonContent(z.object({ customers: z.array(CustomerListItem), truncated: z.boolean() })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const query = c.req.valid("query");
      const list = customerListQuery(c.var.db, orgId, query);
      const { scope, rows } = await requireOrgPermissionWith(scopeOf(c), orgId, "customers:view", list);
      return c.json(presentCustomerList(scope, query, rows), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/customers",
      tags: ["customers"],
      summary: "Add a customer, optionally with its first location (both or neither)",
      request: { params: OrgParams, body: jsonBody(CustomerCreateInput) },
      responses: { 201: jsonContent(CustomerDetail, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "customers:edit");
      return c.json(await createCustomer(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/customers/{customerId}",
      tags: ["customers"],
      summary: "One customer with its locations and, for roles that see units, each location's units",
      request: { params: CustomerParams },
      responses: { 200: jsonContent(CustomerDetail), ...errorResponses },
    }),
    async (c) => {
      const { orgId, customerId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:view");
      return c.json(await getCustomer(scope, customerId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/customers/{customerId}",
      tags: ["customers"],
      summary: "Edit a customer's name, email, phone or notes",
      request: { params: CustomerParams, body: jsonBody(CustomerPatchInput) },
      responses: { 200: jsonContent(CustomerDetail), ...writeErrors },
    }),
    async (c) => {
      const { orgId, customerId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:edit");
      return c.json(await updateCustomer(scope, customerId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/customers/{customerId}",
      tags: ["customers"],
      summary: "Archive a customer and its locations (admins); units and records are kept",
      request: { params: CustomerParams },
      responses: { 204: { description: "Archived" }, ...writeErrors },
    }),
    async (c) => {
      const { orgId, customerId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:delete");
      await archiveCustomer(scope, customerId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/locations",
      tags: ["locations"],
      summary: "Service locations with their customer; ?customerId, ?q",
      request: { params: OrgParams, query: LocationListQuery },
      responses: {
        200: jsonContent(z.object({ locations: z.array(LocationListItem), truncated: z.boolean() })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "customers:view");
      return c.json(await listLocations(scope, c.req.valid("query")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/locations",
      tags: ["locations"],
      summary: "Add a service location to a customer (state: 2-letter code; ZIP: 5 or 9 digits)",
      request: { params: OrgParams, body: jsonBody(LocationCreateInput) },
      responses: { 201: jsonContent(LocationDetail, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "customers:edit");
      return c.json(await createLocation(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/locations/{locationId}",
      tags: ["locations"],
      summary: "One location with its customer and, for roles that see units, its units",
      request: { params: LocationParams },
      responses: { 200: jsonContent(LocationDetail), ...errorResponses },
    }),
    async (c) => {
      const { orgId, locationId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:view");
      return c.json(await getLocation(scope, locationId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/locations/{locationId}",
      tags: ["locations"],
      summary: "Edit a location's name or address",
      request: { params: LocationParams, body: jsonBody(LocationPatchInput) },
      responses: { 200: jsonContent(LocationDetail), ...writeErrors },
    }),
    async (c) => {
      const { orgId, locationId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:edit");
      return c.json(await updateLocation(scope, locationId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/locations/{locationId}",
      tags: ["locations"],
      summary: "Archive a location (admins); its units and records are kept",
      request: { params: LocationParams },
      responses: { 204: { description: "Archived" }, ...writeErrors },
    }),
    async (c) => {
      const { orgId, locationId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "customers:delete");
      await archiveLocation(scope, locationId);
      return c.body(null, 204);
    },
  );
