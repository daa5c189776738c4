import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
