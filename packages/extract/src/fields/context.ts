import type { Page } from "../types";
import { type DecimalStyle, detectDecimalStyle } from "./amounts";
import { type DateOrder, detectDateOrder } from "./dates";
import { repairDigits } from "./ocr-repair";
import { buildAllRows, type Row } from "./rows";

/** What every field rule needs to know about the document, decided once. */
export interface DocumentContext {
  /** Visual rows of every page, top to bottom, with digit look-alikes repaired. */
  rows: Row[];
  decimalStyle: DecimalStyle;
  dateOrder: DateOrder;
}

export function buildContext(pages: Page[]): DocumentContext {
  const rows = buildAllRows(pages).map((row) => ({ ...row, text: repairDigits(row.text) }));
  const texts = rows.map((row) => row.text);
  return { rows, decimalStyle: detectDecimalStyle(texts), dateOrder: detectDateOrder(texts) };
}
