import type { Box } from "../types";
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
  type LayoutWord,
  type MemoryFieldName,
  maxLabelWords,
  maxValueWords,
  type SupplierLayout,
} from "./types";
import { kindOf, readsAs } from "./values";

/*
 * Learning: a person confirmed a field's value (by correcting it and verifying the invoice).
 * Find that value among the page's words, then the label printed before it: the words just
 * left of it on its row, or else the words above it on the row over it. What is kept is the
 * label, the relation and the zone, never the value.
 */

const hasDigit = (text: string) => /\d/.test(text);
const isLabelWord = (word: LayoutWord) => !hasDigit(word.text) && /\p{L}/u.test(word.text);

/** Consecutive label words ending just before `end` on the row, nearest first. */
function labelLeftOf(row: MemoryRow, end: number): LayoutWord[] | null {
  const picked: LayoutWord[] = [];
  const height = row.box.height || 10;
  for (let i = end - 1; i >= 0 && picked.length < maxLabelWords; i--) {
    const word = row.words[i] as LayoutWord;
    if (!isLabelWord(word)) break;
    const next = picked[0];
    // A wide gap between two label words means a column boundary: the label ended.
    if (next && next.box.x - (word.box.x + word.box.width) > height * 2.5) break;
    // A word ending in a colon closes an earlier label ("Kunde: Rechnung Nr: 5").
    if (next && /:$/.test(word.text)) break;
    picked.unshift(word);
  }
  return picked.length > 0 && normaliseLabel(joinWords(picked)).length >= 2 ? picked : null;
}

/** How many words just before `end` are figures (an amount in one to three groups). */
function figuresBefore(row: MemoryRow, end: number): number {
  let count = 0;
  while (count < 3 && end - count > 0 && hasDigit(row.words[end - count - 1]?.text ?? "")) count++;
  return count;
}

/** The label words over the value: on the nearest row above, overlapping it horizontally. */
function labelAbove(rows: MemoryRow[], rowIndex: number, value: Box): LayoutWord[] | null {
  const row = rows[rowIndex] as MemoryRow;
  for (let r = rowIndex - 1; r >= 0; r--) {
    const above = rows[r] as MemoryRow;
    if (row.box.y - (above.box.y + above.box.height) > row.box.height * 3) return null;
    const overlapping = above.words.filter((w) => horizontalOverlap(w.box, value) > 0);
    if (overlapping.length === 0) continue;
    const words = overlapping.filter(isLabelWord);
    if (words.length !== overlapping.length || words.length > maxLabelWords) return null;
    return words;
  }
  return null;
}

interface Found {
  layout: FieldLayout;
  /** Reading order of the occurrence: the first labelled one on the page wins. */
  rank: number;
}

/** Where and how the supplier prints `verified` for this field; null when it cannot be placed. */
export function learnField(
  pages: readonly LayoutPage[],
  field: MemoryFieldName,
  verified: string,
): FieldLayout | null {
  let best: Found | null = null;
  const lastNumber = Math.max(...pages.map((p) => p.number));
  pages.forEach((page, pageIndex) => {
    const rows = pageRows(page);
    rows.forEach((row, rowIndex) => {
      for (let start = 0; start < row.words.length; start++) {
        for (let n = 1; n <= maxValueWords && start + n <= row.words.length; n++) {
          const valueWords = row.words.slice(start, start + n);
          const read = readsAs(field, joinWords(valueWords), verified);
          if (!read) continue;
          const valueBox = union(valueWords.map((w) => w.box));
          // A currency code after its amount: the label is the one before the amount.
          const skip = kindOf[field] === "currency" ? figuresBefore(row, start) : 0;
          const left = labelLeftOf(row, start - skip);
          const above = left || skip ? null : labelAbove(rows, rowIndex, valueBox);
          const label = left ?? above;
          if (label) {
            const labelBox = union(label.map((w) => w.box));
            const at = relativeCentre(labelBox, page);
            // Same-row labels are the surer reading, so they rank before any label above.
            const rank = (left ? 0 : 1e9) + pageIndex * 1e6 + rowIndex * 1e3 + start;
            if (!best || rank < best.rank) {
              best = {
                rank,
                layout: {
                  label: normaliseLabel(joinWords(label)),
                  relation: left ? "right" : "below",
                  zone: zoneOf(at),
                  at: { x: round(at.x), y: round(at.y) },
                  lastPage: page.number === lastNumber && pages.length > 1,
                  words: n,
                  ...(skip ? { afterAmount: true } : {}),
                  ...(read.format ? { format: read.format } : {}),
                },
              };
            }
          }
          break;
        }
      }
    });
  });
  return (best as Found | null)?.layout ?? null;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export interface Learned {
  layout: SupplierLayout;
  /** Fields whose layout was learned (or relearned) from this document. */
  learned: MemoryFieldName[];
  /** Fields whose old layout was dropped: corrected, but their value could not be placed. */
  forgotten: MemoryFieldName[];
}

/**
 * Updates a supplier's layout from one verified document. `fields` are the ones a person
 * corrected: each is learned from where its confirmed value is printed, or forgotten when it
 * cannot be found (the old memory misled, or the value is not on the page). The other
 * fields keep what earlier documents taught.
 */
export function learnLayout(
  pages: readonly LayoutPage[],
  verified: Partial<Record<MemoryFieldName, string | null>>,
  fields: readonly MemoryFieldName[],
  previous: SupplierLayout | null = null,
): Learned {
  const layout: SupplierLayout = { version: 1, fields: { ...(previous?.fields ?? {}) } };
  const learned: MemoryFieldName[] = [];
  const forgotten: MemoryFieldName[] = [];
  for (const field of fields) {
    const value = verified[field];
    const found = value && pages.length > 0 ? learnField(pages, field, value) : null;
    if (found) {
      layout.fields[field] = found;
      learned.push(field);
    } else if (layout.fields[field]) {
      delete layout.fields[field];
      forgotten.push(field);
    }
  }
  return { layout, learned, forgotten };
}
