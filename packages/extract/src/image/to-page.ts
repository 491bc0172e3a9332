import type Tesseract from "tesseract.js";
import type { Box, Line, Page, Word } from "../types";

/** tesseract's blocks → paragraphs → lines → words, flattened into the contract's Page. */
export function toPage(
  result: Tesseract.Page,
  pageNumber: number,
  size: { width: number; height: number },
): Page {
  const lines: Line[] = [];
  for (const block of result.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words = line.words.map(toWord).filter((word) => word.text.length > 0);
        if (words.length === 0) continue;
        lines.push({
          text: words.map((word) => word.text).join(" "),
          box: toBox(line.bbox),
          confidence: mean(words.map((word) => word.confidence)),
          words,
        });
      }
    }
  }
  return { number: pageNumber, width: size.width, height: size.height, source: "ocr", lines };
}

function toWord(word: Tesseract.Word): Word {
  return {
    text: word.text.trim(),
    box: toBox(word.bbox),
    confidence: clamp01(word.confidence / 100),
  };
}

function toBox(bbox: Tesseract.Bbox): Box {
  return { x: bbox.x0, y: bbox.y0, width: bbox.x1 - bbox.x0, height: bbox.y1 - bbox.y0 };
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
