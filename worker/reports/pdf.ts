/**
 * The compliance report as a PDF (pdf-lib, which runs in Workers): branded with the org's name,
 * EIN, colour and logo; the period; a summary; the service records, leak repairs and chronic
 * leakers as tables that continue across pages with their header row repeated; the generation
 * date and "Page n of N" on every page. US Letter, landscape.
 */
import {
  type PDFDocument as Doc,
  PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  rgb,
  StandardFonts,
} from "pdf-lib";
import { dueDay, lb, localDateTime, localDay, pct } from "./format";
import type { ComplianceReport } from "./service";

const PAGE: [number, number] = [792, 612];
const MARGIN = 36;
const CONTENT_WIDTH = PAGE[0] - 2 * MARGIN;
const FOOTER_HEIGHT = 24;
const BODY = 7.5;
const LINE = BODY * 1.3;
const CELL_PAD = 3;
/** A cell never grows past this many lines (the rest is cut with an ellipsis), so a row fits on a page. */
const MAX_CELL_LINES = 8;

const INK = rgb(0.06, 0.09, 0.16);
const MUTED = rgb(0.39, 0.45, 0.55);
const RULE = rgb(0.8, 0.84, 0.88);
const HEADER_FILL = rgb(0.95, 0.96, 0.97);
const ZEBRA = rgb(0.98, 0.985, 0.99);
const RED = rgb(0.73, 0.11, 0.11);
const TEAL = rgb(0.06, 0.46, 0.43);

type Color = ReturnType<typeof rgb>;
type Cell = string | { text: string; color?: Color; bold?: boolean };
type Column = { title: string; width: number };

function hexColor(hex: string | null): Color | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? "");
  if (!match) return null;
  const [r, g, b] = match.slice(1).map((part) => Number.parseInt(part, 16) / 255) as [number, number, number];
  return rgb(r, g, b);
}

const MAX_LOGO_BYTES = 1024 * 1024;

/** The logo's bytes: decoded from a data URL, or fetched (3 s, 1 MiB at most) from an http(s) URL. */
async function logoBytes(url: string | null): Promise<Uint8Array | null> {
  if (!url) return null;
  const data = /^data:image\/(?:png|jpe?g);base64,([a-z0-9+/=\s]+)$/i.exec(url);
  if (data?.[1]) return Uint8Array.from(atob(data[1].replace(/\s+/g, "")), (char) => char.charCodeAt(0));
  if (!/^https?:\/\//i.test(url)) return null;
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok || Number(res.headers.get("content-length") ?? 0) > MAX_LOGO_BYTES) return null;
  const bytes = new Uint8Array(await res.arrayBuffer());
  return bytes.byteLength <= MAX_LOGO_BYTES ? bytes : null;
}

/**
 * The org's logo when it is a PNG or JPEG (data URL or http(s) address); anything else, or a logo
 * that cannot be had, is skipped: the report never fails because of its logo.
 */
async function embedLogo(doc: Doc, url: string | null): Promise<PDFImage | null> {
  try {
    const bytes = await logoBytes(url);
    if (!bytes) return null;
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return await doc.embedPng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return await doc.embedJpg(bytes);
    return null;
  } catch {
    return null;
  }
}

class Writer {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  private readonly charset: Set<number>;

  constructor(
    readonly doc: Doc,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly runningHeader: string,
    private readonly accent: Color,
  ) {
    this.charset = new Set(font.getCharacterSet());
  }

  /** Standard fonts speak WinAnsi: other characters become the nearest ASCII, or "?". */
  clean(text: string): string {
    const replaced = text
      .replace(/[\r\n\t]+/g, " ")
      .replace(/≥/g, ">=")
      .replace(/≤/g, "<=")
      .replace(/→/g, "->")
      .replace(/[\u2000-\u200b\u202f\u00a0]/g, " ");
    let out = "";
    for (const char of replaced) out += this.charset.has(char.codePointAt(0) ?? 0) ? char : "?";
    return out;
  }

