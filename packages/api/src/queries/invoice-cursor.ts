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

/*
 * The cursor of an inbox sorted by a column (invoice date, due date, total): which sort it pages,
 * the last row's value of that column (null for rows without one, which page last in either
 * direction) and its id. A cursor of one sort handed to another is refused like a tampered one.
 */

export interface SortCursor {
  sort: string;
  /** The column's value as PostgreSQL prints it (`2026-03-01`, `1234.50`); null: no value. */
  key: string | null;
  id: string;
}

const sortCursorText =
  /^s\|([A-Za-z]{1,30})\|([0-9.-]{0,24})\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeSortCursor(cursor: SortCursor): string {
  return Buffer.from(`s|${cursor.sort}|${cursor.key ?? ""}|${cursor.id}`, "utf8").toString(
    "base64url",
  );
}

/** keyPattern: what a value of the sorted column looks like; anything else is refused. */
export function decodeSortCursor(value: string, sort: string, keyPattern: RegExp): SortCursor {
  if (value.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(value)) throw tampered();
  const match = sortCursorText.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match || match[1] !== sort || match[2] === undefined || !match[3]) throw tampered();
  const key = match[2] === "" ? null : match[2];
  if (key !== null && !keyPattern.test(key)) throw tampered();
  return { sort, key, id: match[3] };
}
