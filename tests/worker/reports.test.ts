/**
 * Compliance report and dashboard behind the API, from hand-made rows: which transfers are service
 * records (approved only; pending, rejected and voided left out; the period's first and last days
 * included, read in the org's time zone), leak repairs of the period with their deadlines and
 * overdue flag, chronic leakers with the March 1 report date, CSV and PDF exports, the dashboard
 * (overdue first, alerts, units over threshold, chronic leakers) and its company-wide view for a
 * parent org admin, permissions and tenancy, and bad queries.
 */
import { exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type leakRates as LeakRatesTable,
  leakRates,
  leaks,
  organizations,
  transfers,
  type units,
} from "../../db/schema";
import { SERVICE_RECORD_COLUMNS } from "../../worker/reports/csv";
import { api, createOrg, createTree, createUnitAtSite, createUser, ORIGIN, signIn, type Tree, testDb } from "./helpers";
import { expectError, parseCsv } from "./support";

const DAY = 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
/** The test org's zone is America/New_York (EST, UTC-5, in winter). */
const TECH = { technicianName: "Tess Tech", certificationNumber: "608-4471", certificationType: "UNIVERSAL" } as const;
const PNG_1X1 =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

let t: Tree;
let cookies: Record<
  | "PARENT_ORG_ADMIN"
  | "ORG_ADMIN"
  | "MANAGER"
  | "TECHNICIAN"
  | "SALES"
  | "siblingAdmin"
  | "outsider"
  | "outsiderParent",
  string
>;

type TransferInput = Partial<typeof transfers.$inferInsert> & { orgId: string; performedAt: Date };

async function insertTransfer(input: TransferInput) {
  const technicianId =
    input.technicianId ?? (input.orgId === t.subB.id ? t.sibling.TECHNICIAN.id : t.users.TECHNICIAN.id);
  return testDb()
    .insert(transfers)
    .values({
      id: crypto.randomUUID(),
      kind: "CHARGE",
      refrigerant: "R-410A",
      amountLb: 1,
      status: "APPROVED",
      technicianId,
      createdById: technicianId,
      ...TECH,
      ...input,
    })
    .returning()
    .get();
}

async function insertRate(
  transfer: { id: string; orgId: string; unitId: string | null },
  values: Partial<typeof LeakRatesTable.$inferInsert> & { percent: number },
) {
  if (!transfer.unitId) throw new Error("a leak rate needs a unit");
  const threshold = values.threshold ?? 10;
  return testDb()
    .insert(leakRates)
    .values({
      id: crypto.randomUUID(),
      orgId: transfer.orgId,
      unitId: transfer.unitId,
      transferId: transfer.id,
      method: "ANNUALIZING",
      threshold,
      alertLevel: threshold * 0.8,
      exceeded: values.percent > threshold,
      alert: values.percent >= threshold * 0.8,
      inputs: {},
      explanation: `Leak rate ${values.percent}%`,
      ruleVersion: "epa-2026.1",
      ...values,
    })
    .returning()
    .get();
}

async function insertLeak(
  values: Partial<typeof leaks.$inferInsert> & { orgId: string; unitId: string; foundAt: Date },
) {
  return testDb()
    .insert(leaks)
    .values({ id: crypto.randomUUID(), status: "OPEN", detectionMethod: "ELECTRONIC", ...values })
    .returning()
    .get();
}

const reportUrl = (orgId: string, query = "") => `/api/orgs/${orgId}/reports/compliance${query ? `?${query}` : ""}`;
const summaryUrl = (orgId: string) => `/api/orgs/${orgId}/compliance/summary`;