  width(text: string, size = BODY, font = this.font) {
    return font.widthOfTextAtSize(text, size);
  }

  /** Word-wraps `text` to `width`; words longer than a line are broken. Explicit "\n" start new lines. */
  wrap(text: string, width: number, size = BODY, font = this.font): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
      let line = "";
      for (const word of this.clean(paragraph).split(" ").filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (this.width(candidate, size, font) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = "";
        let rest = word;
        while (this.width(rest, size, font) > width) {
          let cut = rest.length - 1;
          while (cut > 1 && this.width(rest.slice(0, cut), size, font) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  newPage() {
    this.page = this.doc.addPage(PAGE);
    this.pages.push(this.page);
    const [width, height] = PAGE;
    this.page.drawRectangle({ x: 0, y: height - 6, width, height: 6, color: this.accent });
    this.y = height - MARGIN;
    if (this.pages.length > 1) {
      this.text(this.runningHeader, MARGIN, this.y - BODY, { size: BODY, color: MUTED });
      this.y -= BODY + 6;
      this.rule();
      this.y -= 8;
    }
  }

  /** Starts a new page unless `height` points still fit above the footer. */
  ensure(height: number) {
    if (this.y - height < MARGIN + FOOTER_HEIGHT) this.newPage();
  }

  text(text: string, x: number, y: number, options: { size?: number; font?: PDFFont; color?: Color } = {}) {
    this.page.drawText(this.clean(text), {
      x,
      y,
      size: options.size ?? BODY,
      font: options.font ?? this.font,
      color: options.color ?? INK,
    });
  }

  rule(color = RULE) {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: PAGE[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color,
    });
  }

  heading(text: string) {
    // Room for the heading, its note, a table header and a first row: a heading never ends a page.
    this.ensure(110);
    this.y -= 20;
    this.text(text, MARGIN, this.y, { size: 12, font: this.bold, color: INK });
    this.y -= 8;
  }

  paragraph(text: string, { size = 9, color = INK, font = this.font } = {}) {
    for (const line of this.wrap(text, CONTENT_WIDTH, size, font)) {
      this.ensure(size * 1.35);
      this.y -= size * 1.35;
      this.text(line, MARGIN, this.y + size * 0.3, { size, font, color });
    }
  }

  /** Label: value lines, two per row. */
  pairs(items: [string, string][]) {
    const half = CONTENT_WIDTH / 2;
    for (let i = 0; i < items.length; i += 2) {
      const row = items.slice(i, i + 2);
      const heights = row.map(([, value]) => this.wrap(value, half - 140, 9).length);
      const lines = Math.max(...heights);
      this.ensure(lines * 12 + 2);
      row.forEach(([label, value], column) => {
        const x = MARGIN + column * half;
        this.text(label, x, this.y - 10, { size: 9, color: MUTED });
        this.wrap(value, half - 140, 9).forEach((line, n) => {
          this.text(line, x + 135, this.y - 10 - n * 12, { size: 9, font: this.bold });
        });
      });
      this.y -= lines * 12 + 2;
    }
  }

  private cellLines(cell: Cell, width: number) {
    const text = typeof cell === "string" ? cell : cell.text;
    const font = typeof cell !== "string" && cell.bold ? this.bold : this.font;
    const lines = this.wrap(text, width - 2 * CELL_PAD, BODY, font);
    if (lines.length <= MAX_CELL_LINES) return lines;
    const kept = lines.slice(0, MAX_CELL_LINES);
    kept[MAX_CELL_LINES - 1] = `${kept[MAX_CELL_LINES - 1]?.slice(0, -1) ?? ""}…`;
    return kept;
  }

  private tableHeader(columns: Column[]) {
    const lines = columns.map((column) => this.wrap(column.title, column.width - 2 * CELL_PAD, BODY, this.bold));
    const height = Math.max(...lines.map((l) => l.length)) * LINE + 2 * CELL_PAD;
    this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: CONTENT_WIDTH, height, color: HEADER_FILL });
    let x = MARGIN;
    columns.forEach((column, i) => {
      (lines[i] ?? []).forEach((line, n) => {
        this.text(line, x + CELL_PAD, this.y - CELL_PAD - (n + 1) * LINE + 2, { font: this.bold });
      });
      x += column.width;
    });
    this.y -= height;
    this.rule(MUTED);
  }

  /** A table whose rows continue on the next page, with the header row repeated there. */
  table(columns: Column[], rows: Cell[][], empty: string) {
    if (rows.length === 0) {
      this.paragraph(empty, { color: MUTED });
      return;
    }
    this.ensure(60);
    this.tableHeader(columns);
    rows.forEach((row, index) => {
      const lines = columns.map((column, i) => this.cellLines(row[i] ?? "", column.width));
      const height = Math.max(...lines.map((l) => l.length)) * LINE + 2 * CELL_PAD;
      if (this.y - height < MARGIN + FOOTER_HEIGHT) {
        this.newPage();
        this.tableHeader(columns);
      }
      if (index % 2 === 1)
        this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: CONTENT_WIDTH, height, color: ZEBRA });
      let x = MARGIN;
      columns.forEach((column, i) => {
        const cell = row[i] ?? "";
        const color = typeof cell === "string" ? INK : (cell.color ?? INK);
        const font = typeof cell !== "string" && cell.bold ? this.bold : this.font;
        (lines[i] ?? []).forEach((line, n) => {
          this.text(line, x + CELL_PAD, this.y - CELL_PAD - (n + 1) * LINE + 2, { color, font });
        });
        x += column.width;
      });
      this.y -= height;
      this.rule();
    });
  }

  /** The first page's branded header. */
  title(report: ComplianceReport, logo: PDFImage | null) {
    const { org, period } = report;
    let x = MARGIN;
    const top = this.y;
    if (logo) {
      const scale = Math.min(48 / logo.width, 48 / logo.height);
      const w = logo.width * scale;
      const h = logo.height * scale;
      this.page.drawImage(logo, { x, y: top - h, width: w, height: h });
      x += w + 12;
    }
    this.text(org.name, x, top - 16, { size: 18, font: this.bold });
    const ein = org.ein ? `EIN ${org.ein}` : "EIN not on file";
    this.text(ein, x, top - 30, { size: 10, color: MUTED });
    this.text("Refrigerant compliance report (EPA Section 608 / AIM Act)", x, top - 44, { size: 10, color: MUTED });
    const right = [
      `Period: ${period.from} to ${period.to}`,
      `Time zone: ${period.timeZone}`,
      `Generated: ${localDateTime(report.generatedAt, period.timeZone)}`,
    ];
    right.forEach((line, n) => {
      const size = n === 0 ? 11 : 9;
      const font = n === 0 ? this.bold : this.font;
      this.text(line, PAGE[0] - MARGIN - this.width(this.clean(line), size, font), top - 16 - n * 14, { size, font });
    });
    this.y = top - Math.max(logo ? 48 : 0, 50) - 8;
    this.rule(MUTED);
    this.y -= 4;
  }

  footers(generated: string) {
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const label = `Page ${i + 1} of ${total}`;
      const y = MARGIN - 14;
      page.drawText(this.clean(generated), { x: MARGIN, y, size: BODY, font: this.font, color: MUTED });
      page.drawText(label, {
        x: PAGE[0] - MARGIN - this.width(label),
        y,
        size: BODY,
        font: this.font,
        color: MUTED,
      });
    });
  }
}

