import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"] as const;
export type Role = (typeof ROLES)[number];
export const PLANS = ["FREE", "PRO", "ENTERPRISE"] as const;
export type Plan = (typeof PLANS)[number];
export const USER_STATUSES = ["ACTIVE", "DEACTIVATED"] as const;
export const CERTIFICATION_TYPES = ["I", "II", "III", "UNIVERSAL"] as const;
export type CertificationType = (typeof CERTIFICATION_TYPES)[number];

/** EPA settings an org may tune (SPEC §6: rules change, keep them configurable). */
export type EpaConfig = {
  /** Full charge (lb) from which an appliance is covered by the leak-repair rules. */
  coverageThresholdLb: number;
  /** Leak-rate thresholds in percent, per appliance category. */
  leakRateThresholds: {
    COMFORT_COOLING: number;
    COMMERCIAL_REFRIGERATION: number;
    INDUSTRIAL_PROCESS: number;
    REFRIGERATED_TRANSPORT: number;
    OTHER: number;
  };
  /** Alert when a leak rate reaches this share (percent) of its threshold. */
  alertAtPercentOfThreshold: number;
  calculationMethod: "ANNUALIZING" | "ROLLING_AVERAGE";
};

const now = sql`(unixepoch() * 1000)`;

export const organizations = sqliteTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    parentOrgId: text("parent_org_id"),
    name: text("name").notNull(),
    plan: text("plan", { enum: PLANS }).notNull().default("FREE"),
    ein: text("ein"),
    brandLogoUrl: text("brand_logo_url"),
    brandColor: text("brand_color"),
    epaConfig: text("epa_config", { mode: "json" }).$type<EpaConfig>().notNull(),
    timeZone: text("time_zone").notNull().default("America/New_York"),
    /** The branch's address (state, ZIP): where its warehouse cylinders are, for sales territories. */
    addressState: text("address_state"),
    addressZip: text("address_zip"),
    /**
     * Settings a sub-org overrides (keys of INHERITABLE_SETTINGS); the others follow its parent:
     * a change to the parent's copies down in the same batch.
     */
    overriddenSettings: text("overridden_settings", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Payment provider references (Stripe), when billing runs through it. */
    billingCustomerId: text("billing_customer_id"),
    billingSubscriptionId: text("billing_subscription_id"),
    subscriptionStatus: text("subscription_status"),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("organizations_parent_idx").on(t.parentOrgId)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    role: text("role", { enum: ROLES }).notNull(),
    status: text("status", { enum: USER_STATUSES }).notNull().default("ACTIVE"),
    name: text("name").notNull(),
    email: text("email").notNull(),
    /** null until the invited user sets a password. */
    passwordHash: text("password_hash"),
    timeZone: text("time_zone").notNull().default("America/New_York"),
    certificationNumber: text("certification_number"),
    certificationType: text("certification_type", { enum: CERTIFICATION_TYPES }),
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email), index("users_org_idx").on(t.orgId)],
);

/** Extra orgs of the same tree a user reaches (SPEC §3 `accessibleOrgIds`). */
export const userOrgAccess = sqliteTable(
  "user_org_access",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgId] })],
);

/** Lucia-style sessions: the token is `${id}.${secret}`; only SHA-256(secret) is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    lastRefreshedAt: integer("last_refreshed_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    invitedById: text("invited_by_id")
      .notNull()
      .references(() => users.id),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [uniqueIndex("invitations_token_unique").on(t.tokenHash), index("invitations_user_idx").on(t.userId)],
);

export const supportRequests = sqliteTable("support_requests", {
  id: text("id").primaryKey(),
  orgId: text("org_id")
    .notNull()
    .references(() => organizations.id),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  subject: text("subject").notNull(),
  message: text("message").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
});

/** Append-only: who did what, where, with the row before and after. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    actorId: text("actor_id"),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("audit_log_org_created_idx").on(t.orgId, t.createdAt)],
);

/** Failed-login counters, keyed `email:<address>` or `ip:<address>`. */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: integer("window_started_at", { mode: "timestamp_ms" }).notNull(),
});

// ---------------------------------------------------------------------------------------------
// Refrigerant tracking (SPEC §5)

