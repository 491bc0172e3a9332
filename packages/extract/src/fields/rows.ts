import type { Box, Page, Word } from "../types";

/**
 * A visual row: every word whose line sits at the same height on the page, left to right.
 * Tesseract often puts a label ("TOTAL") and its value ("9.00") in different blocks; field
 * rules read rows, so a label and the amount printed beside it are always seen together.
 */
export interface Row {
  page: number;
  /** Words joined by a space (two across a column gap); `starts[i]` is where words[i] begins. */
  text: string;
  words: Word[];
  starts: number[];
  box: Box;
  /** Position among the page's rows, top to bottom. */
  index: number;
  /** Top of the row as a fraction of the page height (0 = top edge). */
  top: number;
}

export interface Span {
  text: string;
  box: Box;
  /** Mean confidence of the words the span touches. */
  confidence: number;
  page: number;
}

export function buildRows(page: Page): Row[] {
  const lines = [...page.lines].sort((a, b) => centreY(a.box) - centreY(b.box));
  // A line joins a row when it sits level with one of the row's lines, not merely inside the
  // row's box: a large title on the right ("RECHNUNG") would otherwise stretch the row of the
  // name beside it down over the address line under the name.
  const groups: { box: Box; boxes: Box[]; words: Word[] }[] = [];
  for (const line of lines) {
    const group = groups.find((candidate) =>
      candidate.boxes.some((member) => sameRow(member, line.box)),
    );
    if (group) {
      group.words.push(...line.words);
      group.boxes.push(line.box);
      group.box = union([group.box, line.box]);
    } else {
      groups.push({ box: line.box, boxes: [line.box], words: [...line.words] });
    }
  }
  groups.sort((a, b) => a.box.y - b.box.y);
  return groups.map((group, index) => makeRow(page, group.words, index));
}

export function buildAllRows(pages: Page[]): Row[] {
  return pages.flatMap(buildRows);
}

/**
 * A page's re-read lines (Page.rereads), one row each, with the index of the row among
 * `rows` that each re-reads: the one whose middle lies inside the re-read's box. Lines that
 * match no row are dropped.
 */
export function buildRereadRows(page: Page, rows: Row[]): Row[] {
  const result: Row[] = [];
  for (const line of page.rereads ?? []) {
    const top = line.box.y;
    const bottom = line.box.y + line.box.height;
    const target = rows
      .filter((row) => row.page === page.number)
      .map((row) => ({ row, distance: Math.abs(centreY(row.box) - (top + bottom) / 2) }))
      .filter(({ row }) => centreY(row.box) >= top && centreY(row.box) <= bottom)
      .sort((a, b) => a.distance - b.distance)[0]?.row;
    if (target && line.words.length > 0) result.push(makeRow(page, line.words, target.index));
  }
  return result;
}

function makeRow(page: Page, unsorted: Word[], index: number): Row {
  const words = [...unsorted].sort((a, b) => a.box.x - b.box.x);
  const box = union(words.map((word) => word.box));
  return {
    page: page.number,
    ...joinWords(words),
    words,
    box,
    index,
    top: box.y / (page.height || 1),
  };
}

function joinWords(words: Word[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let text = "";
  words.forEach((word, i) => {
    const previous = words[i - 1];
    // A column gap becomes two spaces, so that "7" in the quantity column and "126,96" in
    // the price column never read as the single amount "7 126,96".
    if (previous)
      text += word.box.x - (previous.box.x + previous.box.width) > word.box.height ? "  " : " ";
    starts.push(text.length);
    text += word.text;
  });
  return { text, starts };
}

/**
 * `row` with each word replaced by what most of its readings say: `rereads` are rows of
 * Page.rereads carrying the index of the row they re-read, and a reading's word counts for a
 * word of `row` when it covers the same stretch of the row. A word changes only when more
 * readings agree on another text than on its own (confidence is no guide: tesseract is as
 * sure of its misreadings). Words are compared one for one, so a reading that split or
 * merged words leaves them as they were.
 */
export function withMajorityWords(row: Row, rereads: Row[]): Row {
  const readings = rereads.filter(
    (reading) => reading.page === row.page && reading.index === row.index,
  );
  if (readings.length < 2) return row;
  let changed = false;
  const words = row.words.map((word) => {
    // Specks and rules ("|") have no stretch to compare: tesseract boxes them loosely.
    if (!isWordLike(word)) return word;
    const votes = new Map<string, { count: number; word: Word }>([[word.text, { count: 1, word }]]);
    for (const reading of readings) {
      const other = reading.words.find(
        (candidate) => isWordLike(candidate) && sameStretch(word.box, candidate.box),
      );
      if (!other) continue;
      const entry = votes.get(other.text);
      if (entry) entry.count += 1;
      else votes.set(other.text, { count: 1, word: other });
    }
    const own = votes.get(word.text)?.count ?? 1;
    const [best] = [...votes.values()].sort((a, b) => b.count - a.count);
    // Readings of one crop at other sizes fail alike: a change needs three that agree.
    if (!best || best.count <= own || best.count < minAgreeing) return word;
    changed = true;
    return { ...word, text: best.word.text };
  });
  return changed ? { ...row, ...joinWords(words), words } : row;
}

const minAgreeing = 3;

function isWordLike(word: Word): boolean {
  return /[\p{L}\p{N}]{2}/u.test(word.text);
}

/** Two words cover the same stretch of a row: their overlap is most of the wider one. */
function sameStretch(a: Box, b: Box): boolean {
  const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  return overlap >= 0.7 * Math.max(a.width, b.width);
}

/** The words of `row` that overlap text[start, end), with their union box. */
export function spanOf(row: Row, start: number, end: number): Span {
  const touched = row.words.filter((word, i) => {
    const wordStart = row.starts[i] ?? 0;
    return wordStart < end && wordStart + word.text.length > start;
  });
  const words = touched.length > 0 ? touched : row.words;
  return {
    text: row.text.slice(start, end),
    box: union(words.map((word) => word.box)),
    confidence: words.reduce((sum, word) => sum + word.confidence, 0) / words.length,
    page: row.page,
  };
}

export function rowSpan(row: Row): Span {
  return spanOf(row, 0, row.text.length);
}

/** Two lines are one row when their vertical extents overlap by most of the smaller one. */
/**
 * Level with each other: overlapping by half the smaller height, and with their middles less
 * than half the smaller height apart, so that a tall title spans no two rows of small text.
 */
function sameRow(a: Box, b: Box): boolean {
  const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const smaller = Math.min(a.height, b.height);
  return overlap > 0.5 * smaller && Math.abs(centreY(a) - centreY(b)) < 0.5 * smaller;
}

function centreY(box: Box): number {
  return box.y + box.height / 2;
}

export function union(boxes: Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}
