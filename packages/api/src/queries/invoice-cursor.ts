import { BadRequestError } from "../errors";

/*
 * The inbox's page cursor: the last row's created_at at full (microsecond) precision and its id.
 * created_at is a timestamptz with microseconds; a JavaScript Date keeps milliseconds, so a
 * cursor made from one skips every row that shares the millisecond but not the microsecond
 * (990 of 1000 invoices came back before this). The text travels base64url-encoded: opaque to
 * callers, who only hand back what they were given, and checked on the way in.
 */

export interface InvoiceCursor {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exactly as PostgreSQL's to_char printed it. */
  at: string;
  id: string;
}

const cursorText =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Longer than any cursor this module makes; refused before it is decoded. */
export const maxCursorLength = 120;

export function encodeInvoiceCursor(cursor: InvoiceCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

const tampered = () =>
  new BadRequestError("the page cursor is not valid; start again from the first page");

export function decodeInvoiceCursor(value: string): InvoiceCursor {
  if (value.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(value)) throw tampered();
  const match = cursorText.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match?.[1] || !match[2]) throw tampered();
  // A well-formed text can still name no instant (month 13): refuse it here, not in SQL.
  if (Number.isNaN(Date.parse(match[1]))) throw tampered();
  return { at: match[1], id: match[2] };
}
