import { stringify } from "csv-stringify/sync";
import { lb, localDateTime, pct } from "./format";
import type { ComplianceReport } from "./service";

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab/CR) as a formula; names are typed by
 * users, so such cells are prefixed with an apostrophe (OWASP "CSV Injection").
 */
const spreadsheetSafe = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export const SERVICE_RECORD_COLUMNS = [
  "Organization",
  "Date of service",
  "Time",
  "Time zone",
  "Type of service",
  "Appliance",
  "Manufacturer",
  "Model",
  "Serial",
  "Category",
  "Customer",
  "Location",
  "Address",
  "Technician",
  "608 certification number",
  "Certification type",
  "Refrigerant",
  "Added (lb)",
  "Recovered (lb)",
  "Cylinder to cylinder (lb)",
  "Full charge (lb)",
  "Leak rate (%)",
  "Leak rate method",
  "Leak rate threshold (%)",
  "From cylinder",
  "To cylinder",
  "Transfer ID",
] as const;

/** The SPEC §6 service records of a report, one row per approved transfer, with a header row. */
export function serviceRecordsCsv(report: ComplianceReport): string {
  const { timeZone } = report.period;
  return stringify(
    report.serviceRecords.map((record) => {
      const [day = "", time = ""] = localDateTime(record.performedAt, timeZone).split(" ");
      return [
        record.orgName,
        day,
        time,
        timeZone,
        record.kindLabel,
        record.unit?.name ?? "",
        record.unit?.manufacturer ?? "",
        record.unit?.model ?? "",
        record.unit?.serial ?? "",
        record.unit?.categoryLabel ?? "",
        record.location?.customerName ?? "",
        record.location?.name ?? "",
        record.location?.address ?? "",
        record.technician.name,
        record.technician.certificationNumber ?? "",
        record.technician.certificationType ?? "",
        record.refrigerant,
        lb(record.addedLb),
        lb(record.recoveredLb),
        record.kind === "CYLINDER_TO_CYLINDER" ? lb(record.amountLb) : "",
        lb(record.fullChargeLb),
        pct(record.leakRate?.percent),
        record.leakRate?.methodLabel ?? "",
        pct(record.leakRate?.threshold),
        record.fromCylinderTag ?? "",
        record.toCylinderTag ?? "",
        record.id,
      ].map(spreadsheetSafe);
    }),
    { header: true, columns: [...SERVICE_RECORD_COLUMNS] },
  );
}