export const UNIT_CATEGORIES = [
  "COMFORT_COOLING",
  "COMMERCIAL_REFRIGERATION",
  "INDUSTRIAL_PROCESS",
  "REFRIGERATED_TRANSPORT",
  "OTHER",
] as const;
export type UnitCategory = (typeof UNIT_CATEGORIES)[number];
export const FULL_CHARGE_METHODS = ["MANUFACTURER", "CALCULATION", "MEASUREMENT", "RANGE_MIDPOINT"] as const;
export const UNIT_STATUSES = ["ACTIVE", "DECOMMISSIONED"] as const;
export const CYLINDER_KINDS = ["VIRGIN", "RECOVERY", "RECLAIMED"] as const;
export const CYLINDER_STATUSES = ["IN_STOCK", "ASSIGNED", "EMPTY", "FOR_SALE", "SOLD", "RETIRED"] as const;
export const HOLDER_TYPES = ["WAREHOUSE", "TECHNICIAN", "SITE"] as const;
export const TRANSFER_KINDS = ["CHARGE", "RECOVER", "CYLINDER_TO_CYLINDER"] as const;
export const TRANSFER_STATUSES = ["PENDING", "APPROVED", "REJECTED"] as const;
export const LEAK_STATUSES = [
  "OPEN",
  "REPAIRED",
  "VERIFIED",
  "VERIFICATION_FAILED",
  "RETROFIT_PLANNED",
  "RETIRED",
  "CLOSED",
] as const;
export const CALCULATION_METHODS = ["ANNUALIZING", "ROLLING_AVERAGE"] as const;

/** Reference data (a migration fills it): AR4 GWP, as EPA uses. */
export const refrigerants = sqliteTable("refrigerants", {
  designation: text("designation").primaryKey(),
  ods: integer("ods", { mode: "boolean" }).notNull(),
  gwp: integer("gwp").notNull(),
  family: text("family").notNull(),
  safetyClass: text("safety_class").notNull(),
});

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    notes: text("notes"),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("customers_org_idx").on(t.orgId, t.name)],
);

export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    name: text("name").notNull(),
    street: text("street").notNull(),
    city: text("city").notNull(),
    state: text("state").notNull(),
    zip: text("zip").notNull(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("locations_org_idx").on(t.orgId), index("locations_customer_idx").on(t.customerId)],
);

export const units = sqliteTable(
  "units",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    locationId: text("location_id")
      .notNull()
      .references(() => locations.id),
    name: text("name").notNull(),
    manufacturer: text("manufacturer"),
    model: text("model"),
    serial: text("serial"),
    category: text("category", { enum: UNIT_CATEGORIES }).notNull(),
    refrigerant: text("refrigerant")
      .notNull()
      .references(() => refrigerants.designation),
    fullChargeLb: real("full_charge_lb").notNull(),
    fullChargeMethod: text("full_charge_method", { enum: FULL_CHARGE_METHODS }).notNull(),
    /** Industrial process refrigeration whose repair needs a shutdown gets 120 days, not 30. */
    repairNeedsShutdown: integer("repair_needs_shutdown", { mode: "boolean" }).notNull().default(false),
    installDate: text("install_date"),
    status: text("status", { enum: UNIT_STATUSES }).notNull().default("ACTIVE"),
    decommissionReason: text("decommission_reason"),
    decommissionedAt: text("decommissioned_at"),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("units_org_idx").on(t.orgId),
    index("units_location_idx").on(t.locationId),
    check("units_full_charge_positive", sql`${t.fullChargeLb} > 0`),
  ],
);

