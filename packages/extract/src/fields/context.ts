import type { Page } from "../types";
import { type DecimalStyle, detectDecimalStyle } from "./amounts";
import { type DateOrder, detectDateOrder } from "./dates";
import { repairDigits } from "./ocr-repair";
import { buildAllRows, buildRereadRows, type Row } from "./rows";

/** What every field rule needs to know about the document, decided once. */
export interface DocumentContext {
  /** Visual rows of every page, top to bottom, with digit look-alikes repaired. */
  rows: Row[];
  /** Rows OCR read a second time (Page.rereads); `index` is that of the row each re-reads. */
  rereads: Row[];
  decimalStyle: DecimalStyle;
  dateOrder: DateOrder;
}

export function buildContext(pages: Page[]): DocumentContext {
  const rows = buildAllRows(pages).map((row) => ({ ...row, text: repairDigits(row.text) }));
  const rereads = pages
    .flatMap((page) => buildRereadRows(page, rows))
    .map((row) => ({ ...row, text: repairDigits(row.text) }));
  const texts = rows.map((row) => row.text);
  return {
    rows,
    rereads,
    decimalStyle: detectDecimalStyle(texts),
    dateOrder: detectDateOrder(texts),
  };
}
