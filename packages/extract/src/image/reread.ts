import sharp from "sharp";
import type { Worker } from "tesseract.js";
import { buildContext } from "../fields/context";
import { repairDigits } from "../fields/ocr-repair";
import { buildRows, type Row } from "../fields/rows";
import { findSupplierName } from "../fields/supplier";
import { type AmountKind, classifyLabel } from "../fields/total-labels";
import type { Box, Line, Page } from "../types";
import type { PreparedImage } from "./prepare";
import { toPage } from "./to-page";

/**
 * A second look at the few rows the fields depend on most. Receipts print the amount due in
 * a bold or double-height font and the supplier's name in a large or decorative one, and
 * tesseract, reading the page as one uniform block, misreads those more often than any other
 * line ("100.80" for 100.90, "11.6L", "GARDERIA"). Each such row is cropped across the full
 * page width (the amount may be where the first pass saw nothing), enlarged and read again as
 * a single line, at a few scales and margins: readings that fail differently, which the field
 * rules weigh against the first one (src/fields/totals.ts, src/fields/supplier.ts). The first
 * rows that look like they carry the date are read again the same way: tesseract misreads a
 * receipt's year or slashes there, and the date rule prefers readings that agree
 * (src/fields/invoice-dates.ts).
 */

/** Labels whose rows are read again: what the totals vote counts as "the total". */
const rereadKinds: ReadonlySet<AmountKind> = new Set(["final", "payable", "total"]);
/** A receipt rarely prints more than three total lines; more are tables and tax summaries. */
const maxTotalRows = 4;
/** The date is printed once, or beside a time; a third candidate is a table's column. */
const maxDateRows = 2;
/**
 * A row that may carry the document's date, however garbled: a numeric date, a time of day
 * (receipts print the date beside it), or a date label. "21002017 10:2037" and "17/G172018"
 * are such rows, read again so that the date rules can prefer readings that agree.
 */
const dateLike =
  /\d{1,2}\s?[/.-]\s?[\dA-Z]{1,3}\s?[/.-]\s?\d{2,4}|\d{1,2}:\d{2}|\b(?:date|tarikh|datum)\b/i;
/** A supplier's name wraps over at most three rows. */
const maxNameRows = 3;
/**
 * Enlargement and margin (above and below, a share of the row's height) of each reading:
 * text a row high is read best at 2–3×, and a crop with more margin fails differently.
 */
const variants: readonly { scale: number; padding: number }[] = [
  { scale: 2, padding: 0.15 },
  { scale: 3, padding: 0.15 },
  { scale: 2, padding: 0.35 },
];
/** A crop wider than this many pixels after enlarging is read at a lower scale. */
const maxCropWidth = 4000;
/** PSM 7, "single text line": the crop is one row. */
const singleLine = "7";

/**
 * Re-reads of the total rows (and, on a first page, the supplier's name) of `page`, as lines
 * in the preview's pixel space, each covering the row it re-reads. Leaves the worker in page
 * segmentation mode `restoreMode`.
 */
export async function rereadKeyRows(
  worker: Worker,
  prepared: PreparedImage,
  page: Page,
  restoreMode: string,
  include: { dates: boolean } = { dates: true },
): Promise<Line[]> {
  const keyRows = [...(page.number === 1 ? supplierRows(page) : []), ...totalRows(page)];
  const dates = (page.number === 1 && include.dates ? dateRows(page) : []).filter(
    (row) => !keyRows.some((other) => other.index === row.index),
  );
  const dateOnly = new Set(dates.map((row) => row.index));
  const rows = [...keyRows, ...dates].filter(
    (row, i, all) => all.findIndex((other) => other.index === row.index) === i,
  );
  if (rows.length === 0) return [];
  const lines: Line[] = [];
  await worker.setParameters({ tessedit_pageseg_mode: singleLine as never });
  try {
    for (const row of rows) {
      // A date row gets two readings, enough to outvote a misread first one together.
      const readings = dateOnly.has(row.index) ? variants.slice(0, 2) : variants;
      for (const variant of readings) {
        const area = cropArea(row.box, prepared, variant.padding);
        if (!area) continue;
        const scale = Math.min(variant.scale, maxCropWidth / area.width);
        const crop = await sharp(prepared.ocrInput)
          .extract({ left: area.x, top: area.y, width: area.width, height: area.height })
          .resize({ width: Math.round(area.width * scale), kernel: "lanczos3" })
          .normalise()
          .png({ compressionLevel: 1 })
          .toBuffer();
        const result = await worker.recognize(crop, {}, { blocks: true });
        const size = { width: area.width, height: area.height };
        const line = asOneLine(toPage(result.data, page.number, size).lines, area, scale);
        if (line) lines.push(line);
      }
    }
  } finally {
    await worker.setParameters({ tessedit_pageseg_mode: restoreMode as never });
  }
  return lines;
}

/** The rows labelled as a total, bottom-most last, at most maxTotalRows. */
export function totalRows(page: Page): Row[] {
  const rows = buildRows(page).filter((row) => {
    const text = repairDigits(row.text);
    // The label is what precedes the amount; an amount misread into letters ("11.6L") stays.
    const kind = classifyLabel(text.replace(/[\s\d.,:;-]+$/, ""));
    return kind !== null && rereadKinds.has(kind);
  });
  return rows.slice(-maxTotalRows);
}

/** The first rows that may carry the date (see dateLike), top first, at most maxDateRows. */
export function dateRows(page: Page): Row[] {
  return buildRows(page)
    .filter((row) => dateLike.test(row.text))
    .slice(0, maxDateRows);
}

/** The rows the supplier's name was read from, as the field rules would choose it now. */
export function supplierRows(page: Page): Row[] {
  const box = findSupplierName(buildContext([page]))?.box;
  if (!box) return [];
  return buildRows(page)
    .filter((row) => {
      const middle = row.box.y + row.box.height / 2;
      return middle >= box.y && middle <= box.y + box.height;
    })
    .slice(0, maxNameRows);
}

function cropArea(box: Box, prepared: PreparedImage, padding: number): Box | null {
  const pad = Math.round(box.height * padding);
  const y = Math.max(0, box.y - pad);
  const height = Math.min(prepared.height - y, box.height + 2 * pad);
  if (height < 4 || prepared.width < 4) return null;
  return { x: 0, y, width: prepared.width, height };
}

/** The crop's words as one line, their boxes scaled back into the preview's pixel space. */
function asOneLine(lines: Line[], area: Box, scale: number): Line | null {
  const words = lines
    .flatMap((line) => line.words)
    .map((word) => ({ ...word, box: toPreview(word.box, area, scale) }))
    .sort((a, b) => a.box.x - b.box.x);
  if (words.length === 0) return null;
  const left = Math.min(...words.map((word) => word.box.x));
  const right = Math.max(...words.map((word) => word.box.x + word.box.width));
  return {
    text: words.map((word) => word.text).join(" "),
    // The row's full height, so the line is matched to the row it re-reads.
    box: { x: left, y: area.y, width: right - left, height: area.height },
    confidence: words.reduce((sum, word) => sum + word.confidence, 0) / words.length,
    words,
  };
}

function toPreview(box: Box, area: Box, scale: number): Box {
  return {
    x: Math.round(area.x + box.x / scale),
    y: Math.round(area.y + box.y / scale),
    width: Math.round(box.width / scale),
    height: Math.round(box.height / scale),
  };
}