export const cylinders = sqliteTable(
  "cylinders",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    tag: text("tag").notNull(),
    refrigerant: text("refrigerant")
      .notNull()
      .references(() => refrigerants.designation),
    kind: text("kind", { enum: CYLINDER_KINDS }).notNull(),
    tareWeightLb: real("tare_weight_lb").notNull(),
    waterCapacityLb: real("water_capacity_lb").notNull(),
    netContentsLb: real("net_contents_lb").notNull(),
    holderType: text("holder_type", { enum: HOLDER_TYPES }).notNull().default("WAREHOUSE"),
    holderUserId: text("holder_user_id").references(() => users.id),
    holderLocationId: text("holder_location_id").references(() => locations.id),
    holderLabel: text("holder_label"),
    status: text("status", { enum: CYLINDER_STATUSES }).notNull().default("IN_STOCK"),
    hydroTestDate: text("hydro_test_date"),
    /** Asking price of a FOR_SALE cylinder, in cents. */
    priceCents: integer("price_cents"),
    soldToCustomerId: text("sold_to_customer_id").references(() => customers.id),
    soldAt: integer("sold_at", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("cylinders_org_tag_unique").on(t.orgId, t.tag),
    index("cylinders_org_status_idx").on(t.orgId, t.status),
    // The database itself refuses a negative content or a recovery cylinder over 80% of its
    // capacity, so concurrent transfers in separate batches cannot break either rule.
    check("cylinders_contents_not_negative", sql`${t.netContentsLb} >= 0`),
    check(
      "cylinders_recovery_80_percent",
      sql`${t.kind} <> 'RECOVERY' OR ${t.netContentsLb} <= ${t.waterCapacityLb} * 0.8 + 0.0001`,
    ),
    check("cylinders_contents_within_capacity", sql`${t.netContentsLb} <= ${t.waterCapacityLb} + 0.0001`),
  ],
);

export const cylinderMoves = sqliteTable(
  "cylinder_moves",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    cylinderId: text("cylinder_id")
      .notNull()
      .references(() => cylinders.id),
    fromHolderType: text("from_holder_type", { enum: HOLDER_TYPES }),
    fromHolderUserId: text("from_holder_user_id"),
    fromHolderLocationId: text("from_holder_location_id"),
    fromHolderLabel: text("from_holder_label"),
    toHolderType: text("to_holder_type", { enum: HOLDER_TYPES }).notNull(),
    toHolderUserId: text("to_holder_user_id"),
    toHolderLocationId: text("to_holder_location_id"),
    toHolderLabel: text("to_holder_label"),
    fromStatus: text("from_status", { enum: CYLINDER_STATUSES }),
    toStatus: text("to_status", { enum: CYLINDER_STATUSES }).notNull(),
    movedById: text("moved_by_id")
      .notNull()
      .references(() => users.id),
    movedByName: text("moved_by_name").notNull(),
    note: text("note"),
    movedAt: integer("moved_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("cylinder_moves_cylinder_idx").on(t.cylinderId, t.movedAt)],
);

export const transfers = sqliteTable(
  "transfers",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    kind: text("kind", { enum: TRANSFER_KINDS }).notNull(),
    unitId: text("unit_id").references(() => units.id),
    fromCylinderId: text("from_cylinder_id").references(() => cylinders.id),
    toCylinderId: text("to_cylinder_id").references(() => cylinders.id),
    refrigerant: text("refrigerant")
      .notNull()
      .references(() => refrigerants.designation),
    amountLb: real("amount_lb").notNull(),
    performedAt: integer("performed_at", { mode: "timestamp_ms" }).notNull(),
    technicianId: text("technician_id")
      .notNull()
      .references(() => users.id),
    technicianName: text("technician_name").notNull(),
    certificationNumber: text("certification_number"),
    certificationType: text("certification_type", { enum: CERTIFICATION_TYPES }),
    /** Jobs arrive with field operations; the link is kept as an id until then. */
    jobId: text("job_id"),
    notes: text("notes"),
    status: text("status", { enum: TRANSFER_STATUSES }).notNull().default("PENDING"),
    reviewedById: text("reviewed_by_id").references(() => users.id),
    reviewedByName: text("reviewed_by_name"),
    reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }),
    reviewNote: text("review_note"),
    voidedAt: integer("voided_at", { mode: "timestamp_ms" }),
    voidedById: text("voided_by_id").references(() => users.id),
    voidReason: text("void_reason"),
    createdById: text("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("transfers_org_status_idx").on(t.orgId, t.status),
    index("transfers_unit_idx").on(t.unitId, t.performedAt),
    check("transfers_amount_positive", sql`${t.amountLb} > 0`),
  ],
);