const totals = (byRefrigerant: Record<string, number>) =>
  Object.entries(byRefrigerant)
    .sort(([a], [b]) => a.localeCompare(b, "en"))
    .map(([refrigerant, total]) => `${refrigerant} ${lb(total)} lb`)
    .join(", ") || "None";

const testResult = (test: { at: string; passed: boolean } | null) =>
  test ? `${dueDay(test.at)} ${test.passed ? "passed" : "FAILED"}` : "";

export async function complianceReportPdf(report: ComplianceReport): Promise<Uint8Array> {
  const { org, period, summary } = report;
  const tz = period.timeZone;
  const doc = await PDFDocument.create();
  doc.setTitle(`${org.name} compliance report ${period.from} to ${period.to}`);
  doc.setAuthor(org.name);
  doc.setSubject("Refrigerant compliance report: service records, leak repairs, chronic leakers");
  doc.setCreator("RefriTrak");
  doc.setProducer("RefriTrak");
  doc.setCreationDate(new Date(report.generatedAt));
  const [font, bold, logo] = await Promise.all([
    doc.embedFont(StandardFonts.Helvetica),
    doc.embedFont(StandardFonts.HelveticaBold),
    embedLogo(doc, org.brandLogoUrl),
  ]);
  const w = new Writer(
    doc,
    font,
    bold,
    `${org.name}${org.ein ? ` · EIN ${org.ein}` : ""} · Compliance report ${period.from} to ${period.to}`,
    hexColor(org.brandColor) ?? TEAL,
  );
  w.newPage();
  w.title(report, logo);

  w.heading("Summary");
  const summaryPairs: [string, string][] = [
    ["Service records", String(summary.serviceRecords)],
    ["Units over threshold", String(summary.unitsOverThreshold)],
    ["Refrigerant added", totals(summary.lbAddedByRefrigerant)],
    ["Open leak repairs", String(summary.openRepairs)],
    ["Refrigerant recovered", totals(summary.lbRecoveredByRefrigerant)],
    ["Overdue leak repairs", String(summary.overdueRepairs)],
    ["Chronic leakers", String(summary.chronicLeakers)],
  ];
  if (report.aggregated)
    summaryPairs.push([
      "Organizations",
      report.orgs.map((o) => `${o.name}${o.archived ? " (archived)" : ""}`).join(", "),
    ]);
  w.pairs(summaryPairs);

  w.heading("Service records");
  w.paragraph(
    `Approved, non-voided refrigerant transfers with a date of service from ${period.from} to ${period.to} (${tz}). Technician certification as recorded with each transfer.`,
    { size: 8, color: MUTED },
  );
  w.table(
    [
      { title: "Date of service", width: 58 },
      { title: "Type of service", width: 52 },
      { title: "Appliance", width: 120 },
      { title: "Location", width: 130 },
      { title: "Technician (608 cert.)", width: 100 },
      { title: "Refrigerant", width: 48 },
      { title: "Amount (lb)", width: 60 },
      { title: "Full charge (lb)", width: 48 },
      { title: "Leak rate", width: 104 },
    ],
    report.serviceRecords.map((record) => {
      const unit = record.unit;
      const rate = record.leakRate;
      const appliance = unit
        ? [
            unit.name,
            [unit.manufacturer, unit.model].filter(Boolean).join(" "),
            unit.serial ? `S/N ${unit.serial}` : "",
          ]
            .filter(Boolean)
            .join("\n")
        : [
            record.fromCylinderTag ? `From ${record.fromCylinderTag}` : "",
            record.toCylinderTag ? `To ${record.toCylinderTag}` : "",
          ]
            .filter(Boolean)
            .join("\n");
      const location = [
        report.aggregated ? `[${record.orgName}]` : "",
        record.location?.customerName ?? "",
        record.location?.name ?? "",
        record.location?.address ?? "",
      ]
        .filter(Boolean)
        .join("\n");
      const { certificationNumber, certificationType } = record.technician;
      const certType =
        certificationType === "UNIVERSAL" ? "Universal" : certificationType ? `Type ${certificationType}` : "";
      const cert = certificationNumber ? `${certificationNumber}${certType ? ` (${certType})` : ""}` : certType;
      const amount =
        record.kind === "CHARGE"
          ? `${lb(record.amountLb)} added`
          : record.kind === "RECOVER"
            ? `${lb(record.amountLb)} recovered`
            : `${lb(record.amountLb)} moved`;
      const leakRate: Cell = rate
        ? {
            text: `${pct(rate.percent)}% ${rate.methodLabel.toLowerCase()}\nthreshold ${pct(rate.threshold)}%${rate.exceeded ? " - OVER" : rate.alert ? " - alert" : ""}`,
            color: rate.exceeded ? RED : INK,
            bold: rate.exceeded,
          }
        : "";
      return [
        localDateTime(record.performedAt, tz).replace(" ", "\n"),
        record.kindLabel,
        appliance,
        location,
        `${record.technician.name}\n${cert || "no certification on record"}`,
        record.refrigerant,
        amount,
        lb(record.fullChargeLb),
        leakRate,
      ];
    }),
    "No approved service records in this period.",
  );

  w.heading("Leak repairs");
  w.paragraph(
    "Leak cases open at any time in the period. Deadlines are EPA calendar days; overdue as of the generation date.",
    { size: 8, color: MUTED },
  );
  w.table(
    [
      { title: "Appliance", width: 112 },
      { title: "Location", width: 126 },
      { title: "Found", width: 56 },
      { title: "Repair due", width: 56 },
      { title: "Repaired", width: 56 },
      { title: "Initial verification", width: 70 },
      { title: "Follow-up verification", width: 74 },
      { title: "Status", width: 100 },
      { title: "Overdue", width: 70 },
    ],
    report.leakRepairs.map((repair) => [
      `${repair.unit.name}\n${repair.unit.refrigerant}, ${lb(repair.unit.fullChargeLb)} lb`,
      [
        report.aggregated ? `[${repair.orgName}]` : "",
        repair.location?.customerName ?? "",
        repair.location?.address ?? "",
      ]
        .filter(Boolean)
        .join("\n"),
      localDay(repair.foundAt, tz),
      dueDay(repair.repairDueAt) || "no EPA deadline",
      repair.repairedAt ? `${localDay(repair.repairedAt, tz)}${repair.repairedLate ? " (late)" : ""}` : "",
      testResult(repair.initialTest),
      repair.followUpTest
        ? testResult(repair.followUpTest)
        : repair.followUpDueAt
          ? `due ${dueDay(repair.followUpDueAt)}`
          : "",
      repair.statusLabel,
      repair.overdue
        ? {
            text: `OVERDUE${repair.nextDeadline ? `: ${repair.nextDeadline.label.toLowerCase()} due ${dueDay(repair.nextDeadline.dueAt)}` : ""}`,
            color: RED,
            bold: true,
          }
        : "",
    ]),
    "No leak repairs in this period.",
  );

  w.heading("Chronic leakers");
  w.paragraph(
    "Appliances to which 125% or more of the full charge was added in a calendar year (UTC); each must be reported to EPA by March 1 of the following year.",
    { size: 8, color: MUTED },
  );
  w.table(
    [
      { title: "Year", width: 40 },
      { title: "Appliance", width: 150 },
      { title: "Location", width: 170 },
      { title: "Added (lb)", width: 70 },
      { title: "Full charge (lb)", width: 70 },
      { title: "% of full charge", width: 80 },
      { title: "Report due to EPA", width: 140 },
    ],
    report.chronicLeakers.map((row) => [
      String(row.year),
      `${row.unit.name}\n${row.unit.refrigerant}`,
      [report.aggregated ? `[${row.orgName}]` : "", row.location?.customerName ?? "", row.location?.address ?? ""]
        .filter(Boolean)
        .join("\n"),
      lb(row.lbAdded),
      lb(row.fullChargeLb),
      `${pct(row.percentOfFullCharge)}%`,
      { text: dueDay(row.reportDueAt), bold: true },
    ]),
    "No chronic leakers in the calendar years of this period.",
  );

  w.footers(`${org.name} · generated ${localDateTime(report.generatedAt, tz)} (${tz}) by RefriTrak`);
  return doc.save();
}
