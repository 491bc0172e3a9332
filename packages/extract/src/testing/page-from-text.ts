import type { Line, Page, Word } from "../types";

/**
 * A Page from plain text, for testing field rules without OCR: one line per string, laid out
 * in a monospaced grid (10 px per character, 24 px per line). Runs of two or more spaces keep
 * their width, so "TOTAL        9.00" puts the amount in a column of its own.
 */
export function pageFromText(
  lines: string[],
  options: { number?: number; confidence?: number; source?: Page["source"] } = {},
): Page {
  const charWidth = 10;
  const lineHeight = 24;
  const textHeight = 16;
  const confidence = options.confidence ?? 1;
  const pageLines: Line[] = [];
  lines.forEach((text, row) => {
    const y = 20 + row * lineHeight;
    const words: Word[] = [];
    for (const match of text.matchAll(/\S+/g)) {
      const x = 20 + (match.index ?? 0) * charWidth;
      words.push({
        text: match[0],
        box: { x, y, width: match[0].length * charWidth, height: textHeight },
        confidence,
      });
    }
    const first = words[0];
    const last = words.at(-1);
    if (!first || !last) return;
    pageLines.push({
      text: words.map((word) => word.text).join(" "),
      box: {
        x: first.box.x,
        y,
        width: last.box.x + last.box.width - first.box.x,
        height: textHeight,
      },
      confidence,
      words,
    });
  });
  const width = 40 + Math.max(0, ...lines.map((line) => line.length)) * charWidth;
  return {
    number: options.number ?? 1,
    width,
    height: 40 + lines.length * lineHeight,
    source: options.source ?? "text-layer",
    lines: pageLines,
  };
}
