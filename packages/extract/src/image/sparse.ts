import sharp from "sharp";
import type { Worker } from "tesseract.js";
import type { Box, Line, Page } from "../types";
import { uncoveredBands } from "./bands";
import type { PreparedImage } from "./prepare";
import { toPage } from "./to-page";

/**
 * Tesseract's single-block mode (PSM 6) drops text much larger than the body: a shop's name in
 * a double-height heading, a TOTAL line printed bold and tall. Its sparse-text mode (PSM 11)
 * finds those, but reads the body worse and costs about as much again over a whole page. So
 * the sparse pass reads only the bands of the page where the first pass read nothing but
 * there is ink (src/image/bands.ts), and its lines are added where the first pass has no line
 * of its own; nothing the first pass read confidently changes.
 */

/** PSM 11, "sparse text": find as much text as possible in no particular order. */
const sparseText = "11";
/** A line read below this mean confidence is noise: it neither counts nor blocks. */
const minConfidence = 0.6;
/** Two lines are level when their vertical overlap is at least this share of the shorter. */
const levelOverlap = 0.4;
/** White rows between stacked bands, so tesseract sees them as separate lines. */
const stackGap = 24;
/** Above and below a band, a share of its height, so that its strokes are whole. */
const bandPadding = 0.2;

/**
 * Reads the bands the first pass missed with PSM 11 and merges what it finds into `page`.
 * Leaves the worker in page segmentation mode `restoreMode`.
 */
export async function readMissedBands(
  worker: Worker,
  prepared: PreparedImage,
  page: Page,
  restoreMode: string,
): Promise<Page> {
  // The preview is grayscale already: one byte per pixel.
  const { data, info } = await sharp(prepared.ocrInput)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, info.width * info.height);
  const bands = uncoveredBands({ pixels, width: info.width, height: info.height }, page);
  if (bands.length === 0) return page;
  // The bands are stacked into one image, white between them, and read in one call: each
  // call to tesseract costs its layout analysis, whatever the size of the image.
  const areas = bands.map((band) => padded(band, prepared.height));
  const offsets: number[] = [];
  let height = 0;
  for (const area of areas) {
    offsets.push(height);
    height += area.height + stackGap;
  }
  const pieces = await Promise.all(
    areas.map((area) =>
      sharp(prepared.ocrInput)
        .extract({ left: area.x, top: area.y, width: area.width, height: area.height })
        .toBuffer(),
    ),
  );
  const stacked = await sharp({
    create: { width: prepared.width, height, channels: 3, background: "#ffffff" },
  })
    .composite(pieces.map((input, i) => ({ input, left: 0, top: offsets[i] as number })))
    .png({ compressionLevel: 1 })
    .toBuffer();
  await worker.setParameters({ tessedit_pageseg_mode: sparseText as never });
  let read: Page;
  try {
    const result = await worker.recognize(stacked, {}, { blocks: true });
    read = toPage(result.data, page.number, { width: prepared.width, height });
  } finally {
    await worker.setParameters({ tessedit_pageseg_mode: restoreMode as never });
  }
  // Back into the page's pixel space: each line moves by its band's offset; a line that
  // straddles two bands (tesseract joined them) is dropped.
  const lines = read.lines.flatMap((line) => {
    const i = areas.findIndex(
      (area, j) =>
        line.box.y >= (offsets[j] as number) - 2 &&
        line.box.y + line.box.height <= (offsets[j] as number) + area.height + 2,
    );
    return i < 0 ? [] : [shifted(line, (areas[i] as Box).y - (offsets[i] as number))];
  });
  return mergeSparseReading(page, { ...page, lines });
}

/**
 * `page` with the lines of `sparse` that sit level with none of its lines. A line the first
 * pass read, however poorly, stays: a date or an amount on a faint row is still read there.
 */
export function mergeSparseReading(page: Page, sparse: Page): Page {
  const added = sparse.lines.filter(
    (line) => isText(line) && !page.lines.some((other) => level(other.box, line.box)),
  );
  if (added.length === 0) return page;
  return { ...page, lines: [...page.lines, ...added].sort((a, b) => a.box.y - b.box.y) };
}

/** Whether two boxes share a row: enough vertical overlap, measured on the shorter. */
export function level(a: Box, b: Box): boolean {
  const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return overlap > Math.min(a.height, b.height) * levelOverlap;
}

function isText(line: Line): boolean {
  const plain = line.text.replace(/[^\p{L}\p{N}]/gu, "");
  return plain.length >= 2 && line.confidence >= minConfidence;
}

function padded(band: Box, pageHeight: number): Box {
  const pad = Math.round(band.height * bandPadding);
  const y = Math.max(0, band.y - pad);
  return {
    x: band.x,
    y,
    width: band.width,
    height: Math.min(pageHeight - y, band.height + 2 * pad),
  };
}

function shifted(line: Line, dy: number): Line {
  const move = (box: Box): Box => ({ ...box, y: box.y + dy });
  return {
    ...line,
    box: move(line.box),
    words: line.words.map((word) => ({ ...word, box: move(word.box) })),
  };
}