/** Every computed leak rate, with what it was computed from (SPEC §6: method, inputs, threshold, rule version). */
export const leakRates = sqliteTable(
  "leak_rates",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    unitId: text("unit_id")
      .notNull()
      .references(() => units.id),
    transferId: text("transfer_id")
      .notNull()
      .references(() => transfers.id),
    method: text("method", { enum: CALCULATION_METHODS }).notNull(),
    percent: real("percent").notNull(),
    threshold: real("threshold").notNull(),
    alertLevel: real("alert_level").notNull(),
    exceeded: integer("exceeded", { mode: "boolean" }).notNull(),
    alert: integer("alert", { mode: "boolean" }).notNull(),
    inputs: text("inputs", { mode: "json" }).notNull(),
    explanation: text("explanation").notNull(),
    ruleVersion: text("rule_version").notNull(),
    computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("leak_rates_unit_idx").on(t.unitId, t.computedAt)],
);

export const leaks = sqliteTable(
  "leaks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    unitId: text("unit_id")
      .notNull()
      .references(() => units.id),
    status: text("status", { enum: LEAK_STATUSES }).notNull().default("OPEN"),
    foundById: text("found_by_id").references(() => users.id),
    foundByName: text("found_by_name"),
    foundAt: integer("found_at", { mode: "timestamp_ms" }).notNull(),
    locationOnUnit: text("location_on_unit"),
    detectionMethod: text("detection_method"),
    notes: text("notes"),
    /** Set when a leak rate over threshold opened this repair. */
    leakRateId: text("leak_rate_id").references(() => leakRates.id),
    repairDueAt: integer("repair_due_at", { mode: "timestamp_ms" }),
    repairedAt: integer("repaired_at", { mode: "timestamp_ms" }),
    repairDescription: text("repair_description"),
    initialTestAt: integer("initial_test_at", { mode: "timestamp_ms" }),
    initialTestPassed: integer("initial_test_passed", { mode: "boolean" }),
    followUpDueAt: integer("follow_up_due_at", { mode: "timestamp_ms" }),
    followUpTestAt: integer("follow_up_test_at", { mode: "timestamp_ms" }),
    followUpTestPassed: integer("follow_up_test_passed", { mode: "boolean" }),
    retrofitPlanDueAt: integer("retrofit_plan_due_at", { mode: "timestamp_ms" }),
    retrofitPlan: text("retrofit_plan"),
    retrofitPlanAt: integer("retrofit_plan_at", { mode: "timestamp_ms" }),
    retrofitCompleteBy: integer("retrofit_complete_by", { mode: "timestamp_ms" }),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("leaks_org_status_idx").on(t.orgId, t.status), index("leaks_unit_idx").on(t.unitId)],
);

// ---------------------------------------------------------------------------------------------
// Field operations (SPEC §5: jobs, appointments, projects)

export const JOB_STATUSES = ["PENDING", "SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_PRIORITIES = ["LOW", "NORMAL", "HIGH", "EMERGENCY"] as const;
export const PROJECT_STATUSES = ["OPEN", "IN_PROGRESS", "COMPLETED", "CANCELED"] as const;
export const APPOINTMENT_STATUSES = ["SCHEDULED", "EN_ROUTE", "IN_PROGRESS", "COMPLETED", "CANCELED"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    description: text("description"),
    customerId: text("customer_id").references(() => customers.id),
    /** Rolled up from its jobs (COMPLETED when its last open job completes); CANCELED is set by hand. */
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("OPEN"),
    dueDate: text("due_date"),
    createdById: text("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("projects_org_status_idx").on(t.orgId, t.status)],
);

export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    /** Human-friendly number, unique per org (J-1001…). */
    number: integer("number").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    locationId: text("location_id")
      .notNull()
      .references(() => locations.id),
    projectId: text("project_id").references(() => projects.id),
    description: text("description").notNull(),
    priority: text("priority", { enum: JOB_PRIORITIES }).notNull().default("NORMAL"),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("PENDING"),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    canceledAt: integer("canceled_at", { mode: "timestamp_ms" }),
    cancelReason: text("cancel_reason"),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    createdById: text("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("jobs_org_number_unique").on(t.orgId, t.number),
    index("jobs_org_status_idx").on(t.orgId, t.status),
    index("jobs_project_idx").on(t.projectId),
  ],
);

export const jobUnits = sqliteTable(
  "job_units",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    unitId: text("unit_id")
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.unitId] }), index("job_units_unit_idx").on(t.unitId)],
);