/** The raw bytes of a response (the shared helper reads bodies as text). */
async function fetchBytes(path: string, cookie: string) {
  const res = await exports.default.fetch(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function inflate(bytes: Uint8Array) {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Every text string drawn on the PDF's pages (pdf-lib writes standard-font text as hex strings). */
async function pdfText(doc: PDFDocument) {
  const chunks: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    if (object.dict.get(PDFName.of("Subtype"))) continue;
    const filter = object.dict.get(PDFName.of("Filter"));
    const raw = filter?.toString() === "/FlateDecode" ? await inflate(object.contents) : object.contents;
    const content = new TextDecoder("latin1").decode(raw);
    for (const match of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
      const hex = match[1] ?? "";
      chunks.push(hex.replace(/../g, (pair) => String.fromCharCode(Number.parseInt(pair, 16))));
    }
  }
  return chunks.join("\n");
}

const hasImage = (doc: PDFDocument) =>
  doc.context
    .enumerateIndirectObjects()
    .some(
      ([, object]) => object instanceof PDFRawStream && object.dict.get(PDFName.of("Subtype"))?.toString() === "/Image",
    );

beforeAll(async () => {
  t = await createTree();
  const outsiderParent = t.outsiders.PARENT_ORG_ADMIN;
  cookies = {
    PARENT_ORG_ADMIN: await signIn(t.users.PARENT_ORG_ADMIN.id),
    ORG_ADMIN: await signIn(t.users.ORG_ADMIN.id),
    MANAGER: await signIn(t.users.MANAGER.id),
    TECHNICIAN: await signIn(t.users.TECHNICIAN.id),
    SALES: await signIn(t.users.SALES.id),
    siblingAdmin: await signIn(t.sibling.ORG_ADMIN.id),
    outsider: await signIn(t.outsiders.ORG_ADMIN.id),
    outsiderParent: await signIn(outsiderParent.id),
  };
  await testDb()
    .update(organizations)
    .set({ ein: "12-3456789", brandColor: "#1d4ed8" })
    .where(eq(organizations.id, t.subA.id));
});

// ---------------------------------------------------------------------------------------------

describe("compliance report: contents", () => {
  // A 2025 report for subA, built from rows whose status and date decide whether they belong.
  let unit: typeof units.$inferSelect;
  let second: typeof units.$inferSelect;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    unit = await createUnitAtSite(t.subA.id, { name: "RTU-Roof-1", fullChargeLb: 20 });
    second = await createUnitAtSite(t.subA.id, {
      name: "Walk-in cooler",
      fullChargeLb: 40,
      refrigerant: "R-404A",
      category: "COMMERCIAL_REFRIGERATION",
    });
    const o = t.subA.id;
    // First minute of 2025-01-01 in New York: included.
    const first = await insertTransfer({
      orgId: o,
      unitId: unit.id,
      amountLb: 5,
      performedAt: at("2025-01-01T05:00:00Z"),
    });
    ids.first = first.id;
    await insertRate(first, { percent: 25, threshold: 10 });
    // Last minute of 2025-12-31 in New York (already 2026 in UTC): included.
    ids.last = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        kind: "RECOVER",
        amountLb: 3,
        performedAt: at("2026-01-01T04:59:00Z"),
      })
    ).id;
    ids.midyear = (
      await insertTransfer({ orgId: o, unitId: unit.id, amountLb: 20, performedAt: at("2025-07-01T15:00:00Z") })
    ).id;
    ids.otherUnit = (
      await insertTransfer({
        orgId: o,
        unitId: second.id,
        refrigerant: "R-404A",
        amountLb: 2.5,
        performedAt: at("2025-03-10T15:00:00Z"),
      })
    ).id;
    ids.c2c = (
      await insertTransfer({
        orgId: o,
        kind: "CYLINDER_TO_CYLINDER",
        amountLb: 7,
        performedAt: at("2025-04-02T15:00:00Z"),
      })
    ).id;
    // Left out: pending, rejected, voided, and just outside the period on either side.
    ids.pending = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        amountLb: 9,
        status: "PENDING",
        performedAt: at("2025-06-01T15:00:00Z"),
      })
    ).id;
    ids.rejected = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        amountLb: 9,
        status: "REJECTED",
        performedAt: at("2025-06-02T15:00:00Z"),
      })
    ).id;
    ids.voided = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        amountLb: 9,
        performedAt: at("2025-06-03T15:00:00Z"),
        voidedAt: at("2025-06-04T15:00:00Z"),
        voidedById: t.users.ORG_ADMIN.id,
        voidReason: "Wrong unit",
      })
    ).id;
    ids.before = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        kind: "RECOVER",
        amountLb: 1,
        performedAt: at("2025-01-01T04:59:00Z"),
      })
    ).id;
    ids.after = (
      await insertTransfer({
        orgId: o,
        unitId: unit.id,
        kind: "RECOVER",
        amountLb: 1,
        performedAt: at("2026-01-01T05:00:00Z"),
      })
    ).id;
    // Another org's transfer in the same period never shows.
    const foreign = await createUnitAtSite(t.subB.id);
    ids.foreign = (
      await insertTransfer({
        orgId: t.subB.id,
        unitId: foreign.id,
        amountLb: 4,
        performedAt: at("2025-05-05T15:00:00Z"),
      })
    ).id;

    // Leak cases: repaired late and verified in the period; open and overdue; closed before; found after.
    ids.repaired = (
      await insertLeak({
        orgId: o,
        unitId: unit.id,
        foundAt: at("2025-01-01T05:00:00Z"),
        detectionMethod: "LEAK_RATE",
        repairDueAt: at("2025-01-31T00:00:00Z"),
        repairedAt: at("2025-02-05T15:00:00Z"),
        initialTestAt: at("2025-02-05T16:00:00Z"),
        initialTestPassed: true,
        followUpDueAt: at("2025-02-15T00:00:00Z"),
        followUpTestAt: at("2025-02-12T15:00:00Z"),
        followUpTestPassed: true,
        status: "CLOSED",
        closedAt: at("2025-02-13T15:00:00Z"),
      })
    ).id;
    ids.overdue = (
      await insertLeak({
        orgId: o,
        unitId: second.id,
        foundAt: at("2025-11-01T15:00:00Z"),
        detectionMethod: "LEAK_RATE",
        repairDueAt: at("2025-12-01T00:00:00Z"),
      })
    ).id;
    ids.closedBefore = (
      await insertLeak({
        orgId: o,
        unitId: unit.id,
        foundAt: at("2024-05-01T15:00:00Z"),
        status: "CLOSED",
        repairedAt: at("2024-05-02T15:00:00Z"),
        closedAt: at("2024-06-01T15:00:00Z"),
      })
    ).id;
    ids.foundAfter = (await insertLeak({ orgId: o, unitId: unit.id, foundAt: at("2026-01-02T15:00:00Z") })).id;
  });

  it("lists approved, non-voided transfers of the period, first and last days included, oldest first", async () => {
    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31"), { cookie: cookies.MANAGER });
    expect(res.status).toBe(200);
    const recordIds = res.body.serviceRecords.map((r: { id: string }) => r.id);
    expect(recordIds).toEqual([ids.first, ids.otherUnit, ids.c2c, ids.midyear, ids.last]);
    for (const excluded of ["pending", "rejected", "voided", "before", "after", "foreign"])
      expect(recordIds).not.toContain(ids[excluded]);
    expect(res.body).toMatchObject({
      org: { id: t.subA.id, name: t.subA.name, ein: "12-3456789", brandColor: "#1d4ed8" },
      aggregated: false,
      period: {
        from: "2025-01-01",
        to: "2025-12-31",
        timeZone: "America/New_York",
        start: "2025-01-01T05:00:00.000Z",
        end: "2026-01-01T05:00:00.000Z",
      },
      generatedAt: expect.any(String),
    });
  });

  it("gives each service record the SPEC §6 fields: appliance, location, date, type, technician and certification, refrigerant, amount, full charge, leak rate and method", async () => {
    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31"), { cookie: cookies.MANAGER });
    const first = res.body.serviceRecords.find((r: { id: string }) => r.id === ids.first);
    expect(first).toMatchObject({
      orgName: t.subA.name,
      performedAt: "2025-01-01T05:00:00.000Z",
      kind: "CHARGE",
      kindLabel: "Charge (added)",
      unit: {
        id: unit.id,
        name: "RTU-Roof-1",
        manufacturer: "Carrier",
        model: "48FC",
        serial: unit.serial,
        fullChargeLb: 20,
      },
      location: { customerName: "Cold Storage Co", name: "Warehouse 4", address: "4 Dock Rd, Joliet, IL 60431" },
      technician: { name: "Tess Tech", certificationNumber: "608-4471", certificationType: "UNIVERSAL" },
      refrigerant: "R-410A",
      amountLb: 5,
      addedLb: 5,
      recoveredLb: null,
      fullChargeLb: 20,
      leakRate: { percent: 25, method: "ANNUALIZING", methodLabel: "Annualizing", threshold: 10, exceeded: true },
    });
    const last = res.body.serviceRecords.find((r: { id: string }) => r.id === ids.last);
    expect(last).toMatchObject({ kind: "RECOVER", addedLb: null, recoveredLb: 3, leakRate: null });
    const c2c = res.body.serviceRecords.find((r: { id: string }) => r.id === ids.c2c);
    expect(c2c).toMatchObject({ kind: "CYLINDER_TO_CYLINDER", unit: null, location: null, amountLb: 7 });
  });

  it("sums pounds added and recovered per refrigerant and counts units over threshold", async () => {
    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31"), { cookie: cookies.ORG_ADMIN });
    expect(res.body.summary).toEqual({
      serviceRecords: 5,
      lbAddedByRefrigerant: { "R-410A": 25, "R-404A": 2.5 },
      lbRecoveredByRefrigerant: { "R-410A": 3 },
      unitsOverThreshold: 1,
      openRepairs: 1,
      overdueRepairs: 1,
      chronicLeakers: 1,
    });
  });

  it("lists leak repairs active in the period with due dates, repair and verification results, and the overdue flag", async () => {
    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31"), { cookie: cookies.MANAGER });
    const repairIds = res.body.leakRepairs.map((r: { id: string }) => r.id);
    expect(repairIds).toEqual([ids.repaired, ids.overdue]);
    const [repaired, overdue] = res.body.leakRepairs;
    expect(repaired).toMatchObject({
      status: "CLOSED",
      open: false,
      repairDueAt: "2025-01-31T00:00:00.000Z",
      repairedAt: "2025-02-05T15:00:00.000Z",
      repairedLate: true,
      initialTest: { at: "2025-02-05T16:00:00.000Z", passed: true },
      followUpTest: { at: "2025-02-12T15:00:00.000Z", passed: true },
      overdue: false,
      nextDeadline: null,
    });
    expect(overdue).toMatchObject({
      status: "OPEN",
      open: true,
      unit: { id: second.id, name: "Walk-in cooler" },
      repairDueAt: "2025-12-01T00:00:00.000Z",
      repairedAt: null,
      overdue: true,
      nextDeadline: { key: "REPAIR", overdue: true },
    });
  });

  it("reports a chronic leaker (125% of the full charge added in the calendar year) with its March 1 due date", async () => {
    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31"), { cookie: cookies.MANAGER });
    // 5 lb + 20 lb on a 20 lb charge = exactly 125%; the pending, rejected and voided 9 lb do not count.
    expect(res.body.chronicLeakers).toEqual([
      expect.objectContaining({
        year: 2025,
        unit: expect.objectContaining({ id: unit.id }),
        lbAdded: 25,
        fullChargeLb: 20,
        percentOfFullCharge: 125,
        reportDueAt: "2026-03-01T00:00:00.000Z",
      }),
    ]);
    // A period inside 2025 still reports the whole calendar year's chronic leakers.
    const spring = await api(reportUrl(t.subA.id, "from=2025-03-01&to=2025-03-31"), { cookie: cookies.MANAGER });
    expect(spring.body.chronicLeakers.map((c: { year: number }) => c.year)).toEqual([2025]);
    expect(spring.body.serviceRecords.map((r: { id: string }) => r.id)).toEqual([ids.otherUnit]);
  });

  it("defaults to the current calendar year in the org's time zone; one end alone takes that year's other end", async () => {
    const year = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric" }).format(new Date());
    const res = await api(reportUrl(t.subA.id), { cookie: cookies.MANAGER });
    expect(res.status).toBe(200);
    expect(res.body.period).toMatchObject({ from: `${year}-01-01`, to: `${year}-12-31` });
    const fromOnly = await api(reportUrl(t.subA.id, "from=2025-06-01"), { cookie: cookies.MANAGER });
    expect(fromOnly.body.period).toMatchObject({ from: "2025-06-01", to: "2025-12-31" });
    const toOnly = await api(reportUrl(t.subA.id, "to=2025-06-30"), { cookie: cookies.MANAGER });
    expect(toOnly.body.period).toMatchObject({ from: "2025-01-01", to: "2025-06-30" });
  });

  it("exports the service records as CSV: attachment, header row, one row per record, formula cells neutralised", async () => {
    const formula = await createUnitAtSite(t.subA.id, { name: '=HYPERLINK("http://evil.test")' });
    await insertTransfer({
      orgId: t.subA.id,
      unitId: formula.id,
      amountLb: 1.25,
      performedAt: at("2024-03-05T19:30:00Z"),
    });

    const res = await api(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31&format=csv"), {
      cookie: cookies.MANAGER,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="compliance-.+-2025-01-01-to-2025-12-31\.csv"$/,
    );
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([...SERVICE_RECORD_COLUMNS]);
    expect(rows).toHaveLength(1 + 5);
    const column = (name: (typeof SERVICE_RECORD_COLUMNS)[number]) => SERVICE_RECORD_COLUMNS.indexOf(name);
    const first = rows.find((row) => row[column("Transfer ID")] === ids.first) ?? [];
    expect(first[column("Date of service")]).toBe("2025-01-01");
    expect(first[column("Time")]).toBe("00:00");
    expect(first[column("Time zone")]).toBe("America/New_York");
    expect(first[column("Type of service")]).toBe("Charge (added)");
    expect(first[column("Appliance")]).toBe("RTU-Roof-1");
    expect(first[column("Serial")]).toBe(unit.serial);
    expect(first[column("Address")]).toBe("4 Dock Rd, Joliet, IL 60431");
    expect(first[column("Technician")]).toBe("Tess Tech");
    expect(first[column("608 certification number")]).toBe("608-4471");
    expect(first[column("Certification type")]).toBe("UNIVERSAL");
    expect(first[column("Added (lb)")]).toBe("5");
    expect(first[column("Recovered (lb)")]).toBe("");
    expect(first[column("Full charge (lb)")]).toBe("20");
    expect(first[column("Leak rate (%)")]).toBe("25.00");
    expect(first[column("Leak rate method")]).toBe("Annualizing");
    const last = rows.find((row) => row[column("Transfer ID")] === ids.last) ?? [];
    expect(last[column("Date of service")]).toBe("2025-12-31");
    expect(last[column("Recovered (lb)")]).toBe("3");

    const older = await api(reportUrl(t.subA.id, "from=2024-03-01&to=2024-03-31&format=csv"), {
      cookie: cookies.MANAGER,
    });
    const [, row] = parseCsv(older.body);
    expect(row?.[column("Appliance")]).toBe('\'=HYPERLINK("http://evil.test")');
    expect(row?.[column("Time")]).toBe("14:30");
  });

  it("exports a branded PDF: a real PDF with the org name, EIN, period, tables and page numbers", async () => {
    const res = await fetchBytes(reportUrl(t.subA.id, "from=2025-01-01&to=2025-12-31&format=pdf"), cookies.MANAGER);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(new TextDecoder().decode(res.bytes.slice(0, 5))).toBe("%PDF-");
    const doc = await PDFDocument.load(res.bytes);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getTitle()).toContain(t.subA.name);
    const text = await pdfText(doc);
    for (const expected of [
      t.subA.name,
      "EIN 12-3456789",
      "Period: 2025-01-01 to 2025-12-31",
      "Service records",
      "RTU-Roof-1",
      "Tess Tech",
      "608-4471 (Universal)",
      "Leak repairs",
      "Chronic leakers",
      "2026-03-01",
      `Page 1 of ${doc.getPageCount()}`,
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/OVERDUE/);
  });
});

