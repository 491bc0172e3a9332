import type { Row } from "./rows";

/** The text of `row` after the first match of `label`, and where it starts. */
export function afterLabel(row: Row, label: RegExp): { text: string; offset: number } | null {
  const match = label.exec(row.text);
  if (!match) return null;
  const offset = match.index + match[0].length;
  return { text: row.text.slice(offset), offset };
}

/**
 * The row printed right under `row` and overlapping it horizontally: where a value sits when
 * its label is a column heading ("Invoice No." above "INV-1042").
 */
export function rowBelow(row: Row, rows: Row[]): Row | null {
  const next = rows.find(
    (candidate) => candidate.page === row.page && candidate.index === row.index + 1,
  );
  if (!next) return null;
  const gap = next.box.y - (row.box.y + row.box.height);
  return gap <= row.box.height * 1.5 ? next : null;
}
