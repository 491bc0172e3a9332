import type { Box } from "../types";
import type { LayoutPage, LayoutWord, Zone } from "./types";

/**
 * Visual rows of a page: words whose vertical centres sit within half a word's height of
 * each other, left to right. Built here from the words alone, so memory does not depend on
 * how a reader grouped lines (tesseract splits a label and its value into separate blocks).
 */
export interface MemoryRow {
  page: number;
  words: LayoutWord[];
  box: Box;
}

const centreY = (box: Box) => box.y + box.height / 2;

export function pageRows(page: LayoutPage): MemoryRow[] {
  const words = page.lines
    .flatMap((line) => line.words.flatMap(splitAtColon))
    .filter((word) => word.text.trim().length > 0)
    .sort((a, b) => centreY(a.box) - centreY(b.box));
  const rows: MemoryRow[] = [];
  for (const word of words) {
    const row = rows.at(-1);
    const tolerance = Math.max(
      2,
      Math.min(word.box.height, row?.box.height ?? word.box.height) / 2,
    );
    if (row && Math.abs(centreY(row.box) - centreY(word.box)) <= tolerance) {
      row.words.push(word);
      row.box = union([row.box, word.box]);
    } else {
      rows.push({ page: page.number, words: [word], box: word.box });
    }
  }
  for (const row of rows) row.words.sort((a, b) => a.box.x - b.box.x);
  return rows;
}

/**
 * "Nr.:12345" printed without a space is a label and a value: two words, the box shared in
 * proportion to the characters (exact for monospace, close enough to pick the value).
 */
function splitAtColon(word: LayoutWord): LayoutWord[] {
  const match = /^(\p{L}[^:]*:)([^:]*\d[^:]*)$/u.exec(word.text);
  if (!match?.[1] || !match[2]) return [word];
  const share = (match[1].length / word.text.length) * word.box.width;
  return [
    { text: match[1], box: { ...word.box, width: share } },
    { text: match[2], box: { ...word.box, x: word.box.x + share, width: word.box.width - share } },
  ];
}

export function union(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The box's centre as fractions of the page. */
export function relativeCentre(box: Box, page: LayoutPage): { x: number; y: number } {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    x: clamp((box.x + box.width / 2) / page.width),
    y: clamp((box.y + box.height / 2) / page.height),
  };
}

export function zoneOf(at: { x: number; y: number }): Zone {
  const vertical = at.y < 1 / 3 ? "top" : at.y < 2 / 3 ? "middle" : "bottom";
  const horizontal = at.x < 1 / 3 ? "left" : at.x < 2 / 3 ? "centre" : "right";
  return `${vertical}-${horizontal}`;
}

/** Lower case, accents off, letters and digits only, single spaces: "Rechnungs-Nr.:" → "rechnungs nr". */
export function normaliseLabel(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export const joinWords = (words: readonly LayoutWord[]) => words.map((w) => w.text).join(" ");

/** Overlap of two horizontal extents, in pixels (negative when apart). */
export function horizontalOverlap(a: Box, b: Box): number {
  return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
}
