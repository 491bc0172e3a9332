import type * as mupdf from "mupdf";
import type { Box, Line, Word } from "../types";

/** Maps a point of the PDF page (points, origin top-left) into the preview's pixels. */
export interface PageToPixels {
  scale: number;
  /** The preview's origin in scaled page space (mupdf's pixmap x/y). */
  originX: number;
  originY: number;
}

export interface TextLayer {
  lines: Line[];
  /** Characters other than whitespace: what decides whether the page needs OCR. */
  visibleCharacters: number;
}

interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Walks mupdf's structured text (blocks → lines → characters) and groups characters into
 * words at whitespace. mupdf already inserts a space where glyphs are set apart without
 * one, so whitespace is the only word break needed. A word's box is the union of its
 * characters' quads, so rotated text still gets the box that encloses it on the preview.
 */
export function readTextLayer(text: mupdf.StructuredText, toPixels: PageToPixels): TextLayer {
  const lines: Line[] = [];
  let words: Word[] = [];
  let wordText = "";
  let wordBounds: Bounds | null = null;
  let visibleCharacters = 0;

  const endWord = () => {
    if (wordText.length > 0 && wordBounds) {
      words.push({ text: wordText, box: toBox(wordBounds, toPixels), confidence: 1 });
    }
    wordText = "";
    wordBounds = null;
  };

  text.walk({
    beginLine() {
      words = [];
    },
    onChar(character, _origin, _font, _size, quad) {
      if (/\s/u.test(character)) {
        endWord();
        return;
      }
      visibleCharacters += 1;
      wordText += character;
      wordBounds = extend(wordBounds, quad);
    },
    endLine() {
      endWord();
      if (words.length > 0) lines.push(toLine(words));
    },
  });
  return { lines, visibleCharacters };
}

function extend(bounds: Bounds | null, quad: mupdf.Quad): Bounds {
  const xs = [quad[0], quad[2], quad[4], quad[6]];
  const ys = [quad[1], quad[3], quad[5], quad[7]];
  const next = {
    x0: Math.min(...xs),
    y0: Math.min(...ys),
    x1: Math.max(...xs),
    y1: Math.max(...ys),
  };
  if (!bounds) return next;
  return {
    x0: Math.min(bounds.x0, next.x0),
    y0: Math.min(bounds.y0, next.y0),
    x1: Math.max(bounds.x1, next.x1),
    y1: Math.max(bounds.y1, next.y1),
  };
}

/** Whole pixels, widened outwards, like tesseract's boxes on OCR pages. */
function toBox(bounds: Bounds, { scale, originX, originY }: PageToPixels): Box {
  const x = Math.floor(bounds.x0 * scale - originX);
  const y = Math.floor(bounds.y0 * scale - originY);
  return {
    x,
    y,
    width: Math.ceil(bounds.x1 * scale - originX) - x,
    height: Math.ceil(bounds.y1 * scale - originY) - y,
  };
}

function toLine(words: Word[]): Line {
  const x0 = Math.min(...words.map((word) => word.box.x));
  const y0 = Math.min(...words.map((word) => word.box.y));
  const x1 = Math.max(...words.map((word) => word.box.x + word.box.width));
  const y1 = Math.max(...words.map((word) => word.box.y + word.box.height));
  return {
    text: words.map((word) => word.text).join(" "),
    box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
    confidence: 1,
    words,
  };
}
