/**
 * Leads and opportunities. A sales rep (leads:own) creates, sees and works only their own: another
 * rep's lead answers 404. Admins (leads:view) read every lead of the org, never write.
 *
 * Stages: NEW → CONTACTED → QUOTED → WON | LOST. Any stage may follow any other (a rep may step
 * back, or reopen a closed lead); LOST needs a reason; WON and LOST set `closedAt`, an open stage
 * clears it and the reason. A converted lead stays WON. Values are whole cents (`valueCents`).
 */
import { and, asc, desc, eq, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { customers, type LeadStage, leads, locations, users } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { buildCustomer, buildLocation, customerSnapshot, locationSnapshot } from "../customers/locations";
import { newId } from "../db";
import { badRequest, conflict, isConstraintError, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can, PERMISSIONS, type Role } from "../policy/permissions";
import {
  type LeadConvertInput,
  type LeadCreateInput,
  type LeadListQuery,
  type LeadPatchInput,
  OPEN_STAGES,
} from "./schemas";

type LeadRow = typeof leads.$inferSelect;

export const isClosedStage = (stage: LeadStage) => stage === "WON" || stage === "LOST";

const snapshot = (l: LeadRow) => ({
  ownerId: l.ownerId,
  company: l.company,
  contactName: l.contactName,
  email: l.email,
  phone: l.phone,
  state: l.state,
  zip: l.zip,
  stage: l.stage,
  valueCents: l.valueCents,
  nextStep: l.nextStep,
  dueDate: l.dueDate,
  notes: l.notes,
  lostReason: l.lostReason,
  customerId: l.customerId,
  closedAt: l.closedAt ? l.closedAt.toISOString() : null,
});

/** Lead events reach the owner and the admins who read every lead. */
async function announce(scope: OrgScope, action: string, lead: Pick<LeadRow, "id" | "ownerId">) {
  await publish(
    scope.env,
    scope.org,
    { entity: "lead", action, id: lead.id, orgId: scope.org.id },
    { roles: [...PERMISSIONS["leads:view"].roles] as Role[], userIds: [lead.ownerId] },
  );
}

/** A rep sees their own leads; admins every lead of the org. */
function visibleTo(scope: OrgScope): SQL[] {
  const conditions = [eq(leads.orgId, scope.org.id)];
  if (!can(scope.actor, "leads:view", scope.org.id)) conditions.push(eq(leads.ownerId, scope.user.id));
  return conditions;
}

function present(l: LeadRow, ownerName: string | null, customerName: string | null) {
  return {
    id: l.id,
    orgId: l.orgId,
    owner: { id: l.ownerId, name: ownerName ?? "" },
    company: l.company,
    contactName: l.contactName,
    email: l.email,
    phone: l.phone,
    state: l.state,
    zip: l.zip,
    stage: l.stage,
    open: !isClosedStage(l.stage),
    valueCents: l.valueCents,
    nextStep: l.nextStep,
    dueDate: l.dueDate,
    notes: l.notes,
    lostReason: l.lostReason,
    customer: l.customerId ? { id: l.customerId, name: customerName ?? "" } : null,
    closedAt: l.closedAt ? l.closedAt.toISOString() : null,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}
export type LeadView = ReturnType<typeof present>;

const selectLeads = (scope: OrgScope) =>
  scope.db
    .select({ lead: leads, ownerName: users.name, customerName: customers.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .leftJoin(customers, eq(customers.id, leads.customerId));

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** Open leads first by due date (none last), then closed ones, newest first. */
export async function listLeads(scope: OrgScope, query: LeadListQuery = {}) {
  const conditions = visibleTo(scope);
  if (query.stage) conditions.push(eq(leads.stage, query.stage));
  if (query.status === "open") conditions.push(inArray(leads.stage, [...OPEN_STAGES]));
  if (query.status === "closed") conditions.push(inArray(leads.stage, ["WON", "LOST"]));
  if (query.q) {
    const pattern = likePattern(query.q);
    const match = or(
      sql`${leads.company} LIKE ${pattern} ESCAPE '\\'`,
      sql`${leads.contactName} LIKE ${pattern} ESCAPE '\\'`,
    );
    if (match) conditions.push(match);
  }
  const rows = await selectLeads(scope)
    .where(and(...conditions))
    .orderBy(
      sql`CASE WHEN ${leads.stage} IN ('WON', 'LOST') THEN 1 ELSE 0 END`,
      sql`${leads.dueDate} IS NULL`,
      asc(leads.dueDate),
      desc(leads.createdAt),
    )
    .all();
  return rows.map((row) => present(row.lead, row.ownerName, row.customerName));
}

async function findLead(scope: OrgScope, id: string) {
  const row = await selectLeads(scope)
    .where(and(eq(leads.id, id), ...visibleTo(scope)))
    .get();
  if (!row) throw notFound("Lead");
  return row;
}

export async function getLead(scope: OrgScope, id: string) {
  const row = await findLead(scope, id);
  return present(row.lead, row.ownerName, row.customerName);
}

/** Only the owner works a lead (admins are refused by the route: leads:own); another rep gets a 404. */
async function findOwnLead(scope: OrgScope, id: string) {
  const row = await findLead(scope, id);
  if (row.lead.ownerId !== scope.user.id) throw notFound("Lead");
  return row.lead;
}

export async function createLead(scope: OrgScope, input: LeadCreateInput) {
  const { db } = scope;
  const now = new Date();
  const row: LeadRow = {
    id: newId(),
    orgId: scope.org.id,
    ownerId: scope.user.id,
    company: input.company,
    contactName: input.contactName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    state: input.state ?? null,
    zip: input.zip ?? null,
    stage: "NEW",
    valueCents: input.valueCents ?? 0,
    nextStep: input.nextStep ?? null,
    dueDate: input.dueDate ?? null,
    notes: input.notes ?? null,
    lostReason: null,
    customerId: null,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(leads).values(row),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "lead.create",
      entityType: "lead",
      entityId: row.id,
      after: snapshot(row),
    }),
  ]);
  await announce(scope, "created", row);
  return getLead(scope, row.id);
}

/** The lead after a patch, by the stage rules; throws what breaks them. */
export function applyLeadPatch(current: LeadRow, input: LeadPatchInput, now: Date): LeadRow {
  const { stage: wantedStage, lostReason, ...fields } = input;
  const stage = wantedStage ?? current.stage;
  const stageChanged = stage !== current.stage;
  if (current.customerId && stage !== "WON") {
    throw conflict("This lead was converted into a customer: it stays WON.", "LEAD_CONVERTED", {
      stage: ["A converted lead stays WON."],
    });
  }
  if (lostReason && stage !== "LOST") {
    throw badRequest("A reason goes with a lost lead.", { lostReason: ["Only for a LOST lead."] });
  }
  const reason = stage === "LOST" ? (lostReason ?? (stageChanged ? null : current.lostReason)) : null;
  if (stage === "LOST" && !reason) {
    throw badRequest("Say why the lead was lost.", { lostReason: ["Required when the stage is LOST."] });
  }
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    ...current,
    ...defined,
    stage,
    lostReason: reason,
    closedAt: isClosedStage(stage) ? (stageChanged || !current.closedAt ? now : current.closedAt) : null,
    updatedAt: now,
  };
}