describe("compliance report: PDF pagination and logo", () => {
  it("continues the service-record table across pages, numbering every page", async () => {
    const org = await createOrg({ name: "Busy Branch HVAC", plan: "FREE", ein: "98-7654321" });
    const manager = await createUser({ orgId: org.id, role: "MANAGER" });
    const tech = await createUser({ orgId: org.id, role: "TECHNICIAN" });
    const unit = await createUnitAtSite(org.id);
    const db = testDb();
    const rows = Array.from({ length: 150 }, (_, i) => ({
      id: crypto.randomUUID(),
      orgId: org.id,
      kind: "CHARGE" as const,
      unitId: unit.id,
      refrigerant: "R-410A",
      amountLb: 0.5,
      performedAt: new Date(Date.UTC(2025, 0, 2) + i * DAY),
      status: "APPROVED" as const,
      technicianId: tech.id,
      createdById: tech.id,
      ...TECH,
    }));
    // One statement per row keeps each under D1's 100 bound parameters.
    await db.batch(rows.map((row) => db.insert(transfers).values(row)) as [never, ...never[]]);

    const res = await fetchBytes(
      reportUrl(org.id, "from=2025-01-01&to=2025-12-31&format=pdf"),
      await signIn(manager.id),
    );
    expect(res.status).toBe(200);
    const doc = await PDFDocument.load(res.bytes);
    const pages = doc.getPageCount();
    expect(pages).toBeGreaterThan(2);
    const text = await pdfText(doc);
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Page ${page} of ${pages}`);
    // The header row is repeated on every page the table continues on.
    expect(text.split("\n").filter((line) => line === "Date of").length).toBeGreaterThan(1);
  });

  it("embeds a PNG data-URL logo, and still answers a PDF when the logo cannot be used", async () => {
    const withLogo = await createOrg({ name: "Logo HVAC", brandLogoUrl: PNG_1X1 });
    const broken = await createOrg({ name: "Broken Logo HVAC", brandLogoUrl: "data:image/png;base64,AAAA" });
    const remote = await createOrg({ name: "Remote Logo HVAC", brandLogoUrl: "https://logo.example.test/logo.svg" });
    for (const [org, embedded] of [
      [withLogo, true],
      [broken, false],
      [remote, false],
    ] as const) {
      const admin = await createUser({ orgId: org.id, role: "ORG_ADMIN" });
      const res = await fetchBytes(reportUrl(org.id, "format=pdf"), await signIn(admin.id));
      expect(res.status).toBe(200);
      const doc = await PDFDocument.load(res.bytes);
      expect(hasImage(doc)).toBe(embedded);
      expect(await pdfText(doc)).toContain(org.name);
    }
  });
});

describe("compliance report: permissions and bad queries", () => {
  it("is for managers and up: technicians and sales get 403, other companies and sibling branches 404", async () => {
    for (const url of [reportUrl(t.subA.id), reportUrl(t.subA.id, "format=csv"), summaryUrl(t.subA.id)]) {
      for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const)
        expect((await api(url, { cookie: cookies[role] })).status, `${role} ${url}`).toBe(200);
      for (const role of ["TECHNICIAN", "SALES"] as const)
        expectError(await api(url, { cookie: cookies[role] }), 403, "FORBIDDEN");
      expectError(await api(url, { cookie: cookies.outsider }), 404, "NOT_FOUND");
      expectError(await api(url, { cookie: cookies.outsiderParent }), 404, "NOT_FOUND");
      expectError(await api(url, { cookie: cookies.siblingAdmin }), 404, "NOT_FOUND");
      expectError(await api(url), 401, "UNAUTHENTICATED");
    }
    const pdf = await fetchBytes(reportUrl(t.subA.id, "format=pdf"), cookies.TECHNICIAN);
    expect(pdf.status).toBe(403);
  });

  it("answers 400 with fields for a reversed, malformed or too long period, and an unknown format", async () => {
    const cases: [string, string][] = [
      ["from=2025-06-01&to=2025-05-31", "to"],
      ["from=2025-13-01&to=2025-12-31", "from"],
      ["from=2025-02-30", "from"],
      ["from=2025/01/01", "from"],
      ["to=yesterday", "to"],
      ["from=1900-01-01&to=1900-12-31", "from"],
      ["from=2021-01-01&to=2024-12-31", "to"],
      ["from=2022-03-01&to=2025-03-01", "to"],
      ["format=xlsx", "format"],
    ];
    for (const [query, field] of cases) {
      const res = await api(reportUrl(t.subA.id, query), { cookie: cookies.MANAGER });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(Object.keys(res.body.error.fields ?? {}), query).toContain(field);
    }
    // Exactly three years, and a single day, are fine.
    expect((await api(reportUrl(t.subA.id, "from=2022-03-01&to=2025-02-28"), { cookie: cookies.MANAGER })).status).toBe(
      200,
    );
    expect((await api(reportUrl(t.subA.id, "from=2025-07-01&to=2025-07-01"), { cookie: cookies.MANAGER })).status).toBe(
      200,
    );
  });

  it("is in the OpenAPI document", async () => {
    const res = await api("/api/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/orgs/{orgId}/reports/compliance", "/orgs/{orgId}/compliance/summary"]),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("compliance dashboard summary", () => {
  let tree: Tree;
  let parentCookie: string;
  let adminA: string;
  const u: Record<string, typeof units.$inferSelect> = {};
  const leakIds: Record<string, string> = {};
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY);
  const thisYear = new Date(now).getUTCFullYear();
  /** A moment of the current UTC year at least `hours` before now (or its first second). */
  const thisYearAt = (hours: number) => new Date(Math.max(Date.UTC(thisYear, 0, 1, 0, 0, 1), now - hours * 3600_000));

  beforeAll(async () => {
    // A company of its own so counts are exact.
    tree = await createTree();
    parentCookie = await signIn(tree.users.PARENT_ORG_ADMIN.id);
    adminA = await signIn(tree.users.ORG_ADMIN.id);
    const a = tree.subA.id;
    const b = tree.subB.id;
    const tech = (orgId: string) => (orgId === a ? tree.users.TECHNICIAN.id : tree.sibling.TECHNICIAN.id);
    const charge = (
      orgId: string,
      unitId: string,
      performedAt: Date,
      extra: Partial<typeof transfers.$inferInsert> = {},
    ) => insertTransfer({ orgId, unitId, performedAt, technicianId: tech(orgId), ...extra });

    u.alerting = await createUnitAtSite(a, { name: "Alerting RTU" });
    u.over = await createUnitAtSite(a, { name: "Over RTU" });
    u.recovered = await createUnitAtSite(a, { name: "Back to normal RTU" });
    u.pendingOnly = await createUnitAtSite(a, { name: "Pending RTU" });
    u.repairedSince = await createUnitAtSite(a, { name: "Repaired RTU" });
    u.chronic = await createUnitAtSite(a, { name: "Chronic RTU", fullChargeLb: 10 });
    u.miniSplit = await createUnitAtSite(a, { name: "Mini split", fullChargeLb: 5 });
    u.branchB = await createUnitAtSite(b, {
      name: "Branch B chiller",
      category: "INDUSTRIAL_PROCESS",
      fullChargeLb: 200,
    });

    await insertRate(await charge(a, u.alerting.id, ago(3)), { percent: 8.5 });
    await insertRate(await charge(a, u.miniSplit.id, ago(1)), { percent: 60 });
    await insertRate(await charge(a, u.over.id, ago(40)), { percent: 9 });
    await insertRate(await charge(a, u.over.id, ago(2)), { percent: 31.2 });
    await insertRate(await charge(a, u.recovered.id, ago(60)), { percent: 50 });
    await insertRate(await charge(a, u.recovered.id, ago(5)), { percent: 2 });
    await insertRate(await charge(a, u.pendingOnly.id, ago(4), { status: "PENDING" }), { percent: 80 });
    await insertRate(await charge(a, u.repairedSince.id, ago(30)), { percent: 40 });
    await insertLeak({
      orgId: a,
      unitId: u.repairedSince.id,
      foundAt: ago(30),
      repairDueAt: ago(0),
      repairedAt: ago(20),
      status: "VERIFIED",
    });
    // 13 lb on a 10 lb charge this year: 130%.
    await charge(a, u.chronic.id, thisYearAt(2), { amountLb: 6 });
    await charge(a, u.chronic.id, thisYearAt(1), { amountLb: 7 });

    leakIds.dueSoon = (
      await insertLeak({ orgId: a, unitId: u.over.id, foundAt: ago(2), repairDueAt: new Date(now + 28 * DAY) })
    ).id;
    leakIds.overdueA = (
      await insertLeak({ orgId: a, unitId: u.alerting.id, foundAt: ago(45), repairDueAt: ago(15) })
    ).id;
    leakIds.noDeadline = (await insertLeak({ orgId: a, unitId: u.alerting.id, foundAt: ago(1) })).id;
    leakIds.closed = (
      await insertLeak({
        orgId: a,
        unitId: u.alerting.id,
        foundAt: ago(90),
        repairDueAt: ago(60),
        status: "CLOSED",
        closedAt: ago(50),
        repairedAt: ago(55),
      })
    ).id;
    leakIds.overdueB = (
      await insertLeak({ orgId: b, unitId: u.branchB.id, foundAt: ago(200), repairDueAt: ago(80) })
    ).id;
  });

  it("lists open repairs overdue first, then by deadline; alerts; units over threshold; chronic leakers", async () => {
    const res = await api(summaryUrl(tree.subA.id), { cookie: adminA });
    expect(res.status).toBe(200);
    expect(res.body.aggregated).toBe(false);
    expect(res.body.openRepairs.map((r: { id: string }) => r.id)).toEqual([
      leakIds.overdueA,
      leakIds.dueSoon,
      leakIds.noDeadline,
    ]);
    expect(res.body.openRepairs[0]).toMatchObject({
      overdue: true,
      orgId: tree.subA.id,
      unit: { id: u.alerting?.id },
      nextDeadline: { key: "REPAIR", overdue: true },
    });
    expect(res.body.openRepairs[1]).toMatchObject({ overdue: false, nextDeadline: { key: "REPAIR", overdue: false } });

    expect(res.body.alerts.map((a: { unit: { id: string } }) => a.unit.id)).toEqual([u.alerting?.id]);
    expect(res.body.alerts[0]).toMatchObject({ leakRate: { percent: 8.5, alert: true, exceeded: false } });
    // Highest rate first; a unit the EPA rules do not cover is listed, marked as not covered.
    expect(res.body.unitsOverThreshold.map((a: { unit: { id: string } }) => a.unit.id)).toEqual([
      u.miniSplit?.id,
      u.over?.id,
    ]);
    expect(res.body.unitsOverThreshold[0]).toMatchObject({ coverage: { covered: false, rule: null } });
    expect(res.body.unitsOverThreshold[1]).toMatchObject({
      leakRate: { percent: 31.2, exceeded: true },
      leakStatus: { level: "OVER_THRESHOLD" },
      // R-410A (GWP 2088) with a 20 lb charge: Part 84 Subpart C from 15 lb.
      coverage: { covered: true, rule: "PART_84_SUBPART_C" },
    });

    expect(res.body.chronicLeakers).toEqual([
      expect.objectContaining({
        year: thisYear,
        unit: expect.objectContaining({ id: u.chronic?.id }),
        lbAdded: 13,
        percentOfFullCharge: 130,
        reportDueAt: `${thisYear + 1}-03-01T00:00:00.000Z`,
      }),
    ]);
    expect(res.body.counts).toEqual({
      openRepairs: 3,
      overdueRepairs: 1,
      alerts: 1,
      unitsOverThreshold: 2,
      chronicLeakers: 1,
    });
  });

  it("aggregates every branch for the parent org admin at the parent, with org labels", async () => {
    const res = await api(summaryUrl(tree.parent.id), { cookie: parentCookie });
    expect(res.status).toBe(200);
    expect(res.body.aggregated).toBe(true);
    expect(res.body.orgs.map((o: { id: string }) => o.id).sort()).toEqual(
      [tree.parent.id, tree.subA.id, tree.subB.id].sort(),
    );
    expect(res.body.openRepairs.map((r: { id: string }) => r.id)).toEqual([
      leakIds.overdueB,
      leakIds.overdueA,
      leakIds.dueSoon,
      leakIds.noDeadline,
    ]);
    expect(res.body.openRepairs[0]).toMatchObject({ orgId: tree.subB.id, orgName: tree.subB.name, overdue: true });
    expect(res.body.openRepairs[1]).toMatchObject({ orgId: tree.subA.id, orgName: tree.subA.name });
    expect(res.body.counts).toMatchObject({ openRepairs: 4, overdueRepairs: 2 });

    // At a branch, even the parent admin sees that branch only.
    const branch = await api(summaryUrl(tree.subB.id), { cookie: parentCookie });
    expect(branch.body.aggregated).toBe(false);
    expect(branch.body.openRepairs.map((r: { id: string }) => r.id)).toEqual([leakIds.overdueB]);
  });

  it("aggregates the period report for the parent org admin at the parent, each record labelled with its org", async () => {
    const tech = tree.sibling.TECHNICIAN.id;
    const bRecord = await insertTransfer({
      orgId: tree.subB.id,
      unitId: u.branchB?.id,
      amountLb: 11,
      performedAt: thisYearAt(3),
      technicianId: tech,
    });
    const res = await api(reportUrl(tree.parent.id), { cookie: parentCookie });
    expect(res.status).toBe(200);
    expect(res.body.aggregated).toBe(true);
    const labels = new Map(res.body.serviceRecords.map((r: { id: string; orgName: string }) => [r.id, r.orgName]));
    expect(labels.get(bRecord.id)).toBe(tree.subB.name);
    expect([...labels.values()]).toContain(tree.subA.name);
    const csv = await api(reportUrl(tree.parent.id, "format=csv"), { cookie: parentCookie });
    const rows = parseCsv(csv.body);
    const row = rows.find((r) => r.at(-1) === bRecord.id);
    expect(row?.[0]).toBe(tree.subB.name);

    // An org admin of a branch never sees another branch's records.
    const own = await api(reportUrl(tree.subA.id), { cookie: adminA });
    expect(own.body.serviceRecords.map((r: { id: string }) => r.id)).not.toContain(bRecord.id);
  });
  it("renders the dashboard and the report pages for managers and up, with overdue repairs marked and linked", async () => {
    const html = String((await api(`/o/${tree.subA.id}/compliance`, { cookie: adminA })).body);
    expect(html).toContain('<h1 class="page-title">Compliance</h1>');
    expect(html).toContain(`href="/o/${tree.subA.id}/leaks/${leakIds.overdueA}"`);
    expect(html).toContain(`href="/o/${tree.subA.id}/units/${u.alerting?.id}"`);
    expect(html).toMatch(/class="cmp-item cmp-item-overdue"[\s\S]*?Overdue/);
    expect(html).toContain("Chronic RTU");
    expect(html).toMatch(/Mini split[\s\S]*?Not covered[\s\S]*?No EPA repair deadline applies/);

    // The parent admin's company view links each row into its own branch.
    const company = String((await api(`/o/${tree.parent.id}/compliance`, { cookie: parentCookie })).body);
    expect(company).toContain(`href="/o/${tree.subB.id}/leaks/${leakIds.overdueB}"`);
    expect(company).toContain(tree.subB.name);

    const report = await api(`/o/${tree.subA.id}/compliance/report?from=${thisYear}-01-01&to=${thisYear}-12-31`, {
      cookie: adminA,
    });
    expect(report.status).toBe(200);
    const reportHtml = String(report.body);
    expect(reportHtml).toContain(tree.subA.name);
    expect(reportHtml).toContain(
      `href="/api/orgs/${tree.subA.id}/reports/compliance?from=${thisYear}-01-01&amp;to=${thisYear}-12-31&amp;format=csv"`,
    );
    expect(reportHtml).toContain("Download PDF");
    expect(reportHtml).toContain("Chronic RTU");

    const bad = String(
      (await api(`/o/${tree.subA.id}/compliance/report?from=2025-05-01&to=2025-01-01`, { cookie: adminA })).body,
    );
    expect(bad).toContain("The end date must be on or after the start date.");
    expect(bad).toContain('aria-invalid="true"');

    const technician = await signIn(tree.users.TECHNICIAN.id);
    expect((await api(`/o/${tree.subA.id}/compliance`, { cookie: technician })).status).toBe(403);
    expect((await api(`/o/${tree.subA.id}/compliance/report`, { cookie: technician })).status).toBe(403);
  });
});
