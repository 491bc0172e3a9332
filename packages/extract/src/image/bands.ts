import type { Box, Page } from "../types";

/**
 * Where the first OCR pass read nothing but the page has ink: horizontal bands of the page,
 * top to bottom. Single-block OCR (PSM 6) skips text much taller than the body (a shop's name,
 * a double-height TOTAL) without a trace, so these bands are where such text would be; reading
 * only them keeps a second, sparse pass to a fraction of a page's cost.
 */

export interface GrayImage {
  /** One byte per pixel, row by row. */
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** A line read below this mean confidence is noise, and covers nothing. */
const minLineConfidence = 0.5;
/** Ink above and below a read line still belongs to it (descenders, accents, bold strokes). */
const linePadding = 0.25;
/** A pixel row has ink when at least this share of its pixels is dark… */
const minInkShare = 0.004;
/** …and a band is text only when at least this tall, as a share of the body's line height. */
const minBandHeight = 0.6;
/** Ink rows this close (share of the body's line height) belong to one band. */
const maxGap = 0.3;
/** A band taller than this share of the page is a picture or a logo, not a line of text. */
const maxBandShare = 0.2;
/** At most this many bands are read, topmost first: a page of misses is a page OCR cannot read. */
export const maxBands = 6;

export function uncoveredBands(image: GrayImage, page: Page): Box[] {
  const lines = page.lines.filter((line) => line.confidence >= minLineConfidence);
  if (lines.length === 0) return [];
  const lineHeight = median(lines.map((line) => line.box.height));
  const covered = new Uint8Array(image.height);
  for (const line of lines) {
    const pad = Math.round(line.box.height * linePadding);
    const from = Math.max(0, line.box.y - pad);
    const to = Math.min(image.height, line.box.y + line.box.height + pad);
    covered.fill(1, from, to);
  }
  const threshold = otsu(image.pixels);
  const minInk = Math.max(3, Math.round(image.width * minInkShare));
  const inked = (y: number) => {
    if (covered[y]) return false;
    let count = 0;
    const start = y * image.width;
    for (let x = 0; x < image.width; x++) {
      if ((image.pixels[start + x] as number) < threshold && ++count >= minInk) return true;
    }
    return false;
  };

  const bands: { from: number; to: number }[] = [];
  const gap = Math.max(1, Math.round(lineHeight * maxGap));
  for (let y = 0; y < image.height; y++) {
    if (!inked(y)) continue;
    const last = bands.at(-1);
    if (last && y - last.to <= gap) last.to = y + 1;
    else bands.push({ from: y, to: y + 1 });
  }
  return bands
    .filter((band) => {
      const height = band.to - band.from;
      return height >= lineHeight * minBandHeight && height <= image.height * maxBandShare;
    })
    .slice(0, maxBands)
    .map((band) => ({ x: 0, y: band.from, width: image.width, height: band.to - band.from }));
}

/** Otsu's threshold: the grey level that best splits the page into ink and paper. */
export function otsu(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of pixels) histogram[value] = (histogram[value] as number) + 1;
  const total = pixels.length;
  let sum = 0;
  for (let level = 0; level < 256; level++) sum += level * (histogram[level] as number);
  let background = 0;
  let backgroundSum = 0;
  let best = 0;
  let threshold = 128;
  for (let level = 0; level < 256; level++) {
    background += histogram[level] as number;
    if (background === 0) continue;
    const foreground = total - background;
    if (foreground === 0) break;
    backgroundSum += level * (histogram[level] as number);
    const meanBackground = backgroundSum / background;
    const meanForeground = (sum - backgroundSum) / foreground;
    const between = background * foreground * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = level + 1;
    }
  }
  return threshold;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
