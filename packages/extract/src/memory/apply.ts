import type { ExtractedField } from "../types";
import {
  horizontalOverlap,
  joinWords,
  type MemoryRow,
  normaliseLabel,
  pageRows,
  relativeCentre,
  union,
  zoneOf,
} from "./rows";
import {
  type FieldLayout,
  type LayoutPage,
  type MemoryFieldName,
  maxLabelWords,
  maxValueWords,
  memoryConfidence,
  memoryFieldNames,
  type SupplierLayout,
} from "./types";
import { parseValue } from "./values";

/*
 * Reading with memory: find the memorised label on the page, take the words where the value
 * sat (after it on the row, or under it), and read them in the supplier's format. A value is
 * proposed only when the label is found and the value parses; otherwise the rules' reading
 * stands. Where the label is printed more than once, the occurrence nearest the memorised
 * position wins.
 */

interface Candidate {
  field: ExtractedField;
  distance: number;
}

/** Widths of value to try: the memorised one first, then shorter and longer. */
function widths(remembered: number): number[] {
  const rest = Array.from({ length: maxValueWords }, (_, i) => i + 1).filter(
    (n) => n !== remembered,
  );
  return [remembered, ...rest];
}

function readRun(
  field: MemoryFieldName,
  layout: FieldLayout,
  row: MemoryRow,
  start: number,
): { value: string; box: ExtractedField["box"] } | null {
  for (const n of widths(layout.words)) {
    if (start + n > row.words.length) continue;
    const words = row.words.slice(start, start + n);
    const value = parseValue(field, joinWords(words), layout.format);
    if (value !== null) return { value, box: union(words.map((w) => w.box)) };
  }
  return null;
}

/** The field's value as this supplier's memory finds it on the pages, or null. */
export function readField(
  pages: readonly LayoutPage[],
  field: MemoryFieldName,
  layout: FieldLayout,
): ExtractedField | null {
  let best: Candidate | null = null;
  const lastNumber = Math.max(...pages.map((p) => p.number));
  for (const page of pages) {
    const rows = pageRows(page);
    rows.forEach((row, rowIndex) => {
      for (let start = 0; start < row.words.length; start++) {
        for (let k = 1; k <= maxLabelWords && start + k <= row.words.length; k++) {
          const labelWords = row.words.slice(start, start + k);
          if (normaliseLabel(joinWords(labelWords)) !== layout.label) continue;
          const labelBox = union(labelWords.map((w) => w.box));
          const read =
            layout.relation === "right"
              ? readRun(
                  field,
                  layout,
                  row,
                  layout.afterAmount ? pastFigures(row, start + k) : start + k,
                )
              : readBelow(field, layout, rows, rowIndex, labelBox);
          if (!read) continue;
          const at = relativeCentre(labelBox, page);
          const inZone = zoneOf(at) === layout.zone;
          // Another page than the one it was learned on counts as far away.
          const pageMiss = layout.lastPage !== (page.number === lastNumber && pages.length > 1);
          const distance = Math.hypot(at.x - layout.at.x, at.y - layout.at.y) + (pageMiss ? 1 : 0);
          if (!best || distance < best.distance) {
            best = {
              distance,
              field: {
                value: read.value,
                source: "memory",
                confidence: inZone ? memoryConfidence.inZone : memoryConfidence.elsewhere,
                page: page.number,
                box: read.box,
              },
            };
          }
        }
      }
    });
  }
  return (best as Candidate | null)?.field ?? null;
}

/** The first word from `start` on that is not a figure (at most three figures skipped). */
function pastFigures(row: MemoryRow, start: number): number {
  let index = start;
  while (index - start < 3 && /\d/.test(row.words[index]?.text ?? "")) index++;
  return index;
}

/** The value under the label: the first row below with a word overlapping the label. */
function readBelow(
  field: MemoryFieldName,
  layout: FieldLayout,
  rows: MemoryRow[],
  rowIndex: number,
  labelBox: NonNullable<ExtractedField["box"]>,
) {
  const labelRow = rows[rowIndex] as MemoryRow;
  for (let r = rowIndex + 1; r < rows.length; r++) {
    const row = rows[r] as MemoryRow;
    if (row.box.y - (labelRow.box.y + labelRow.box.height) > labelRow.box.height * 3) return null;
    const start = row.words.findIndex((w) => horizontalOverlap(w.box, labelBox) > 0);
    if (start < 0) continue;
    return readRun(field, layout, row, start);
  }
  return null;
}

type FieldMap = Partial<Record<MemoryFieldName, ExtractedField | null>>;

/**
 * The fields with every remembered one read from memory where it can be. Values from the
 * document's own e-invoice data stay: they are what the sender's software meant.
 */
export function applyLayout<F extends FieldMap>(
  fields: F,
  pages: readonly LayoutPage[],
  layout: SupplierLayout,
): { fields: F; remembered: MemoryFieldName[] } {
  const next: F = { ...fields };
  const remembered: MemoryFieldName[] = [];
  if (pages.length === 0) return { fields: next, remembered };
  for (const name of memoryFieldNames) {
    const fieldLayout = layout.fields[name];
    if (!fieldLayout || fields[name]?.source === "e-invoice") continue;
    const read = readField(pages, name, fieldLayout);
    if (!read) continue;
    (next as FieldMap)[name] = read;
    remembered.push(name);
  }
  return { fields: next, remembered };
}
