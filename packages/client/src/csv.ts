/** One CSV line (RFC 4180): every field quoted, quotes doubled. */
export function csvLine(fields: Array<string | number | null | undefined>): string {
  return fields.map((f) => `"${String(f ?? "").replaceAll('"', '""')}"`).join(",");
}