export const jobNotes = sqliteTable(
  "job_notes",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    /** Kept with the note: a deactivated author's notes keep their name (seed FAQ). */
    authorName: text("author_name").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("job_notes_job_idx").on(t.jobId, t.createdAt)],
);

export const appointments = sqliteTable(
  "appointments",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    durationMinutes: integer("duration_minutes").notNull().default(120),
    note: text("note"),
    status: text("status", { enum: APPOINTMENT_STATUSES }).notNull().default("SCHEDULED"),
    enRouteAt: integer("en_route_at", { mode: "timestamp_ms" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    completionNote: text("completion_note"),
    canceledAt: integer("canceled_at", { mode: "timestamp_ms" }),
    cancelReason: text("cancel_reason"),
    createdById: text("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("appointments_org_start_idx").on(t.orgId, t.startsAt),
    index("appointments_job_idx").on(t.jobId),
    check("appointments_duration_positive", sql`${t.durationMinutes} > 0`),
  ],
);

export const appointmentTechnicians = sqliteTable(
  "appointment_technicians",
  {
    appointmentId: text("appointment_id")
      .notNull()
      .references(() => appointments.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [
    primaryKey({ columns: [t.appointmentId, t.userId] }),
    index("appointment_technicians_user_idx").on(t.userId, t.orgId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Sales and billing (issue 5)

/** Org settings a sub-org inherits from its parent unless it overrides them. */
export const INHERITABLE_SETTINGS = ["epaConfig", "timeZone", "brandColor", "brandLogoUrl"] as const;
export const LEAD_STAGES = ["NEW", "CONTACTED", "QUOTED", "WON", "LOST"] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

/** A sales region: US states and/or ZIP prefixes, assigned to SALES users by a PARENT_ORG_ADMIN. */
export const territories = sqliteTable(
  "territories",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    states: text("states", { mode: "json" }).$type<string[]>().notNull().default([]),
    zipPrefixes: text("zip_prefixes", { mode: "json" }).$type<string[]>().notNull().default([]),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("territories_org_idx").on(t.orgId)],
);

export const territoryAssignments = sqliteTable(
  "territory_assignments",
  {
    territoryId: text("territory_id")
      .notNull()
      .references(() => territories.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [primaryKey({ columns: [t.territoryId, t.userId] }), index("territory_assignments_user_idx").on(t.userId)],
);

/** Leads and opportunities, owned by a sales rep. */
export const leads = sqliteTable(
  "leads",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    company: text("company").notNull(),
    contactName: text("contact_name"),
    email: text("email"),
    phone: text("phone"),
    state: text("state"),
    zip: text("zip"),
    stage: text("stage", { enum: LEAD_STAGES }).notNull().default("NEW"),
    valueCents: integer("value_cents").notNull().default(0),
    nextStep: text("next_step"),
    dueDate: text("due_date"),
    notes: text("notes"),
    lostReason: text("lost_reason"),
    /** Set when a WON lead was converted into a customer. */
    customerId: text("customer_id").references(() => customers.id),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("leads_org_owner_idx").on(t.orgId, t.ownerId),
    check("leads_value_not_negative", sql`${t.valueCents} >= 0`),
  ],
);

/**
 * What happened to a company's subscription: plan changes applied directly (no provider keys) and
 * the payment provider's events (Stripe webhooks, unique by provider event id: applied once).
 */
export const billingEvents = sqliteTable(
  "billing_events",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id),
    provider: text("provider", { enum: ["DIRECT", "STRIPE"] }).notNull(),
    providerEventId: text("provider_event_id"),
    type: text("type").notNull(),
    plan: text("plan", { enum: PLANS }),
    amountCents: integer("amount_cents"),
    currency: text("currency"),
    description: text("description"),
    payload: text("payload", { mode: "json" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("billing_events_org_idx").on(t.orgId, t.createdAt),
    uniqueIndex("billing_events_provider_event_unique").on(t.provider, t.providerEventId),
  ],
);