export async function updateLead(scope: OrgScope, id: string, input: LeadPatchInput) {
  const { db } = scope;
  const current = await findOwnLead(scope, id);
  const now = new Date();
  const after = applyLeadPatch(current, input, now);
  const { id: _id, orgId: _org, ownerId: _owner, createdAt: _created, ...changes } = after;
  await db.batch([
    db
      .update(leads)
      .set(changes)
      .where(and(eq(leads.id, current.id), eq(leads.orgId, scope.org.id))),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: after.stage !== current.stage ? "lead.stage" : "lead.update",
      entityType: "lead",
      entityId: current.id,
      before: snapshot(current),
      after: snapshot(after),
    }),
  ]);
  await announce(scope, "updated", current);
  return getLead(scope, id);
}

/**
 * A WON lead becomes a customer of the org (and its first location when given), once: the lead
 * keeps the customer's id. One batch; a concurrent second conversion is rolled back.
 */
export async function convertLead(scope: OrgScope, id: string, input: LeadConvertInput) {
  const { db } = scope;
  const lead = await findOwnLead(scope, id);
  if (lead.customerId) throw conflict("This lead was already converted into a customer.", "ALREADY_CONVERTED");
  if (lead.stage !== "WON") {
    throw conflict("Only a WON lead becomes a customer.", "LEAD_NOT_WON", { stage: ["Mark the lead WON first."] });
  }
  let address: { name: string; street: string; city: string; state: string; zip: string } | null = null;
  if (input.location) {
    const state = input.location.state ?? lead.state;
    const zip = input.location.zip ?? lead.zip;
    const fields: Record<string, string[]> = {};
    if (!state) fields["location.state"] = ["Required."];
    if (!zip) fields["location.zip"] = ["Required."];
    if (!state || !zip) throw badRequest("The location needs a state and a ZIP.", fields);
    address = { ...input.location, name: input.location.name ?? lead.company, state, zip };
  }
  const now = new Date();
  const customer = buildCustomer(
    scope,
    {
      name: input.name ?? lead.company,
      email: input.email === undefined ? lead.email : input.email,
      phone: input.phone === undefined ? lead.phone : input.phone,
      notes: lead.contactName ? `Contact: ${lead.contactName}` : null,
    },
    now,
  );
  const location = address ? buildLocation(scope, customer.id, address, now) : null;
  const after: LeadRow = { ...lead, customerId: customer.id, updatedAt: now };
  const actor = actorRef(scope);
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    // Compare-and-set: converted meanwhile → the value CHECK fails and nothing is written.
    db
      .update(leads)
      .set({ valueCents: -1 })
      .where(and(eq(leads.id, lead.id), isNotNull(leads.customerId))),
    db.insert(customers).values(customer),
    auditEntry(db, {
      orgId: scope.org.id,
      actor,
      action: "customer.create",
      entityType: "customer",
      entityId: customer.id,
      after: { ...customerSnapshot(customer), fromLeadId: lead.id },
    }),
  ];
  if (location) {
    statements.push(
      db.insert(locations).values(location),
      auditEntry(db, {
        orgId: scope.org.id,
        actor,
        action: "location.create",
        entityType: "location",
        entityId: location.id,
        after: locationSnapshot(location),
      }),
    );
  }
  statements.push(
    db
      .update(leads)
      .set({ customerId: customer.id, updatedAt: now })
      .where(and(eq(leads.id, lead.id), eq(leads.orgId, scope.org.id))),
    auditEntry(db, {
      orgId: scope.org.id,
      actor,
      action: "lead.convert",
      entityType: "lead",
      entityId: lead.id,
      before: snapshot(lead),
      after: snapshot(after),
    }),
  );
  try {
    await db.batch(statements);
  } catch (error) {
    if (isConstraintError(error, "leads_value_not_negative")) {
      throw conflict("This lead was already converted into a customer.", "ALREADY_CONVERTED");
    }
    throw error;
  }
  await announce(scope, "converted", lead);
  // Customers and locations are seen by every role of the org.
  await publish(scope.env, scope.org, { entity: "customer", action: "created", id: customer.id, orgId: scope.org.id });
  if (location) {
    await publish(scope.env, scope.org, {
      entity: "location",
      action: "created",
      id: location.id,
      orgId: scope.org.id,
    });
  }
  return { lead: await getLead(scope, id), customer: { id: customer.id, name: customer.name } };
}
