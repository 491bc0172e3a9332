import * as mupdf from "mupdf";
import sharp from "sharp";
import { captureMupdfLog } from "./mupdf-log";
import type { PageToPixels } from "./text-layer";

export interface RasterSize {
  /** Resolution wanted for a page of ordinary size. */
  dpi: number;
  /** Cap on width × height, so a poster-sized page cannot make a giant bitmap. */
  maxPixels: number;
}

/** What the review screen shows for a text-layer page: sharp enough to read 8 pt type. */
export const previewSize: RasterSize = { dpi: 150, maxPixels: 3_000_000 };

export interface Raster {
  /** 8-bit grayscale samples, row by row, copied out of mupdf's WASM heap. */
  samples: Uint8Array;
  width: number;
  height: number;
  toPixels: PageToPixels;
}

/**
 * Renders a page in grayscale, annotations and filled-in form fields included (a filled
 * form's values are part of what the invoice says). Grayscale because OCR previews are
 * grayscale too, and it halves what is encoded and stored for each page.
 */
export function renderPage(page: mupdf.Page, size: RasterSize): Raster {
  const scale = scaleFor(page.getBounds(), size);
  return captureMupdfLog(() => {
    const pixmap = page.toPixmap(
      mupdf.Matrix.scale(scale, scale),
      mupdf.ColorSpace.DeviceGray,
      false,
      true,
    );
    try {
      const width = pixmap.getWidth();
      const height = pixmap.getHeight();
      // getPixels() is a view into the WASM heap, which the next allocation may move.
      const samples = packRows(pixmap.getPixels(), pixmap.getStride(), width, height);
      return {
        samples,
        width,
        height,
        toPixels: { scale, originX: pixmap.getX(), originY: pixmap.getY() },
      };
    } finally {
      pixmap.destroy();
    }
  }).result;
}

/** PNG encoding runs in sharp's thread pool: the slowest step of a text page, off the event loop. */
export async function encodePng(raster: Raster, compressionLevel = 6): Promise<Uint8Array> {
  const png = await sharp(raster.samples, {
    raw: { width: raster.width, height: raster.height, channels: 1 },
  })
    .toColourspace("b-w")
    .png({ compressionLevel })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export function scaleFor(bounds: mupdf.Rect, size: RasterSize): number {
  const widthPt = Math.max(1, bounds[2] - bounds[0]);
  const heightPt = Math.max(1, bounds[3] - bounds[1]);
  let scale = size.dpi / 72;
  const pixels = widthPt * heightPt * scale * scale;
  if (pixels > size.maxPixels) scale *= Math.sqrt(size.maxPixels / pixels);
  // mupdf rounds the page's rectangle outwards, adding up to a pixel on each axis.
  while ((widthPt * scale + 1) * (heightPt * scale + 1) > size.maxPixels) scale *= 0.999;
  return scale;
}

function packRows(
  view: Uint8ClampedArray,
  stride: number,
  width: number,
  height: number,
): Uint8Array {
  if (stride === width) return new Uint8Array(view);
  const samples = new Uint8Array(width * height);
  for (let row = 0; row < height; row += 1) {
    samples.set(view.subarray(row * stride, row * stride + width), row * width);
  }
  return samples;
}
