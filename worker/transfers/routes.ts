import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import {
  TransferCreateInput,
  TransferListQuery,
  TransferParams,
  TransferReviewInput,
  TransferVoidInput,
} from "./schemas";
import { approveTransfer, createTransfer, getTransfer, listTransfers, rejectTransfer, voidTransfer } from "./service";

const LeakRate = z
  .object({
    method: z.enum(["ANNUALIZING", "ROLLING_AVERAGE"]),
    percent: z.number(),
    threshold: z.number(),
    alertLevel: z.number(),
    exceeded: z.boolean(),
    alert: z.boolean(),
    explanation: z.string(),
    ruleVersion: z.string(),
  })
  .passthrough()
  .openapi("LeakRate");
const Transfer = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.string(),
    refrigerant: z.string(),
    amountLb: z.number(),
    performedAt: z.string(),
    technician: z.object({
      id: z.string(),
      name: z.string(),
      certificationNumber: z.string().nullable(),
      certificationType: z.string().nullable(),
    }),
    leakRate: LeakRate.nullable(),
  })
  .passthrough()
  .openapi("Transfer");
const tags = ["transfers"];
const writeErrors = { ...errorResponses, 409: { ...errorResponses[400], description: "Conflicts with the records" } };

export const transfersRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/transfers",
      tags,
      summary: "Refrigerant transfers, newest first, with filters",
      request: { params: OrgParams, query: TransferListQuery },
      responses: { 200: jsonContent(z.object({ transfers: z.array(Transfer) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "transfers:view");
      return c.json({ transfers: await listTransfers(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/transfers",
      tags,
      summary:
        "Record a CHARGE, RECOVER or CYLINDER_TO_CYLINDER transfer (PENDING); cylinder contents change with it. A CHARGE answers with its leak rate.",
      request: { params: OrgParams, body: jsonBody(TransferCreateInput) },
      responses: { 201: jsonContent(Transfer, "Recorded"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "transfers:record");
      return c.json(await createTransfer(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/transfers/{transferId}",
      tags,
      summary: "One transfer with its unit, cylinders, leak rate, review and void details",
      request: { params: TransferParams },
      responses: { 200: jsonContent(Transfer), ...errorResponses },
    }),
    async (c) => {
      const { orgId, transferId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "transfers:view");
      return c.json(await getTransfer(scope, transferId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/transfers/{transferId}/approve",
      tags,
      summary: "Approve a PENDING transfer; an over-threshold CHARGE opens a leak repair",
      request: { params: TransferParams, body: jsonBody(TransferReviewInput) },
      responses: { 200: jsonContent(Transfer), ...writeErrors },
    }),
    async (c) => {
      const { orgId, transferId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "transfers:review");
      return c.json(await approveTransfer(scope, transferId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/transfers/{transferId}/reject",
      tags,
      summary: "Reject a PENDING transfer; the cylinder contents are restored",
      request: { params: TransferParams, body: jsonBody(TransferReviewInput) },
      responses: { 200: jsonContent(Transfer), ...writeErrors },
    }),
    async (c) => {
      const { orgId, transferId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "transfers:review");
      return c.json(await rejectTransfer(scope, transferId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/transfers/{transferId}/void",
      tags,
      summary: "Void a transfer with a reason (kept, never deleted); contents are restored unless it was rejected",
      request: { params: TransferParams, body: jsonBody(TransferVoidInput) },
      responses: { 200: jsonContent(Transfer), ...writeErrors },
    }),
    async (c) => {
      const { orgId, transferId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "transfers:void");
      return c.json(await voidTransfer(scope, transferId, c.req.valid("json")), 200);
    },
  );
